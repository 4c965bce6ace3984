"""newsie.to_dataframe and newsie.read_jsonl, on hand-made documents and real output."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import orjson
import pytest

import newsie
from newsie.frames import COLUMNS, LEVELS
from gold_facts import TEXT, TIANXIN, failed, handmade
from newsie.model import Threshold

pd = pytest.importorskip("pandas", reason="newsie.to_dataframe needs the notebook extra (pandas)")

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("level", LEVELS)
def test_columns_are_as_documented(level):
    df = newsie.to_dataframe([handmade(), failed()], level)
    assert list(df.columns) == list(COLUMNS[level])
    assert df["doc_id"].notna().all()


def test_facts_are_flattened():
    df = newsie.to_dataframe(handmade(), "facts")
    assert len(df) == 3
    top, child, fdi = (df.iloc[i] for i in range(3))
    assert (top.fact_id, top.category, top.metric, top.text, top.value, top.unit) == ("demo#0", "projects", "新引进重大项目", "45个", 45, "个")
    assert (top.region_name, top.region_adcode, top.region_level, top.region_path) == ("长沙市", "430100", "city", "湖南省/长沙市")
    assert (top.threshold_value, top.threshold_currency, top.threshold_qualifier) == (200000000, "CNY", "at_least")
    assert (top.status, top.period) == ("target", "四季度")
    assert pd.isna(top.parent) and pd.isna(top.parent_id)
    assert (child.parent, child.parent_id) == (0, "demo#0")
    assert child.threshold_value == 1e10
    assert top.evidence == TEXT[: TEXT.index("；") + 1]
    assert (fdi.evidence_start, fdi.evidence_end) == (TEXT.index("；") + 1, len(TEXT))
    assert fdi.evidence == "天心区引进外资4099万美元。"
    assert (fdi.kind, fdi.value, fdi.currency, fdi.unit) == ("money", 40990000, "USD", "USD")
    assert pd.isna(fdi.threshold_value) and pd.isna(fdi.period)
    assert TEXT[fdi.start : fdi.end] == fdi.text
    assert df["parent"].dtype == "Int64" and df["value"].dtype == "float64"


def test_quantities_and_entities():
    doc = handmade()
    q = newsie.to_dataframe(doc, "quantities")
    assert len(q) == len(doc.quantities)
    assert q["quantity"].tolist() == list(range(len(doc.quantities)))
    for row in q.itertuples():
        assert TEXT[row.start : row.end] == row.text
    e = newsie.to_dataframe(doc, "entities")
    assert e[["text", "label", "norm_name", "norm_adcode", "norm_level", "norm_path"]].values.tolist() == [
        ["长沙市", "GPE", "长沙市", "430100", "city", "湖南省/长沙市"],
        ["天心区", "GPE", "天心区", "430103", "county", "湖南省/长沙市/天心区"],
    ]


def test_documents_level_keeps_failures():
    df = newsie.to_dataframe([handmade(), failed()], "documents")
    assert df[["doc_id", "ok", "n_facts", "n_entities"]].values.tolist() == [["demo", True, 3, 2], ["broken.txt", False, 0, 0]]
    assert pd.isna(df.loc[0, "error_type"]) and df.loc[1, "error_type"] == "binary"
    assert df.loc[1, "error_message"] == "this file is not text"
    for level in ("facts", "quantities", "entities"):
        assert set(newsie.to_dataframe(failed(), level).doc_id) == set()


def test_documents_and_dicts_give_the_same_frames():
    docs = [handmade(), failed()]
    for level in LEVELS:
        pd.testing.assert_frame_equal(newsie.to_dataframe(docs, level), newsie.to_dataframe([d.to_dict() for d in docs], level))


def test_empty_input_gives_typed_empty_frames():
    for level in LEVELS:
        df = newsie.to_dataframe([], level)
        assert df.empty and list(df.columns) == list(COLUMNS[level])
    assert newsie.to_dataframe([], "facts")["value"].dtype == "float64"


def test_fields_added_to_the_contract_become_columns():
    d = handmade().to_dict()
    d["facts"][0]["confidence"] = 0.9
    d["meta"]["source_site"] = "example"
    df = newsie.to_dataframe(d, "facts")
    assert list(df.columns) == [*COLUMNS["facts"], "confidence"]
    assert df["confidence"].tolist()[0] == 0.9
    assert newsie.to_dataframe(d, "documents").loc[0, "meta_source_site"] == "example"


def test_bad_arguments():
    with pytest.raises(ValueError, match="level must be one of"):
        newsie.to_dataframe(handmade(), "sentences")
    with pytest.raises(TypeError, match="read_jsonl"):
        newsie.to_dataframe("corpus.jsonl")
    with pytest.raises(TypeError, match="Document"):
        newsie.to_dataframe([42])


def test_missing_pandas_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ImportError, match=r"newsie\[notebook\]"):
        newsie.to_dataframe(handmade())


# -- read_jsonl ------------------------------------------------------------------------


def test_read_jsonl_round_trips_cli_output(tmp_path):
    """`newsie extract` output read back gives the same JSON, line for line."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("001_hefei_signing.trad.txt", "002_nanjing_gulou.html"):  # pinyin/traditional: source offsets differ
        (inputs / name).write_bytes((REPO / "corpus" / "renderings" / name).read_bytes())
    (inputs / "empty.txt").write_bytes(b"")
    out = tmp_path / "out.jsonl"
    subprocess.run([sys.executable, "-m", "newsie", "extract", str(inputs), "-o", str(out), "-q"], check=False, timeout=300)
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines() if line.strip()]
    assert len(lines) == 3
    docs = newsie.read_jsonl(out)
    assert [d.to_dict() for d in docs] == lines
    assert any(not d.ok for d in docs)
    assert any(q["source_start"] != q["start"] for line in lines for q in line.get("quantities", []))
    pd.testing.assert_frame_equal(newsie.to_dataframe(docs, "quantities"), newsie.to_dataframe(lines, "quantities"))


def test_read_jsonl_round_trips_facts_and_entities(tmp_path):
    docs = [handmade(), failed(), newsie.extract("增长38.7%，10—20亿元", id="floats")]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(d.to_json() + "\n" for d in docs) + "\n\n", encoding="utf-8")
    back = newsie.read_jsonl(path)
    assert [d.to_dict() for d in back] == [d.to_dict() for d in docs]
    assert back[0].facts[1].threshold == Threshold(Decimal(10000000000), "CNY", "at_least")
    assert back[0].entities[1].norm == TIANXIN
    assert back[2].quantities[0].value == Decimal("38.7")


def test_read_jsonl_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(handmade().to_json() + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:2"):
        newsie.read_jsonl(path)
    path.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="JSON object"):
        newsie.read_jsonl(path)


def test_whole_corpus_with_gold_facts():
    """Every corpus article with its gold facts: parents resolve, spans are grounded."""
    from gold_facts import ARTICLES, gold_document

    docs = [gold_document(p.stem) for p in sorted(ARTICLES.glob("*.txt"))]
    facts = newsie.to_dataframe(docs, "facts")
    assert len(facts) == sum(len(d.facts) for d in docs) > 100
    assert facts.parent_id.dropna().isin(facts.fact_id).all()
    assert facts.fact_id.is_unique
    texts = {d.id: d.text for d in docs}
    for row in facts.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.text
        assert row.text in row.evidence
