"""Read files and folders in bulk: serially (:func:`run`) or in worker processes (:func:`run_batch`).

:func:`run_batch` is what ``newsie extract`` uses:

* inputs are listed lazily (``os.walk``, sorted, hidden files skipped) and
  cut into small chunks that worker processes take from a bounded window, so
  memory does not grow with the corpus;
* each worker loads patterns and models once (:func:`warm_up`);
* results come back in input order, one :class:`FileResult` per input file
  (with the file's JSON lines and, when asked, its flat fact rows);
* nothing stops the batch: a file that cannot be read, is too large, vanished
  or lies behind a link loop becomes a record with ``"ok": false``; a worker
  that dies has its unfinished files re-run one at a time, and a file that
  kills its worker twice is recorded as ``worker_crashed``.

Every input appears in the output exactly once: as one record, or for a
JSON-lines file (or a JSON array) as one record per article in it.
"""

from __future__ import annotations

import errno
import fnmatch
import itertools
import multiprocessing
import os
import signal
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from newsie.model import Document, ReadError
from newsie.pipeline import process
from newsie.read import RawArticle, read_path

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""Files larger than this are recorded as ``too_large`` unless the limit is raised (0: no limit)."""

CHUNK_FILES = 8
CHUNK_BYTES = 4 * 1024 * 1024


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input: a file to read, or a problem the folder walk found (``error`` set)."""

    path: Path
    id: str
    error: ReadError | None = None


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip: Callable[[Path], bool] | None = None,
) -> Iterator[InputFile]:
    """Files named directly, and every file under the folders named, in sorted order.

    A file's id is its path relative to the folder given (or the path as
    given for a file). Hidden files and folders (``.git``, ``.DS_Store``) are
    skipped. ``include``/``exclude`` are glob patterns matched against the id
    of files found in folders (``*`` also matches ``/``; files named directly
    are always read). ``skip(path)`` drops a file silently (the output file
    itself, for example).

    Symbolic links to folders are not followed (so that no article is read
    twice and a link loop cannot trap the walk): each becomes an input with
    ``error`` set (``symlink_loop`` when it points back to a folder above it,
    else ``symlink_folder``). A folder that cannot be listed becomes an input
    with ``error`` set too.
    """
    for given in paths:
        root = Path(given)
        if not root.is_dir():
            if skip is None or not skip(root):
                yield InputFile(path=root, id=str(given))
            continue
        errors: list[OSError] = []
        for folder, subfolders, files in os.walk(root, onerror=errors.append):
            yield from _walk_errors(errors, root, given)
            base = Path(folder)
            kept = []
            for name in sorted(subfolders):
                if name.startswith("."):
                    continue
                path = base / name
                if path.is_symlink():
                    item = InputFile(path=path, id=path.relative_to(root).as_posix(), error=_folder_link_error(path))
                    if _wanted(item.id, include, exclude):
                        yield item
                    continue
                kept.append(name)
            subfolders[:] = kept
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = base / name
                rel = path.relative_to(root).as_posix()
                if not _wanted(rel, include, exclude) or (skip is not None and skip(path)):
                    continue
                yield InputFile(path=path, id=rel)
        yield from _walk_errors(errors, root, given)


