"""The ``newsie`` command line.

    newsie extract PATH... [-o OUT.jsonl] [--format auto|txt|html|json|jsonl]

Reads every article in the files and folders given (folders recursively) and
writes one JSON object per article, one per line, to OUT.jsonl or standard
output, in the shape of the output contract (schema ``newsie/1``).

Exit codes: 0 every input was read, 1 some inputs failed (they are in the
output with ``"ok": false``), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import IO

from newsie import __version__
from newsie.read import FORMATS
from newsie.runner import Summary, run

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsie",
        description="Read Chinese economic news and write the figures in it (amounts, counts, "
        "regions, periods) as JSON lines.",
        epilog="Exit codes: 0 all inputs read, 1 some inputs failed (recorded with \"ok\": false), 2 usage error. "
        "Output contract: CONTRACT.md (schema newsie/1).",
    )
    parser.add_argument("--version", action="version", version=f"newsie {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    extract = commands.add_parser(
        "extract",
        help="extract documents from files and folders into JSON lines",
        description="Extract every article in PATH... (files, or folders read recursively) and write one "
        "JSON object per article per line.",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders of them")
    extract.add_argument("-o", "--output", metavar="OUT.jsonl", help="write here instead of standard output")
    extract.add_argument(
        "--format",
        choices=("auto", *FORMATS),
        default="auto",
        help="input format; auto (default) goes by file extension, then by content",
    )
    extract.add_argument("-q", "--quiet", action="store_true", help="no summary on standard error")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "extract":
        return _extract(args)
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands


def _extract(args: argparse.Namespace) -> int:
    summary = Summary()
    started = time.perf_counter()
    try:
        out: IO[str] = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    except OSError as e:
        print(f"newsie: cannot write {args.output}: {e.strerror}", file=sys.stderr)
        return EXIT_USAGE
    try:
        for doc in run(args.paths, format=args.format):
            # One whole line per write, flushed, so a killed run never leaves half a record.
            out.write(doc.to_json() + "\n")
            out.flush()
            summary.add(doc)
    except BrokenPipeError:  # newsie extract … | head
        return EXIT_OK
    finally:
        if out is not sys.stdout:
            out.close()
    if not args.quiet:
        print(f"newsie: {summary.describe(time.perf_counter() - started)}", file=sys.stderr)
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
