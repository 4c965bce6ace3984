"""Batch runs: every input accounted for exactly once, failures as records, worker deaths, kill -9 and --resume."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import jsonschema
import orjson
import pytest

from newsie.cli import main
from newsie.model import Document, Fact, Quantity, Region, Threshold
from newsie.resources import contract_schema
from newsie.runner import (
    FACT_COLUMN_NAMES,
    InputFile,
    Options,
    fact_rows,
    iter_inputs,
    parse_bytes,
    prepare_resume,
    process_chunk,
    run_batch,
)

REPO = Path(__file__).resolve().parents[1]
ARTICLES = sorted((REPO / "corpus" / "articles").glob("*.txt"))
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

TEXT = "长沙市天心区今年新引进重大项目10个，总投资235亿元。"
PAGE = (
    "<!DOCTYPE html><html><head><title>天心区招商 - 新闻网</title></head><body>"
    "<div class='nav'><a href='/'>首页</a></div>"
    "<div class='article'><h1>天心区招商</h1><p>天心区举办招商考察活动30余场，引进外资4099万美元。</p></div>"
    "<div class='footer'>版权所有</div></body></html>"
)


def _records(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


@pytest.fixture(scope="module")
def validator():
    return jsonschema.Draft202012Validator(contract_schema())


def make_messy(root: Path) -> dict[str, tuple[str | None, ...]]:
    """A scraper's folder at its worst. Returns id → expected error type per record (None: ok), by input file."""
    (root / "nested" / "a" / "b").mkdir(parents=True)
    (root / "loops").mkdir()
    (root / ".git").mkdir()
    expected: dict[str, tuple[str | None, ...]] = {}

    def put(rel: str, data: bytes, *errors: str | None) -> None:
        (root / rel).write_bytes(data)
        expected[rel] = errors or (None,)

    put("utf8.txt", TEXT.encode("utf-8"))
    put("gbk.txt", TEXT.encode("gb18030"))
    put("nested/a/b/big5.txt", "臺北市新引進重大項目10個，總投資235億元。".encode("big5"))
    put("nested/utf16.txt", TEXT.encode("utf-16"))
    put("nested/page.html", PAGE.encode("utf-8"))
    put("one.json", orjson.dumps({"title": "签约", "text": TEXT}))
    put("lines.jsonl", '{"id": "L1", "text": "投资5亿元"}\n{"text": broken\n{"text": "签约20个"}\n'.encode(), None, "malformed_json", None)
    put("bad.json", b'{"text": ', "malformed_json")
    put("empty.txt", b"", "empty")
    put("blob.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")
    put("garbled.txt", b"\xff" * 300, "decode_error")
    put("big.txt", ("引进项目10个。" * 300).encode("utf-8"), "too_large")
    put("arr.json", b"[]", "empty")
    (root / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main", encoding="utf-8")
    os.symlink("self", root / "loops" / "self")  # a link to itself
    expected["loops/self"] = ("symlink_loop",)
    os.symlink("..", root / "loops" / "up")  # a folder link back up: would loop
    expected["loops/up"] = ("symlink_loop",)
    os.symlink("nowhere.txt", root / "dangling.txt")
    expected["dangling.txt"] = ("not_found",)
    if not IS_ROOT:  # root reads a chmod-000 file anyway; test_permission_denied simulates it
        put("locked.txt", TEXT.encode("utf-8"), "permission_denied")
        os.chmod(root / "locked.txt", 0)
    return expected


def _check_accounted(records: list[dict], root: Path, expected: dict[str, tuple[str | None, ...]]) -> None:
    by_input: dict[str, list[str | None]] = {}
    for r in records:
        rel = Path(r["meta"]["path"]).relative_to(root).as_posix()
        by_input.setdefault(rel, []).append(None if r["ok"] else r["error"]["type"])
        if not r["ok"]:
            assert len(r["error"]["message"]) >= 15, r
    assert {k: tuple(v) for k, v in by_input.items()} == expected


def test_messy_folder_every_input_once(tmp_path, validator, capsys):
    root = tmp_path / "in"
    root.mkdir()
    expected = make_messy(root)
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(root), "-o", str(out), "--jobs", "2", "--max-bytes", "4K"])
    assert code == 1
    records = _records(out)
    for r in records:
        validator.validate(r)
    _check_accounted(records, root, expected)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    assert ids[:3] == ["arr.json", "bad.json", "big.txt"]  # sorted, folder by folder
    assert {"L1", "lines.jsonl:2", "lines.jsonl:3"} <= set(ids)
    by_id = {r["id"]: r for r in records}
    assert by_id["gbk.txt"]["meta"]["encoding"] == "gb18030"
    assert by_id["nested/a/b/big5.txt"]["meta"]["encoding"] == "big5"
    assert "--max-bytes 1M" in by_id["big.txt"]["error"]["message"] and "4.0 KB" in by_id["big.txt"]["error"]["message"]
    assert "broken symbolic link" in by_id["dangling.txt"]["error"]["message"]
    # stderr is not a terminal here: no progress bar, just the summary
    err = capsys.readouterr().err
    assert "\r" not in err and err.count("\n") == 1
    assert f"{len(records)} documents" in err and "too_large: 1" in err and "symlink_loop: 2" in err

    # the same records, in the same order, without worker processes
    serial = tmp_path / "serial.jsonl"
    assert main(["extract", str(root), "-o", str(serial), "--jobs", "0", "--max-bytes", "4K", "-q"]) == 1
    assert serial.read_bytes() == out.read_bytes()
    assert capsys.readouterr().err == ""