def _wanted(rel: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    if include and not any(fnmatch.fnmatchcase(rel, pattern) for pattern in include):
        return False
    return not any(fnmatch.fnmatchcase(rel, pattern) for pattern in exclude)


def _walk_errors(errors: list[OSError], root: Path, given: str | os.PathLike[str]) -> Iterator[InputFile]:
    while errors:
        e = errors.pop(0)
        path = Path(e.filename) if e.filename else root
        try:
            rel = path.relative_to(root).as_posix()
            folder_id = str(given) if rel == "." else rel
        except ValueError:
            folder_id = str(path)
        if e.errno in (errno.EACCES, errno.EPERM):
            error = ReadError("permission_denied", f"{path}: cannot list this folder (permission denied); check its read and execute permissions")
        elif e.errno == errno.ENOENT:
            error = ReadError("not_found", f"{path}: the folder vanished before it could be listed (was it moved or deleted during the run?)")
        elif e.errno == errno.ELOOP:
            error = ReadError("symlink_loop", f"{path}: symbolic link loop; fix or remove the link")
        else:
            error = ReadError("os_error", f"{path}: cannot list this folder ({e.strerror})")
        yield InputFile(path=path, id=folder_id, error=error)


def _folder_link_error(path: Path) -> ReadError:
    try:
        target = path.resolve(strict=True)
        here = path.parent.resolve(strict=True)
    except (OSError, RuntimeError):
        return ReadError("symlink_loop", f"{path}: symbolic link loop; fix or remove the link")
    if here == target or target in here.parents:
        return ReadError(
            "symlink_loop",
            f"{path}: symbolic link back to the folder {target} above it (a loop); not followed — remove the link",
        )
    return ReadError(
        "symlink_folder",
        f"{path}: symbolic link to the folder {target}; links to folders are not followed (so that nothing is read twice) — "
        f"give {target} on the command line to read it",
    )


# --------------------------------------------------------------------------- serial API


def run(paths: Iterable[str | os.PathLike[str]], *, format: str = "auto", ner: str = "off") -> Iterator[Document]:
    """Every document in ``paths``, streamed in this process: each input file gives one or more."""
    for item in iter_inputs(paths):
        if item.error is not None:
            yield _failed(item, item.error)
            continue
        yield from _documents_of(item, format, ner)


def _documents_of(item: InputFile, format: str, ner: str = "off") -> Iterator[Document]:
    produced = False
    for raw in _read_safely(item, format):
        produced = True
        if raw.error is not None and raw.error.type == "not_found" and os.path.islink(item.path):
            try:
                target = os.readlink(item.path)
                raw.error = ReadError("not_found", f"{item.path}: broken symbolic link (to {target}, which does not exist); fix or remove the link")
            except OSError:
                pass
        yield process(raw, ner=ner)
    if not produced:  # an empty JSON array, a JSON-lines file of blank lines
        yield _failed(item, ReadError("empty", f"{item.path}: the file holds no article (an empty JSON array or only blank lines)"))


def _read_safely(item: InputFile, format: str) -> Iterator[RawArticle]:
    try:
        yield from read_path(item.path, id=item.id, format=format)
    except Exception as e:  # a reader bug costs one file, not the batch
        yield RawArticle(
            id=item.id,
            meta={"path": str(item.path)},
            error=ReadError("internal_error", f"newsie failed to read this file ({type(e).__name__}: {e}); please report it"),
        )


def _failed(item: InputFile, error: ReadError) -> Document:
    return process(RawArticle(id=item.id, meta={"path": str(item.path)}, error=error))


# --------------------------------------------------------------------------- one file, as a worker does it


@dataclass(frozen=True, slots=True)
class Options:
    """What a worker needs to know besides the files."""

    format: str = "auto"
    max_bytes: int = DEFAULT_MAX_BYTES  # 0: no limit
    fact_rows: bool = False
    ner: str = "off"  # where the statistical NER model reads (newsie.entities.NER_MODES)


@dataclass(slots=True)
class FileResult:
    """What one input file gave: its output lines (UTF-8 JSON, no newline) and counts."""

    key: str  # str(path): what --resume matches (the records' meta.path)
    id: str
    # bytes, as orjson makes them: a str would be decoded here, encoded again to
    # pass to the writing process, and once more to be written (four passes
    # over about ten times the input's size: 2 % of a worker's time, measured)
    lines: list[bytes] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)  # fact rows, FACT_COLUMNS order
    bytes: int = 0
    documents: int = 0
    ok: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    quantities: int = 0
    facts: int = 0
    characters: int = 0


