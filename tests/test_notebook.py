"""notebooks/quickstart.ipynb is stored without outputs and runs top to bottom.

It runs in a Jupyter kernel of this interpreter (a kernel spec written to a
temporary folder, so no kernel installed on the machine is picked up
instead): once as it is, on newsie's real output; once with facts and
entities removed, as before the facts stage existed, where its cells must
fall back; and once on gold facts with one 其中 breakdown made larger than its
parent, which the consistency check must report.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook test needs nbformat (in newsie[test])")
nbclient = pytest.importorskip("nbclient", reason="the notebook test needs nbclient (in newsie[test])")
pytest.importorskip("ipykernel", reason="the notebook test needs ipykernel (in newsie[test])")
pytest.importorskip("pandas", reason="the notebook needs pandas (newsie[notebook])")
pytest.importorskip("matplotlib", reason="the notebook needs matplotlib (newsie[notebook])")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "quickstart.ipynb"
KERNEL = "newsie-test-python"


def test_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [], f"cell {cell.source[:40]!r} has stored outputs: clear them before committing"
        assert cell.execution_count is None
    assert "widgets" not in nb.metadata


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    from ipykernel.kernelspec import install

    prefix = tmp_path_factory.mktemp("jupyter")
    install(kernel_name=KERNEL, prefix=str(prefix), display_name="newsie test")
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
    mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    yield KERNEL
    mp.undo()


def run(kernel: str, setup: str | None = None):
    """Execute the notebook; ``setup`` runs right after the documents are extracted."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    if setup:
        at = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "docs = [" in c.source)
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell(setup))
    client = nbclient.NotebookClient(
        nb, kernel_name=kernel, timeout=600, startup_timeout=120,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    return nb


def outputs(nb, needle: str) -> list:
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and needle in c.source]
    return cell.outputs


def text_of(outs) -> str:
    return "".join(o.get("text", "") for o in outs if o.output_type == "stream") + "".join(
        o.get("data", {}).get("text/plain", "") for o in outs if o.output_type in ("execute_result", "display_data"))


def pngs(outs) -> list[bytes]:
    return [base64.b64decode(o["data"]["image/png"]) for o in outs if "image/png" in o.get("data", {})]


def test_runs_on_real_output(kernel):
    nb = run(kernel)
    assert "26 articles from articles/, 26 read" in text_of(outputs(nb, "docs = ["))
    (article,) = [o for o in outputs(nb, "doc = next(") if o.output_type == "execute_result"]
    assert 'class="newsie-doc"' in article["data"]["text/html"]
    assert "newsie-span" in article["data"]["text/html"]
    (chart,) = pngs(outputs(nb, "by_region"))
    assert chart.startswith(b"\x89PNG") and len(chart) > 5000
    assert "exceed their parent" in text_of(outputs(nb, "violations"))


def test_runs_before_facts_exist(kernel):
    nb = run(kernel, "for d in docs:\n    d.facts.clear()\n    d.entities.clear()")
    assert "0 facts in 0 articles" in text_of(outputs(nb, 'to_dataframe(docs, "facts")'))
    chart_outs = outputs(nb, "by_region")
    assert "No investment or project facts yet" in text_of(chart_outs)
    assert pngs(chart_outs), "the fallback chart is missing"
    assert "0 breakdowns (其中), 0 comparable with their parent, 0 exceed their parent" in text_of(outputs(nb, "violations"))


def test_consistency_check_finds_a_broken_breakdown(kernel):
    setup = f"""
import dataclasses, sys
from decimal import Decimal
sys.path.insert(0, {str(REPO / "tests")!r})
from gold_facts import gold_document
docs = [gold_document(Path(d.id).stem, d) for d in docs]
# make 鼓楼区's 10亿元以上项目 (其中, 8个) larger than its parent (63个)
nanjing = next(d for d in docs if d.id == "002_nanjing_gulou.txt")
child = next(f for f in nanjing.facts if f.parent is not None)
nanjing.quantities[child.quantity] = dataclasses.replace(nanjing.quantities[child.quantity], value=Decimal(1000))
"""
    nb = run(kernel, setup)
    facts_text = text_of(outputs(nb, 'to_dataframe(docs, "facts")'))
    assert "0 facts" not in facts_text
    check = text_of(outputs(nb, "violations"))
    assert "1 exceed their parent" in check
    assert "002_nanjing_gulou.txt" in check
    (chart,) = pngs(outputs(nb, "by_region"))
    assert len(chart) > 5000