def test_permission_denied(tmp_path, monkeypatch):
    """Simulated: the tests run as root, whom chmod 000 does not stop."""
    root = tmp_path / "in"
    (root / "closed").mkdir(parents=True)
    (root / "closed" / "x.txt").write_text(TEXT, encoding="utf-8")
    (root / "locked.txt").write_text(TEXT, encoding="utf-8")
    (root / "open.txt").write_text(TEXT, encoding="utf-8")
    real_read_bytes, real_scandir = Path.read_bytes, os.scandir

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    def scandir(path="."):
        if os.fspath(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "scandir", scandir)
    results = list(run_batch([root], jobs=0))
    records = [orjson.loads(line) for r in results for line in r.lines]
    assert [(r["id"], r["ok"], r.get("error", {}).get("type")) for r in records] == [
        ("locked.txt", False, "permission_denied"),
        ("open.txt", True, None),
        ("closed", False, "permission_denied"),
    ]
    assert "permission" in records[2]["error"]["message"]


@pytest.mark.skipif(IS_ROOT, reason="running as root: chmod 000 does not stop root from reading (simulated in test_permission_denied)")
def test_permission_denied_for_real(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text(TEXT, encoding="utf-8")
    locked.chmod(0)
    [result] = list(run_batch([locked], jobs=0))
    assert orjson.loads(result.lines[0])["error"]["type"] == "permission_denied"


def test_file_deleted_mid_run(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    for i in range(20):
        (root / f"a{i:02}.txt").write_text(TEXT, encoding="utf-8")
    (root / "z.txt").write_text(TEXT, encoding="utf-8")
    results = run_batch([root], jobs=0)  # in this process, lazily: z.txt is listed, then deleted before it is read
    first = next(results)
    (root / "z.txt").unlink()
    rest = list(results)
    records = [orjson.loads(line) for r in [first, *rest] for line in r.lines]
    assert len(records) == 21
    assert records[-1]["id"] == "z.txt" and records[-1]["error"]["type"] == "not_found"
    assert "deleted during the run" in records[-1]["error"]["message"]


def _deleting_worker(chunk, options):
    for item in chunk:
        if item.path.name == "gone.txt" and item.path.exists():
            item.path.unlink()  # vanishes after it was listed, before the worker reads it
    return process_chunk(chunk, options)


def _crashing_worker(chunk, options):
    for item in chunk:
        if item.path.name == "boom.txt":
            os._exit(70)  # dies every time: recorded as worker_crashed after one re-run
        if item.path.name == "flaky.txt" and len(chunk) > 1:
            os._exit(70)  # dies only among others: fine when re-run alone
    return process_chunk(chunk, options)


def test_worker_death_is_recorded_and_the_rest_goes_on(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    names = [f"f{i:02}.txt" for i in range(24)]
    names[5], names[13] = "boom.txt", "flaky.txt"
    for name in names:
        (root / name).write_text(TEXT, encoding="utf-8")
    results = list(run_batch([root], jobs=2, worker=_crashing_worker))
    assert [r.id for r in results] == sorted(names)  # input order, each once
    by_id = {r.id: orjson.loads(r.lines[0]) for r in results}
    assert by_id["boom.txt"]["error"]["type"] == "worker_crashed"
    assert "died twice" in by_id["boom.txt"]["error"]["message"]
    assert all(d["ok"] for i, d in by_id.items() if i != "boom.txt")


def test_file_vanishing_under_a_worker(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    for name in ("a.txt", "gone.txt", "z.txt"):
        (root / name).write_text(TEXT, encoding="utf-8")
    results = list(run_batch([root], jobs=2, worker=_deleting_worker))
    types = [orjson.loads(r.lines[0]).get("error", {}).get("type") for r in results]
    assert [r.id for r in results] == ["a.txt", "gone.txt", "z.txt"] and types == [None, "not_found", None]


def test_include_exclude_and_own_output_skipped(tmp_path):
    root = tmp_path / "in"
    (root / "archive").mkdir(parents=True)
    for rel in ("a.txt", "b.html", "archive/c.txt", "notes.md"):
        (root / rel).write_text(TEXT, encoding="utf-8")
    ids = [i.id for i in iter_inputs([root], include=["*.txt", "*.html"], exclude=["archive/*"])]
    assert ids == ["a.txt", "b.html"]
    out = root / "out.jsonl"  # written inside the folder being read
    assert main(["extract", str(root), "-o", str(out), "-q", "--jobs", "0", "--exclude", "*.md"]) == 0
    assert [r["id"] for r in _records(out)] == ["a.txt", "b.html", "archive/c.txt"]


def test_usage_errors(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text(TEXT, encoding="utf-8")
    assert main(["extract", str(f), "--resume"]) == 2
    assert "--resume needs -o" in capsys.readouterr().err
    assert main(["extract", str(f), "-o", str(tmp_path / "x"), "--facts-csv", str(tmp_path / "x")]) == 2
    for bad in (["--jobs", "-1"], ["--max-bytes", "lots"], ["--format", "pdf"]):
        with pytest.raises(SystemExit) as exit:
            main(["extract", str(f), *bad])
        assert exit.value.code == 2
    assert parse_bytes("64M") == 64 * 1024 * 1024 and parse_bytes("500k") == 512000 and parse_bytes("0") == 0


# --------------------------------------------------------------------------- facts tables


def _document_with_facts() -> Document:
    text = "天心区今年引进外资4099万美元。新引进10亿元以上重大项目13个，其中百亿项目3个。"
    region = Region(name="天心区", adcode="430103", level="county", path=("湖南省", "长沙市", "天心区"))

    def at(part: str, after: int = 0) -> tuple[int, int]:
        start = text.index(part, after)
        return start, start + len(part)

    quantities = [
        Quantity("4099万美元", *at("4099万美元"), "money", Decimal(40990000), "USD", currency="USD"),
        Quantity("13个", *at("13个"), "count", Decimal(13), "个"),
        Quantity("3个", *at("3个", text.index("百亿")), "count", Decimal(3), "个"),
    ]
    assert [text[q.start:q.end] for q in quantities] == [q.text for q in quantities]
    threshold = Threshold(value=Decimal(1000000000), currency="CNY", qualifier="at_least")
    facts = [
        Fact("foreign_investment", "引进外资", 0, None, region, None, "今年", "actual", None, at("天心区今年引进外资4099万美元。")),
        Fact("projects", "新引进重大项目", 1, "重大项目", region, threshold, None, "actual", None, at("新引进10亿元以上重大项目13个，其中百亿项目3个。")),
        Fact("projects", None, 2, "百亿项目", None, None, None, "actual", 1, at("其中百亿项目3个")),
    ]
    return Document(id="doc-1", meta={"path": "x.txt"}, text=text, quantities=quantities, facts=facts)


def test_fact_rows_flatten_the_contract_shape():
    rows = [dict(zip(FACT_COLUMN_NAMES, row)) for row in fact_rows(_document_with_facts().to_dict())]
    assert len(rows) == 3
    first, second, third = rows
    assert first["doc_id"] == "doc-1" and first["fact"] == 0
    assert (first["region"], first["adcode"], first["region_level"], first["region_path"]) == ("天心区", "430103", "county", "湖南省/长沙市/天心区")
    assert (first["category"], first["metric"], first["value"], first["currency"], first["unit"]) == ("foreign_investment", "引进外资", 40990000, "USD", "USD")
    assert first["period"] == "今年" and first["status"] == "actual" and first["evidence"] == "天心区今年引进外资4099万美元。"
    assert (second["threshold_value"], second["threshold_currency"], second["threshold_qualifier"]) == (1000000000, "CNY", "at_least")
    assert second["subject"] == "重大项目" and second["quantity_text"] == "13个" and second["value"] == 13
    assert third["parent"] == 1 and third["region"] is None and third["evidence"] == "其中百亿项目3个"
    assert fact_rows(Document(id="x", ok=False).to_dict()) == []


def test_facts_csv_and_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow.parquet")
    root = tmp_path / "in"
    root.mkdir()
    for article in ARTICLES[:6]:
        (root / article.name).write_bytes(article.read_bytes())
    out, facts_csv, facts_parquet = tmp_path / "out.jsonl", tmp_path / "facts.csv", tmp_path / "facts.parquet"
    code = main(["extract", str(root), "-o", str(out), "--jobs", "0", "-q", "--facts-csv", str(facts_csv), "--facts-parquet", str(facts_parquet)])
    assert code == 0
    records = _records(out)
    expected = [row for r in records for row in fact_rows(r)]
    with open(facts_csv, encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    assert tuple(table[0]) == FACT_COLUMN_NAMES
    assert len(table) - 1 == len(expected) == sum(len(r["facts"]) for r in records)
    assert [row[0] for row in table[1:]] == [row[0] for row in expected]
    parquet = pa.read_table(facts_parquet)
    assert parquet.column_names == list(FACT_COLUMN_NAMES) and parquet.num_rows == len(expected)
    assert not (tmp_path / "facts.parquet.part").exists()


# --------------------------------------------------------------------------- kill -9 and --resume


def test_prepare_resume_cuts_torn_line_and_redoes_last_file(tmp_path):
    out = tmp_path / "out.jsonl"

    def rec(id, path):
        return orjson.dumps({"id": id, "meta": {"path": path}}) + b"\n"

    out.write_bytes(rec("a", "in/a.txt") + rec("L1", "in/b.jsonl") + rec("b.jsonl:2", "in/b.jsonl") + rec("c", "in/c.jsonl") + b'{"id": "c:2", "me')
    state = prepare_resume(out)
    assert state.torn and state.dropped == 1 and state.kept == 3
    assert state.done == {"in/a.txt", "in/b.jsonl"}
    assert out.read_bytes() == rec("a", "in/a.txt") + rec("L1", "in/b.jsonl") + rec("b.jsonl:2", "in/b.jsonl")
    assert prepare_resume(tmp_path / "missing.jsonl").done == set()


def _corpus(root: Path, n: int) -> None:
    root.mkdir()
    for i in range(n):
        sub = root / f"d{i // 50}"
        sub.mkdir(exist_ok=True)
        lines = [line for line in ARTICLES[i % len(ARTICLES)].read_text(encoding="utf-8").splitlines() if line.strip()][:4]
        if i % 30 == 7:  # JSON lines: several records per file
            (sub / f"{i:04}.jsonl").write_bytes(b"\n".join(orjson.dumps({"text": line}) for line in lines) + b"\n")
        else:
            (sub / f"{i:04}.txt").write_text("\n".join(lines), encoding="utf-8")


def test_kill_9_then_resume_gives_the_uninterrupted_output(tmp_path):
    root = tmp_path / "in"
    _corpus(root, 160)
    full, full_csv = tmp_path / "full.jsonl", tmp_path / "full.csv"
    assert main(["extract", str(root), "-o", str(full), "-q", "--jobs", "0", "--facts-csv", str(full_csv)]) == 0

    out, out_csv = tmp_path / "out.jsonl", tmp_path / "out.csv"
    command = [sys.executable, "-m", "newsie", "extract", str(root), "-o", str(out), "--jobs", "2", "-q", "--facts-csv", str(out_csv)]
    proc = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if out.exists() and out.read_bytes().count(b"\n") >= 20:
                break
            time.sleep(0.005)
        assert proc.poll() is None, "the run ended before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI, its fork server and its workers
        proc.wait()
    written = out.read_bytes()
    full_lines = full.read_bytes().count(b"\n")
    assert 20 <= written.count(b"\n") < full_lines
    with open(out, "ab") as f:  # as if killed in the middle of a write
        f.write(b'{"schema": "newsie/1", "id": "d4/0')

    assert main(["extract", str(root), "-o", str(out), "-q", "--jobs", "2", "--resume", "--facts-csv", str(out_csv)]) == 0
    assert out.read_bytes() == full.read_bytes()  # same records, same order, no duplicates, no torn line
    assert out_csv.read_bytes() == full_csv.read_bytes()
    ids = [r["id"] for r in _records(out)]
    assert len(ids) == len(set(ids)) == full_lines


def test_resume_redoes_a_cut_jsonl_file(tmp_path, capsys):
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "b.jsonl").write_text("".join(orjson.dumps({"text": f"签约{i}个项目"}).decode() + "\n" for i in range(1, 5)), encoding="utf-8")
    full = tmp_path / "full.jsonl"
    assert main(["extract", str(root), "-o", str(full), "-q", "--jobs", "0"]) == 0
    lines = full.read_bytes().splitlines(keepends=True)
    assert len(lines) == 5
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"".join(lines[:3]) + lines[3][:20])  # killed inside b.jsonl's records
    assert main(["extract", str(root), "-o", str(out), "--jobs", "0", "--resume"]) == 0
    assert out.read_bytes() == full.read_bytes()
    err = capsys.readouterr().err
    assert "torn last line" in err and "1 files already in the output skipped" in err
    # resuming a complete run redoes only its last file
    assert main(["extract", str(root), "-o", str(out), "--jobs", "0", "--resume", "-q"]) == 0
    assert out.read_bytes() == full.read_bytes()


def test_results_stream_with_bounded_lookahead(tmp_path):
    """The runner pulls inputs as it goes: a few chunks ahead of what has been written, never the whole list."""
    pulled = Counter()

    def paths():
        for i in range(200):
            pulled["n"] += 1
            yield tmp_path / f"missing{i}.txt"

    results = run_batch(paths(), jobs=1)
    first = next(results)
    assert first.id.endswith("missing0.txt")
    assert pulled["n"] <= 8 * (2 * 1 + 2) + 8
    results.close()


def test_chunk_worker_never_raises(tmp_path):
    item = InputFile(path=tmp_path / "nope.txt", id="nope.txt")
    [result] = process_chunk([item], Options())
    assert orjson.loads(result.lines[0])["error"]["type"] == "not_found"