def file_documents(item: InputFile, options: Options) -> Iterator[dict[str, Any]]:
    """The contract dicts of every article in one input file (at least one: failures are records)."""
    if item.error is not None:
        yield _failed(item, item.error).to_dict()
        return
    if options.max_bytes:
        try:
            size = os.stat(item.path).st_size
        except OSError:
            size = 0  # reading will say why
        if size > options.max_bytes:
            yield _failed(item, too_large_error(item.path, size, options.max_bytes)).to_dict()
            return
    for doc in _documents_of(item, options.format, options.ner):
        try:
            yield doc.to_dict()
        except Exception as e:  # pragma: no cover - a bug in output must cost one article
            error = ReadError("internal_error", f"newsie failed to write this article ({type(e).__name__}: {e}); please report it")
            yield Document(id=doc.id, ok=False, error=error, meta=dict(doc.meta)).to_dict()


def too_large_error(path: Path, size: int, limit: int) -> ReadError:
    return ReadError(
        "too_large",
        f"{path}: {format_bytes(size)} ({size:,} bytes) is over the size limit of {format_bytes(limit)} ({limit:,} bytes); "
        f"raise it with --max-bytes {_round_up(size)} (max_bytes= in Python), or --max-bytes 0 for no limit",
    )


def process_file(item: InputFile, options: Options) -> FileResult:
    """Read and extract one input file; never raises."""
    result = FileResult(key=str(item.path), id=item.id)
    if item.error is None:
        try:
            result.bytes = os.stat(item.path).st_size
        except OSError:
            pass
    try:
        for doc in file_documents(item, options):
            _add(result, doc, options)
    except Exception as e:  # a bug costs one file, not the batch
        error = ReadError("internal_error", f"newsie failed on this file ({type(e).__name__}: {e}); please report it")
        result.lines.clear()
        result.rows.clear()
        result.documents = result.ok = result.quantities = result.facts = result.characters = 0
        result.failed.clear()
        _add(result, _failed(item, error).to_dict(), options)
    if result.failed.get("too_large"):
        result.bytes = 0  # not read
    return result


def _add(result: FileResult, doc: dict[str, Any], options: Options) -> None:
    result.lines.append(orjson.dumps(doc))
    result.documents += 1
    if doc.get("ok"):
        result.ok += 1
    else:
        result.failed[(doc.get("error") or {}).get("type", "unknown")] += 1
    result.quantities += len(doc.get("quantities") or ())
    result.facts += len(doc.get("facts") or ())
    result.characters += len(doc.get("text") or "")
    if options.fact_rows:
        result.rows.extend(fact_rows(doc))


def process_chunk(chunk: Sequence[InputFile], options: Options) -> list[FileResult]:
    """What a worker runs: a few files, one result each."""
    return [process_file(item, options) for item in chunk]


def crashed_result(item: InputFile, options: Options) -> FileResult:
    error = ReadError(
        "worker_crashed",
        f"{item.path}: the worker process reading this file died twice (killed, out of memory, or a crash in a "
        "native library); the rest of the batch went on — try the file alone with --jobs 0 to see the error, and report it",
    )
    result = FileResult(key=str(item.path), id=item.id)
    _add(result, _failed(item, error).to_dict(), options)
    return result


def warm_up(ignore_interrupts: bool = True) -> None:
    """Load patterns and models (once per process: they are cached); in a worker, leave Ctrl-C to the parent."""
    if ignore_interrupts:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    from newsie.pipeline import extract

    extract("长沙市天心区全年新引进2亿元以上重大项目45个以上，总投资235亿元。", id="warm-up")


# --------------------------------------------------------------------------- flat fact tables


FACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("doc_id", "str"),
    ("fact", "int"),  # index of the fact in the document's facts[]
    ("category", "str"),
    ("metric", "str"),
    ("subject", "str"),
    ("region", "str"),
    ("adcode", "str"),
    ("region_level", "str"),
    ("region_path", "str"),  # names joined with "/": 湖南省/长沙市/天心区
    ("quantity", "int"),  # index into the document's quantities[]
    ("quantity_text", "str"),
    ("kind", "str"),
    ("value", "float"),
    ("low", "float"),
    ("high", "float"),
    ("currency", "str"),
    ("unit", "str"),
    ("qualifier", "str"),
    ("threshold_value", "float"),
    ("threshold_currency", "str"),
    ("threshold_qualifier", "str"),
    ("period", "str"),
    ("status", "str"),
    ("parent", "int"),
    ("evidence_start", "int"),
    ("evidence_end", "int"),
    ("evidence", "str"),  # the sentence or clause that states the fact
)
FACT_COLUMN_NAMES = tuple(name for name, _ in FACT_COLUMNS)


