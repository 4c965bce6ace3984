"""The ``newsie`` command line.

    newsie extract PATH... [-o OUT.jsonl] [--jobs N] [--resume] [--include GLOB] [--exclude GLOB]
                           [--max-bytes SIZE] [--format auto|txt|html|json|jsonl]
                           [--facts-csv FILE] [--facts-parquet FILE] [-q]

Reads every article in the files and folders given (folders recursively) in
``--jobs`` worker processes and writes one JSON object per article, one per
line, to OUT.jsonl or standard output, in the shape of the output contract
(schema ``newsie/1``), in input order (sorted paths, folder by folder).

Exit codes: 0 every input was read, 1 some inputs failed (they are in the
output with ``"ok": false``), 2 usage error, 130 interrupted (Ctrl-C; what was
written so far is whole, and ``--resume`` goes on from there).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any, cast

from newsie import __version__
from newsie.read import FORMATS
from newsie.runner import (
    DEFAULT_MAX_BYTES,
    FACT_COLUMN_NAMES,
    FACT_COLUMNS,
    FileResult,
    Summary,
    default_jobs,
    fact_rows,
    iter_inputs,
    iter_records,
    parse_bytes,
    prepare_resume,
    run_batch,
)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _size(text: str) -> int:
    try:
        return parse_bytes(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of jobs: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("--jobs must be 0 (no worker processes) or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsie",
        description="Read Chinese economic news and write the figures in it (amounts, counts, "
        "regions, periods) as JSON lines.",
        epilog="Exit codes: 0 all inputs read, 1 some inputs failed (recorded with \"ok\": false), 2 usage error, "
        "130 interrupted. Output contract: CONTRACT.md (schema newsie/1).",
    )
    parser.add_argument("--version", action="version", version=f"newsie {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    extract = commands.add_parser(
        "extract",
        help="extract documents from files and folders into JSON lines",
        description="Extract every article in PATH... (files, or folders read recursively; hidden files skipped) and "
        "write one JSON object per article per line, in input order. An input that cannot be read becomes a record "
        "with \"ok\": false and an error; the run goes on.",
        epilog="Exit codes: 0 all inputs read, 1 some inputs failed (recorded with \"ok\": false), 2 usage error, "
        "130 interrupted (what was written is whole; --resume goes on from there).",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders of them")
    extract.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here instead of standard output")
    extract.add_argument(
        "--format",
        choices=("auto", *FORMATS),
        default="auto",
        help="input format; auto (default) goes by file extension, then by content",
    )
    extract.add_argument(
        "--ner",
        choices=("off", "quantity_sentences", "full"),
        default="off",
        help="where the statistical NER model (PERSON/ORG/GOV) reads: off (default: gazetteer and patterns only; fast), "
        "quantity_sentences (sentences with a figure) or full (the whole article); the model reads a few thousand "
        "characters a second",
    )
    extract.add_argument(
        "-j", "--jobs", type=_jobs, default=None, metavar="N",
        help=f"worker processes (default: the cores available, here {default_jobs()}); 0 works in this process",
    )
    extract.add_argument(
        "--resume", action="store_true",
        help="append to OUT.jsonl, skipping input files already in it (a torn last line and the last file's "
        "records are cut off and redone); needs -o",
    )
    extract.add_argument(
        "--include", action="append", default=[], metavar="GLOB",
        help="read only files found in folders whose path (relative to the folder given) matches GLOB, "
        "e.g. '*.html' ('*' also matches '/'); repeatable",
    )
    extract.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB",
        help="skip files found in folders whose relative path matches GLOB, e.g. 'archive/*'; repeatable",
    )
    extract.add_argument(
        "--max-bytes", type=_size, default=DEFAULT_MAX_BYTES, metavar="SIZE",
        help=f"larger files are recorded as too_large (default {DEFAULT_MAX_BYTES // 2**20}M; "
        "K/M/G suffixes, powers of 1024; 0: no limit)",
    )
    extract.add_argument("--facts-csv", metavar="FILE", help="also write one row per fact to this CSV file (UTF-8)")
    extract.add_argument(
        "--facts-parquet", metavar="FILE",
        help="also write one row per fact to this Parquet file (needs pyarrow: pip install 'newsie[parquet]')",
    )
    extract.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary on standard error")

    evaluate = commands.add_parser(
        "evaluate",
        help="score newsie against a corpus with gold annotations",
        description="Extract every article of CORPUS (articles/, renderings/) and score it against gold/: "
        "P/R/F1 for quantities and facts, accuracy of each fact attribute, per rendering, and the "
        "renderings whose facts differ from the plain article's.",
    )
    evaluate.add_argument("corpus", metavar="CORPUS", help="a folder with gold/, articles/ and renderings/ (e.g. corpus/)")
    evaluate.add_argument("--json", metavar="FILE", help="also write the scores as JSON")
    evaluate.add_argument("--errors", action="store_true", help="list every disagreement with the gold")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "extract":
            code = _extract(args)
        elif args.command == "evaluate":
            code = _evaluate(args)
        else:  # pragma: no cover - argparse rejects unknown commands
            return EXIT_USAGE
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except BrokenPipeError:  # newsie evaluate corpus | head: the reader left, stop quietly like extract
        _quiet_stdout()
        return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from newsie.evaluate import evaluate

    corpus = Path(args.corpus)
    if not (corpus / "gold").is_dir():
        return _usage(f"{corpus} has no gold/ folder; give a corpus folder laid out like corpus/ (see corpus/README.md)")
    report = evaluate(corpus)
    print(report.table())
    if args.errors:
        for line in report.total.errors:
            print(line)
    if args.json:
        import orjson

        Path(args.json).write_bytes(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2))
    return EXIT_OK


def _usage(message: str) -> int:
    print(f"newsie: {message}", file=sys.stderr)
    return EXIT_USAGE


def _extract(args: argparse.Namespace) -> int:
    if args.resume and not args.output:
        return _usage("--resume needs -o OUT.jsonl (the file to go on writing)")
    targets = [p for p in (args.output, args.facts_csv, args.facts_parquet) if p]
    if len({os.path.abspath(p) for p in targets}) < len(targets):
        return _usage("-o, --facts-csv and --facts-parquet must be different files")
    if args.facts_parquet:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            return _usage("--facts-parquet needs pyarrow: pip install 'newsie[parquet]'")

    started = time.perf_counter()
    summary = Summary()
    done: set[str] = set()
    try:
        if args.resume:
            state = prepare_resume(args.output)
            done = state.done
            summary.resumed = len(done)
            if not args.quiet and (state.torn or state.dropped or state.unreadable):
                notes = []
                if state.torn:
                    notes.append("cut off a torn last line")
                if state.dropped:
                    notes.append(f"redoing the last file ({state.dropped} records cut off)")
                if state.unreadable:
                    notes.append(f"{state.unreadable} lines that are not JSON left in place")
                print(f"newsie: resuming {args.output}: {', '.join(notes)}", file=sys.stderr)
        out: IO[bytes] = open(args.output, "ab" if args.resume else "wb") if args.output else _stdout_bytes()
    except OSError as e:
        return _usage(f"cannot write {args.output}: {e.strerror}")
    tables = _FactTables(args.facts_csv, args.facts_parquet)
    try:
        tables.open()
        if args.resume and tables:
            for record in iter_records(args.output):  # the tables are rebuilt from what the output holds
                tables.add(fact_rows(record))
    except OSError as e:
        _close(out)
        return _usage(f"cannot write the facts table: {e}")

    progress = _Progress(args, done, enabled=not args.quiet and sys.stderr.isatty())
    interrupted = False
    try:
        for result in run_batch(
            args.paths,
            jobs=args.jobs,
            format=args.format,
            include=args.include,
            exclude=args.exclude,
            max_bytes=args.max_bytes,
            done=done,
            skip=_own_files(targets),
            facts=bool(tables),
            ner=args.ner,
        ):
            if result.lines:
                # Whole lines, flushed per input file: a killed run leaves at most one torn line, which --resume cuts.
                out.write(b"\n".join(result.lines) + b"\n")
                out.flush()
            tables.add(result.rows)
            summary.add_file(result)
            progress.update(result, summary)
    except BrokenPipeError:  # newsie extract … | head
        _quiet_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        interrupted = True
    finally:
        progress.close()
        tables.close()
        _close(out)
    if not args.quiet:
        note = " (interrupted: run again with --resume to go on)" if interrupted else ""
        print(f"newsie: {summary.describe(time.perf_counter() - started)}{note}", file=sys.stderr)
    if interrupted:
        return EXIT_INTERRUPTED
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK


def _stdout_bytes() -> IO[bytes]:
    """Standard output for the UTF-8 lines: its byte stream, or (when a caller
    swapped sys.stdout for a text-only stream such as io.StringIO) a sink that
    decodes into it."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        return cast("IO[bytes]", _TextSink(sys.stdout))
    sys.stdout.flush()  # what was written to it as text comes before the lines
    return cast("IO[bytes]", stream)


