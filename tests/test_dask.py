"""newsie.dask on a real (local) cluster: two worker processes, one thread each."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

distributed = pytest.importorskip("distributed")
db = pytest.importorskip("dask.bag")

import newsie.dask as nd  # noqa: E402
from newsie.cli import main  # noqa: E402
from newsie.runner import FACT_COLUMN_NAMES, fact_rows  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ARTICLES = sorted((REPO / "corpus" / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None, silence_logs=40
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("news")
    (root / "sub").mkdir()
    for article in ARTICLES[:8]:
        (root / article.name).write_bytes(article.read_bytes())
    (root / "sub" / "gbk.txt").write_bytes("长沙市新引进重大项目10个，总投资235亿元。".encode("gb18030"))
    (root / "sub" / "lines.jsonl").write_text('{"id": "L1", "text": "投资5亿元"}\n{"text": broken\n', encoding="utf-8")
    (root / "sub" / "empty.txt").write_bytes(b"")
    (root / "sub" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    return root


def test_paths_to_documents_and_facts_on_two_workers(client, folder, tmp_path):
    assert len(client.scheduler_info()["workers"]) == 2
    docs = nd.documents([folder], files_per_partition=4)
    assert docs.npartitions == 3  # 12 inputs
    got = docs.compute()
    # exactly what the command line writes, in the same order
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--jobs", "0", "-q"]) == 1
    expected = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert got == expected
    assert {d["error"]["type"] for d in got if not d["ok"]} == {"malformed_json", "empty", "binary"}
    # the work was spread over both worker processes
    pids = set(docs.map_partitions(lambda part: [os.getpid()]).compute())
    assert len(pids) == 2 and os.getpid() not in pids

    frame = nd.facts(docs)
    assert tuple(frame.columns) == FACT_COLUMN_NAMES
    table = frame.compute()
    rows = [row for d in expected for row in fact_rows(d)]
    assert len(table) == len(rows) == sum(len(d.get("facts", [])) for d in expected) > 0
    assert {c: str(t) for c, t in table.dtypes.items()} == {c: str(t) for c, t in nd.facts_frame([]).dtypes.items()}
    assert list(table["doc_id"]) == [row[0] for row in rows]
    assert table["value"].notna().all()


def test_bag_of_texts(client):
    texts = db.from_sequence(
        [
            "天心区引进外资4099万美元。",
            "到位資金235億元。".encode("big5"),
            ("my-id", "新引进项目20个"),
            {"url": "https://example.com/1", "title": "签约", "text": "签约项目5个，总投资30亿元"},
            b"\x89PNG\r\n\x1a\n\x00",
        ],
        npartitions=2,
    )
    docs = nd.documents(texts).compute()
    assert [d["ok"] for d in docs] == [True, True, True, True, False]
    assert [d["id"] for d in docs][2:4] == ["my-id", "https://example.com/1"]
    assert [q["text"] for q in docs[1]["quantities"]] == ["235亿元"]
    assert docs[4]["error"]["type"] == "binary"
    assert nd.facts(nd.documents(texts)).compute().shape[1] == len(FACT_COLUMN_NAMES)