def fact_rows(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """One row per fact of a contract document dict, in :data:`FACT_COLUMNS` order."""
    facts = doc.get("facts") or ()
    if not facts:
        return []
    quantities = doc.get("quantities") or []
    text = doc.get("text") or ""
    rows = []
    for index, fact in enumerate(facts):
        q_index = fact.get("quantity")
        q = quantities[q_index] if isinstance(q_index, int) and 0 <= q_index < len(quantities) else {}
        region = fact.get("region") or {}
        threshold = fact.get("threshold") or {}
        evidence = fact.get("evidence") or (None, None)
        start, end = (evidence[0], evidence[1]) if len(evidence) == 2 else (None, None)
        evidence_text = text[start:end] if isinstance(start, int) and isinstance(end, int) else None
        path = region.get("path")
        rows.append((
            doc.get("id"),
            index,
            fact.get("category"),
            fact.get("metric"),
            fact.get("subject"),
            region.get("name"),
            region.get("adcode"),
            region.get("level"),
            "/".join(path) if path else None,
            q_index,
            q.get("text"),
            q.get("kind"),
            q.get("value"),
            q.get("low"),
            q.get("high"),
            q.get("currency"),
            q.get("unit"),
            q.get("qualifier"),
            threshold.get("value"),
            threshold.get("currency"),
            threshold.get("qualifier"),
            fact.get("period"),
            fact.get("status"),
            fact.get("parent"),
            start,
            end,
            evidence_text,
        ))
    return rows


# --------------------------------------------------------------------------- the batch


Worker = Callable[[Sequence[InputFile], Options], list[FileResult]]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def run_batch(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    format: str = "auto",
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    done: Collection[str] = (),
    skip: Callable[[Path], bool] | None = None,
    facts: bool = False,
    ner: str = "off",
    worker: Worker = process_chunk,
) -> Iterator[FileResult]:
    """One :class:`FileResult` per input file, in input order.

    ``jobs`` worker processes (default: the cores this process may use;
    0 runs everything in this process, without crash protection, as does a
    run of one chunk, up to ``CHUNK_FILES`` files). ``done``
    holds paths (``str(path)``, the records' ``meta.path``) to leave out, as
    ``--resume`` does. ``facts=True`` fills each result's fact ``rows``.
    ``worker`` is the function a worker runs on a chunk (for tests).
    """
    jobs = default_jobs() if jobs is None else jobs
    options = Options(format=format, max_bytes=max_bytes, fact_rows=facts, ner=ner)
    inputs = (item for item in iter_inputs(paths, include=include, exclude=exclude, skip=skip) if str(item.path) not in done)
    chunks = _chunks(inputs)
    if jobs <= 0:
        for chunk in chunks:
            yield from worker(chunk, options)
        return
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None:  # a handful of files: not worth starting workers
        yield from worker(first, options)
        return
    batch = _Batch(jobs, options, worker)
    try:
        yield from batch.run(itertools.chain((first, second), chunks))
    finally:
        batch.close()


def _chunks(inputs: Iterable[InputFile]) -> Iterator[list[InputFile]]:
    """A few small files per task (fewer round trips), a large file alone."""
    chunk: list[InputFile] = []
    size = 0
    for item in inputs:
        try:
            item_size = os.stat(item.path).st_size if item.error is None else 0
        except OSError:
            item_size = 0
        if chunk and size + item_size > CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += item_size
        if len(chunk) >= CHUNK_FILES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


@dataclass(slots=True)
class _Pending:
    chunk: list[InputFile]
    outcome: Future[list[FileResult]] | list[FileResult]


class _Batch:
    """A process pool fed from a bounded window, read back in submission order."""

    def __init__(self, jobs: int, options: Options, worker: Worker) -> None:
        self.jobs = jobs
        self.options = options
        self.worker = worker
        self.window = 2 * jobs + 2  # chunks submitted but not yet written out
        self.pending: deque[_Pending] = deque()
        self.executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self.executor is None:
            self.executor = ProcessPoolExecutor(max_workers=self.jobs, mp_context=_context(), initializer=warm_up)
        return self.executor

    def run(self, chunks: Iterable[list[InputFile]]) -> Iterator[FileResult]:
        for chunk in chunks:
            self.pending.append(_Pending(chunk, self._submit(chunk)))
            while len(self.pending) >= self.window:
                yield from self._take()
        while self.pending:
            yield from self._take()

    def _submit(self, chunk: list[InputFile]) -> Future[list[FileResult]] | list[FileResult]:
        try:
            return self._pool().submit(self.worker, chunk, self.options)
        except BrokenProcessPool:
            self._recover()
            return self._pool().submit(self.worker, chunk, self.options)

    def _take(self) -> list[FileResult]:
        head = self.pending[0]
        if isinstance(head.outcome, Future):
            try:
                head.outcome = head.outcome.result()
            except BrokenProcessPool:
                self._recover()
            except Exception as e:  # the worker function itself failed: record, go on
                head.outcome = [_error_result(item, e, self.options) for item in head.chunk]
        self.pending.popleft()
        assert not isinstance(head.outcome, Future)
        return head.outcome

    def _recover(self) -> None:
        """A worker died, which breaks the pool: every chunk it left unfinished is re-run, one file at a time, alone.

        Alone, a crash can be pinned on its file; a file that crashes its
        worker a second time is recorded as ``worker_crashed``.
        """
        broken = self.executor
        self.executor = None
        for entry in self.pending:
            if isinstance(entry.outcome, Future):
                try:
                    entry.outcome = entry.outcome.result()
                except Exception:
                    entry.outcome = [self._alone(item) for item in entry.chunk]
        if broken is not None:
            broken.shutdown(wait=True, cancel_futures=True)

    def _alone(self, item: InputFile) -> FileResult:
        try:
            return self._pool().submit(self.worker, [item], self.options).result()[0]
        except BrokenProcessPool:
            broken, self.executor = self.executor, None
            if broken is not None:
                broken.shutdown(wait=True, cancel_futures=True)
            return crashed_result(item, self.options)
        except Exception as e:
            return _error_result(item, e, self.options)

    def close(self) -> None:
        if self.executor is not None:
            for entry in self.pending:
                if isinstance(entry.outcome, Future):
                    entry.outcome.cancel()
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def _error_result(item: InputFile, e: BaseException, options: Options) -> FileResult:
    error = ReadError("internal_error", f"newsie failed on this file ({type(e).__name__}: {e}); please report it")
    result = FileResult(key=str(item.path), id=item.id)
    _add(result, _failed(item, error).to_dict(), options)
    return result


def _context() -> multiprocessing.context.BaseContext:
    """Workers forked from a clean server process that has newsie imported (spawned where there is no fork)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["newsie._preload"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows, macOS


# --------------------------------------------------------------------------- resume


@dataclass(slots=True)
class ResumeState:
    """What an earlier, interrupted run left in the output file."""

    done: set[str] = field(default_factory=set)  # meta.path of every input file fully written
    kept: int = 0  # records kept
    dropped: int = 0  # records of the last input file, dropped to be redone
    torn: bool = False  # a partial last line was cut off
    unreadable: int = 0  # complete lines that are not JSON (left in place)


def prepare_resume(path: str | os.PathLike[str]) -> ResumeState:
    """Make ``path`` safe to append to and say which inputs it already holds.

    A torn last line (no newline: the run was killed while writing it) is cut
    off. Records are written one input file at a time, in input order, so
    only the last file's records can be incomplete: they are cut off too and
    that file is redone. Memory: one path per input file already done.
    """
    state = ResumeState()
    try:
        f = open(path, "r+b")
    except FileNotFoundError:
        return state
    with f:
        offset = 0
        good_end = 0  # end of the last complete line
        group_key: str | None = None
        group_start = 0
        group_size = 0
        for line in f:
            start, offset = offset, offset + len(line)
            if not line.endswith(b"\n"):
                state.torn = True
                break
            good_end = offset
            try:
                record = orjson.loads(line)
                key = (record.get("meta") or {}).get("path") or record.get("id")
            except (orjson.JSONDecodeError, AttributeError):
                state.unreadable += 1
                continue
            if key != group_key:
                if group_key is not None:
                    state.done.add(group_key)
                    state.kept += group_size
                group_key, group_start, group_size = key, start, 0
            group_size += 1
        state.dropped = group_size
        end = group_start if group_key is not None else good_end
        f.truncate(end)
    return state


def iter_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The records of a JSON-lines output file, skipping lines that are not JSON objects."""
    with open(path, "rb") as f:
        for line in f:
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(record, dict):
                yield record


# --------------------------------------------------------------------------- sizes and summary


_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "KIB": 1024, "M": 1024**2, "MB": 1024**2, "MIB": 1024**2, "G": 1024**3, "GB": 1024**3, "GIB": 1024**3}