class _TextSink(io.RawIOBase):
    """A byte stream writing UTF-8 into a text stream."""

    def __init__(self, text: IO[str]) -> None:
        super().__init__()
        self._text = text

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._text.write(bytes(data).decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self._text.flush()


def _close(out: IO[bytes]) -> None:
    if out is not getattr(sys.stdout, "buffer", None) and not isinstance(out, _TextSink):
        out.close()


def _quiet_stdout() -> None:
    # Python flushes stdout at exit; with the reader gone that would raise again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover
        pass


def _own_files(targets: list[str]):
    """Never read the files this run writes (``newsie extract . -o out.jsonl``)."""
    names = {Path(t).name for t in targets} | {Path(t).name + ".part" for t in targets}
    candidates = [*targets, *(t + ".part" for t in targets)]

    def skip(path: Path) -> bool:
        if path.name not in names:
            return False
        for target in candidates:
            try:
                if os.path.samefile(path, target):
                    return True
            except OSError:
                continue
        return False

    return skip


class _FactTables:
    """``--facts-csv`` and ``--facts-parquet``: one row per fact, written as the batch goes."""

    def __init__(self, csv_path: str | None, parquet_path: str | None) -> None:
        self.csv_path = csv_path
        self.parquet_path = parquet_path
        self.csv_file: IO[str] | None = None
        self.csv: Any = None
        self.parquet: ParquetFacts | None = None

    def __bool__(self) -> bool:
        return bool(self.csv_path or self.parquet_path)

    def open(self) -> None:
        if self.csv_path:
            self.csv_file = open(self.csv_path, "w", encoding="utf-8", newline="")
            self.csv = csv.writer(self.csv_file)
            self.csv.writerow(FACT_COLUMN_NAMES)
        if self.parquet_path:
            self.parquet = ParquetFacts(self.parquet_path)

    def add(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.csv is not None:
            self.csv.writerows(rows)
            assert self.csv_file is not None
            self.csv_file.flush()
        if self.parquet is not None:
            self.parquet.add(rows)

    def close(self) -> None:
        if self.csv_file is not None:
            self.csv_file.close()
            self.csv_file = self.csv = None
        if self.parquet is not None:
            self.parquet.close()
            self.parquet = None


class ParquetFacts:
    """Fact rows to a Parquet file in row groups (bounded memory); written as ``FILE.part``, renamed when complete."""

    ROW_GROUP = 50_000

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa = pa
        types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
        self.schema = pa.schema([(name, types[kind]) for name, kind in FACT_COLUMNS])
        self.path = os.fspath(path)
        self.part = self.path + ".part"
        self.writer = pq.ParquetWriter(self.part, self.schema)
        self.buffer: list[tuple[Any, ...]] = []

    def add(self, rows: list[tuple[Any, ...]]) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= self.ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if not self.buffer:
            return
        columns = list(zip(*self.buffer))
        arrays = [self.pa.array([_typed(v, f.type) for v in column], type=f.type) for column, f in zip(columns, self.schema)]
        self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=self.schema))
        self.buffer.clear()

    def close(self) -> None:
        self._flush()
        self.writer.close()
        os.replace(self.part, self.path)


