"""The command line: output lines, ids, exit codes, help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from newsie.cli import main


def _lines(path):
    return [orjson.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_folder_recursively(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("引进项目10个。", encoding="utf-8")
    (root / "sub" / "b.txt").write_bytes("到位資金235億元。".encode("big5"))
    (root / "sub" / "c.jsonl").write_text('{"id": "x1", "text": "投资5亿元"}\n{"text": "签约20个"}\n', encoding="utf-8")
    (root / ".hidden").write_text("secret", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(root), "-o", str(out), "-q"]) == 0
    docs = _lines(out)
    assert [d["id"] for d in docs] == ["a.txt", "sub/b.txt", "x1", "sub/c.jsonl:2"]
    assert [[q["text"] for q in d["quantities"]] for d in docs] == [["10个"], ["235亿元"], ["5亿元"], ["20个"]]
    assert docs[1]["meta"]["encoding"] == "big5"


def test_failures_are_records_and_exit_code_is_1(tmp_path, capsys):
    (tmp_path / "good.txt").write_text("引进项目10个。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(tmp_path / "good.txt"), str(tmp_path / "empty.txt"), str(tmp_path / "pic.png"), str(tmp_path / "missing.txt"), "-o", str(out)])
    assert code == 1
    docs = {d["id"].rsplit("/", 1)[-1]: d for d in _lines(out)}
    assert docs["good.txt"]["ok"] is True
    assert docs["empty.txt"]["error"]["type"] == "empty"
    assert docs["pic.png"]["error"]["type"] == "binary"
    assert docs["missing.txt"]["error"]["type"] == "not_found"
    err = capsys.readouterr().err
    assert "4 documents, 1 ok, 3 failed" in err


def test_stdout_and_usage_errors():
    run = subprocess.run([sys.executable, "-m", "newsie", "extract", "-"], capture_output=True, text=True)
    assert run.returncode == 1  # "-" is not a file: recorded as not found
    assert orjson.loads(run.stdout.splitlines()[0])["error"]["type"] == "not_found"
    bad = subprocess.run([sys.executable, "-m", "newsie", "extract"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert "usage" in bad.stderr


def test_help_and_version():
    helped = subprocess.run([sys.executable, "-m", "newsie", "extract", "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and "--output" in helped.stdout
    version = subprocess.run([sys.executable, "-m", "newsie", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("newsie ")


def test_ner_option_reaches_the_workers(tmp_path):
    # no title before the name, no company pattern: only the statistical model finds these
    (tmp_path / "a.txt").write_text("近日，沈晓明在长沙调研招商引资工作，强调引进项目10个。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("华为技术有限公司与长沙市签约项目3个。", encoding="utf-8")
    labelled = {}
    for mode in ("off", "quantity_sentences"):
        out = tmp_path / f"{mode}.jsonl"
        assert main(["extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out), "-q", "--jobs", "2", "--ner", mode]) == 0
        labelled[mode] = {(e["text"], e["label"]) for d in _lines(out) for e in d["entities"]}
    assert ("沈晓明", "PERSON") not in labelled["off"]
    assert {("沈晓明", "PERSON"), ("华为技术有限公司", "ORG")} <= labelled["quantity_sentences"]


def test_a_closed_pipe_ends_quietly():
    """`newsie evaluate corpus | head -1`: no traceback when the reader has left.

    The pipe's read end is closed before newsie starts, so its first write
    fails whatever the output's size or the timing."""
    import os

    corpus = Path(__file__).resolve().parents[1] / "corpus" / "heldout"
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "newsie", "evaluate", str(corpus)],
                              stdout=write_end, stderr=subprocess.PIPE, timeout=300)
    finally:
        os.close(write_end)
    assert b"Traceback" not in done.stderr and b"BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == 0  # as newsie extract does


def test_extract_to_standard_output(tmp_path, capsysbinary):
    (tmp_path / "a.txt").write_text("引进项目10个。", encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "-q"]) == 0
    written = capsysbinary.readouterr().out
    assert written.endswith(b"\n") and written.count(b"\n") == 1
    assert orjson.loads(written)["quantities"][0]["text"] == "10个"


def test_extract_to_a_text_only_standard_output(tmp_path, monkeypatch):
    # a caller that swapped sys.stdout for a text stream (redirect_stdout(StringIO())) still gets the lines
    import io

    (tmp_path / "a.txt").write_text("引进项目10个。", encoding="utf-8")
    text = io.StringIO()
    monkeypatch.setattr(sys, "stdout", text)
    assert main(["extract", str(tmp_path / "a.txt"), "-q"]) == 0
    assert [orjson.loads(line)["quantities"][0]["text"] for line in text.getvalue().splitlines()] == ["10个"]