def parse_bytes(text: str) -> int:
    """A size as ``--max-bytes`` takes it: ``K``, ``M``, ``G`` are powers of 1024; ``0`` means no limit.

    >>> parse_bytes("64M"), parse_bytes("500K"), parse_bytes("1.5G"), parse_bytes("0")
    (67108864, 512000, 1610612736, 0)
    """
    value = text.strip().upper()
    number = value.rstrip("BKMGI")
    unit = value[len(number):]
    if unit not in _UNITS or not number:
        raise ValueError(f"not a size: {text!r} (use e.g. 500K, 64M, 2G or a number of bytes)")
    return int(float(number) * _UNITS[unit])


def format_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover


def _round_up(size: int) -> str:
    mib = -(-size // (1024 * 1024))
    return f"{mib}M" if mib < 1024 else f"{-(-mib // 1024)}G"


@dataclass(slots=True)
class Summary:
    """Counts for the end-of-run report."""

    files: int = 0
    bytes: int = 0
    documents: int = 0
    ok: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    quantities: int = 0
    facts: int = 0
    characters: int = 0
    resumed: int = 0  # input files skipped: already in the output

    def add(self, doc: Document) -> None:
        self.documents += 1
        if doc.ok:
            self.ok += 1
        else:
            self.failed[doc.error.type if doc.error else "unknown"] += 1
        self.quantities += len(doc.quantities)
        self.facts += len(doc.facts)
        self.characters += len(doc.text)

    def add_file(self, result: FileResult) -> None:
        self.files += 1
        self.bytes += result.bytes
        self.documents += result.documents
        self.ok += result.ok
        self.failed.update(result.failed)
        self.quantities += result.quantities
        self.facts += result.facts
        self.characters += result.characters

    def describe(self, seconds: float) -> str:
        failed = sum(self.failed.values())
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(self.failed.items()))
        files = f"{self.files} files ({format_bytes(self.bytes)}), " if self.files else ""
        rate = self.documents / seconds if seconds > 0 else 0.0
        speed = f"{rate:.1f} documents/s"
        if self.files and seconds > 0:
            speed = f"{self.files / seconds:.1f} files/s, {rate:.1f} documents/s, {self.bytes / seconds / 1024 / 1024:.2f} MB/s"
        resumed = f"; {self.resumed} files already in the output skipped (--resume)" if self.resumed else ""
        return (
            f"{files}{self.documents} documents, {self.ok} ok, {failed} failed{f' ({reasons})' if reasons else ''}; "
            f"{self.quantities} quantities, {self.facts} facts; {seconds:.1f} s, {speed}{resumed}"
        )