def _typed(value: Any, type_: Any) -> Any:
    if value is None:
        return None
    if str(type_) == "double":
        return float(value)
    if str(type_) == "string":
        return str(value)
    return value


class _Progress:
    """A tqdm bar on standard error (MB, files, failures, facts, ETA), when it is a terminal."""

    def __init__(self, args: argparse.Namespace, done: set[str], *, enabled: bool) -> None:
        self.bar = None
        self.total: tuple[int, int] | None = None
        if not enabled:
            return
        from tqdm import tqdm

        self.bar = tqdm(
            total=None, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
            desc="newsie", dynamic_ncols=True, smoothing=0.05, mininterval=0.5,
        )
        # Count what is to be read in the background, for a total and an ETA, without holding the list.
        thread = threading.Thread(target=self._count, args=(args, done), daemon=True)
        thread.start()

    def _count(self, args: argparse.Namespace, done: set[str]) -> None:
        files = size = 0
        try:
            for item in iter_inputs(args.paths, include=args.include, exclude=args.exclude):
                if str(item.path) in done:
                    continue
                files += 1
                try:
                    item_size = os.stat(item.path).st_size if item.error is None else 0
                except OSError:
                    item_size = 0
                if not args.max_bytes or item_size <= args.max_bytes:  # too large: not read, not counted
                    size += item_size
        except Exception:  # pragma: no cover - a count is a nicety
            return
        self.total = (files, size)

    def update(self, result: FileResult, summary: Summary) -> None:
        if self.bar is None:
            return
        if self.total is not None and self.bar.total is None:
            self.bar.total = self.total[1]
        files = f"{summary.files}/{self.total[0]}" if self.total else str(summary.files)
        failed = sum(summary.failed.values())
        self.bar.set_postfix_str(f"files {files}, docs {summary.documents}, failed {failed}, facts {summary.facts}", refresh=False)
        self.bar.update(result.bytes)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


if __name__ == "__main__":
    sys.exit(main())
