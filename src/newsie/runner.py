"""Stream documents out of files and folders, one article at a time."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsie.model import Document, ReadError
from newsie.pipeline import process
from newsie.read import RawArticle, read_path


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    id: str


def iter_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[InputFile]:
    """Files named directly, and every file under the folders named, in sorted order.

    A file's id is its path relative to the folder given (or the path as
    given for a file). Hidden files and folders (``.git``, ``.DS_Store``) are
    skipped; symbolic links to folders are not followed, so a link loop
    cannot trap the walk.
    """
    for given in paths:
        root = Path(given)
        if root.is_dir():
            for folder, subfolders, files in os.walk(root):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    path = Path(folder) / name
                    yield InputFile(path=path, id=path.relative_to(root).as_posix())
        else:
            yield InputFile(path=root, id=str(given))


def run(paths: Iterable[str | os.PathLike[str]], *, format: str = "auto") -> Iterator[Document]:
    """Every document in ``paths``, streamed: each input file gives one or more."""
    for item in iter_inputs(paths):
        for raw in _read_safely(item, format):
            yield process(raw)


def _read_safely(item: InputFile, format: str) -> Iterator[RawArticle]:
    try:
        yield from read_path(item.path, id=item.id, format=format)
    except Exception as e:  # a reader bug costs one file, not the batch
        yield RawArticle(
            id=item.id,
            meta={"path": str(item.path)},
            error=ReadError("internal_error", f"newsie failed to read this file ({type(e).__name__}: {e}); please report it"),
        )


@dataclass(slots=True)
class Summary:
    """Counts for the end-of-run report."""

    documents: int = 0
    ok: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    quantities: int = 0
    facts: int = 0
    characters: int = 0

    def add(self, doc: Document) -> None:
        self.documents += 1
        if doc.ok:
            self.ok += 1
        else:
            self.failed[doc.error.type if doc.error else "unknown"] += 1
        self.quantities += len(doc.quantities)
        self.facts += len(doc.facts)
        self.characters += len(doc.text)

    def describe(self, seconds: float) -> str:
        failed = sum(self.failed.values())
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(self.failed.items()))
        rate = self.documents / seconds if seconds > 0 else 0.0
        return (
            f"{self.documents} documents, {self.ok} ok, {failed} failed{f' ({reasons})' if reasons else ''}; "
            f"{self.quantities} quantities, {self.facts} facts; {seconds:.1f} s, {rate:.1f} documents/s"
        )
