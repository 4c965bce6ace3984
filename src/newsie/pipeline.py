"""The stages joined up: read → normalize → quantities (→ entities → facts).

:func:`process` turns one :class:`~newsie.read.RawArticle` into a
:class:`~newsie.model.Document`; the public helpers below feed it from text,
bytes or files. Nothing here holds more than one article at a time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from newsie.entities import DEFAULT_NER, tag
from newsie.facts import build_facts
from newsie.model import Document, ReadError
from newsie.normalize import normalize
from newsie.quantities import find_quantities
from newsie.read import RawArticle, read_bytes, read_path, read_text, title_of_plain_text


def process(raw: RawArticle, *, ner: str = DEFAULT_NER) -> Document:
    """Run every stage after reading on one article.

    >>> from newsie.read import RawArticle
    >>> doc = process(RawArticle(id="x", text="签约项目20个，带动投资124亿元。", meta={"format": "txt"}))
    >>> [(q.text, f.category) for f in doc.facts for q in [doc.quantities[f.quantity]]]
    [('20个', 'projects'), ('124亿元', 'investment')]

    ``ner`` says where the statistical NER model reads: ``off`` (default:
    gazetteer and patterns only), ``quantity_sentences`` or ``full``.
    """
    meta = {"path": None, "encoding": None, "format": None, "title": None, "published": None, "script": None}
    meta.update(raw.meta)
    if raw.error is not None:
        return Document(id=raw.id, ok=False, error=raw.error, meta=meta, warnings=list(raw.warnings))
    try:
        normalized = normalize(raw.text)
        meta["script"] = normalized.script
        if meta.get("title"):
            meta["title"] = normalize(meta["title"]).text
        elif meta.get("format") == "txt":
            meta["title"] = title_of_plain_text(normalized.text)
        text = normalized.text
        title = meta.get("title")
        scan = find_quantities(text)
        tagged = tag(text, title=title, quantities=scan.quantities, ner=ner)
        # The headline restates the article's figures: they are quantities, not facts.
        body_start = len(title) + 1 if title and text.startswith(title + "\n") else 0
        facts = build_facts(text, scan.quantities, tagged.mentions, tagged.home, body_start=body_start, time_phrases=tagged.time_phrases)
    except Exception as e:  # a bug must cost one article, not the batch
        return Document(
            id=raw.id,
            ok=False,
            error=ReadError("internal_error", f"newsie failed on this article ({type(e).__name__}: {e}); please report it"),
            meta=meta,
            warnings=list(raw.warnings),
        )
    return Document(
        id=raw.id,
        meta=meta,
        text=normalized.text,
        source_offsets=normalized.offsets,
        entities=tagged.entities,
        quantities=scan.quantities,
        facts=facts,
        warnings=raw.warnings + normalized.warnings + scan.warnings,
    )


def extract(source: str | bytes, *, id: str | None = None, format: str = "auto", ner: str = DEFAULT_NER) -> Document:
    """Extract one article given as text or raw bytes (any supported encoding).

    >>> import newsie
    >>> doc = newsie.extract("天心区引进外资4099万美元。", id="demo")
    >>> [(q["text"], q["value"], q["currency"]) for q in doc.to_dict()["quantities"]]
    [('4099万美元', 40990000, 'USD')]
    """
    raws = read_bytes(source, id=id, format=format) if isinstance(source, bytes) else read_text(source, id=id, format=format)
    return _single(raws, what="this input", ner=ner)


def extract_file(path: str | os.PathLike[str], *, id: str | None = None, format: str = "auto", ner: str = DEFAULT_NER) -> Document:
    """Extract the article in one file (.txt, .html, .json). For .jsonl use :func:`extract_path`.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = path.write_bytes("天心區引進外資4099萬美元。".encode("big5"))
    >>> doc = extract_file(path)
    >>> doc.meta["encoding"], doc.text, [f.category for f in doc.facts]
    ('big5', '天心区引进外资4099万美元。', ['foreign_investment'])
    """
    return _single(read_path(path, id=id, format=format), what=str(path), ner=ner)


def extract_path(path: str | os.PathLike[str], *, id: str | None = None, format: str = "auto", ner: str = DEFAULT_NER) -> Iterator[Document]:
    r"""Every article in one file: one, or one per line of a JSON-lines file.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "dump.jsonl"
    >>> _ = path.write_text('{"id": "a", "text": "引进项目10个"}\n{"text": "到位资金5亿元"}\n', encoding="utf-8")
    >>> [(d.id, [q.text for q in d.quantities]) for d in extract_path(path)]
    [('a', ['10个']), ('...dump.jsonl:2', ['5亿元'])]
    """
    for raw in read_path(Path(path), id=id, format=format):
        yield process(raw, ner=ner)


def _single(raws: Iterator[RawArticle], *, what: str, ner: str) -> Document:
    first = next(raws, None)
    if first is None:
        return Document(id=None, ok=False, error=ReadError("empty", f"{what} holds no article"))
    if next(raws, None) is not None:
        raise ValueError(f"{what} holds more than one article (JSON lines or a JSON array); use newsie.extract_path() to get them all")
    return process(first, ner=ner)
