"""newsie output as tidy tables, and JSON lines back into Documents.

:func:`to_dataframe` turns documents — :class:`~newsie.model.Document`
objects or the contract's JSON objects (``Document.to_dict()``, or lines of
``newsie extract`` output) — into one pandas DataFrame per level: one row per
fact, quantity, entity or document, with the contract's nested fields
flattened into columns and the document id on every row. pandas is an
optional dependency (``pip install 'newsie[notebook]'``); it is imported only
when :func:`to_dataframe` is called.

:func:`read_jsonl` reads ``newsie extract`` output back into Documents, so a
corpus extracted once on the command line can be analysed in a notebook.

Columns by level (types as pandas shows them; ``None``/``NaN`` where the
contract has null):

``documents`` — ``doc_id``, ``ok``, ``error_type``, ``error_message``,
``path``, ``encoding``, ``format``, ``title``, ``published``, ``script``,
``n_chars``, ``n_entities``, ``n_quantities``, ``n_facts``, ``n_warnings``,
``warnings`` (joined with ``"; "``), then ``meta_<key>`` for any further
meta key.

``quantities`` — ``doc_id``, ``quantity`` (index in the document's
``quantities``), ``text``, ``start``, ``end``, ``source_start``,
``source_end``, ``kind``, ``value``, ``unit``, ``currency``, ``qualifier``,
``low``, ``high``.

``entities`` — ``doc_id``, ``entity`` (index), ``text``, ``label``,
``start``, ``end``, ``source_start``, ``source_end``, ``norm_name``,
``norm_adcode``, ``norm_level``, ``norm_path`` (``"湖南省/长沙市/天心区"``).

``facts`` — ``doc_id``, ``fact`` (index), ``fact_id`` (``"DOC_ID#INDEX"``,
unique in a corpus), ``category``, ``metric``, ``subject``, ``status``,
``period``, ``quantity`` (index), ``text``, ``start``, ``end``, ``kind``,
``value``, ``unit``, ``currency``, ``qualifier``, ``low``, ``high`` (the
quantity's), ``region_name``, ``region_adcode``, ``region_level``,
``region_path``, ``threshold_value``, ``threshold_currency``,
``threshold_qualifier``, ``parent`` (index of the parent fact),
``parent_id`` (its ``fact_id``), ``evidence_start``, ``evidence_end``,
``evidence`` (the evidence text).

Fields the contract may gain later are kept: unknown keys of a fact,
quantity or entity appear as further columns after the ones above.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from newsie.model import Document, Entity, Fact, Quantity, ReadError, Region, Threshold

__all__ = ["LEVELS", "COLUMNS", "to_dataframe", "read_jsonl", "document_from_dict"]

# Modules whose doctests need an optional package; tests/test_doctests.py
# skips them (with a reason) when it is missing.
__doctest_requires__ = ("pandas",)

LEVELS = ("facts", "quantities", "entities", "documents")

COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "doc_id", "ok", "error_type", "error_message", "path", "encoding", "format", "title", "published",
        "script", "n_chars", "n_entities", "n_quantities", "n_facts", "n_warnings", "warnings",
    ),
    "quantities": (
        "doc_id", "quantity", "text", "start", "end", "source_start", "source_end", "kind", "value", "unit",
        "currency", "qualifier", "low", "high",
    ),
    "entities": (
        "doc_id", "entity", "text", "label", "start", "end", "source_start", "source_end", "norm_name",
        "norm_adcode", "norm_level", "norm_path",
    ),
    "facts": (
        "doc_id", "fact", "fact_id", "category", "metric", "subject", "status", "period", "quantity", "text",
        "start", "end", "kind", "value", "unit", "currency", "qualifier", "low", "high", "region_name",
        "region_adcode", "region_level", "region_path", "threshold_value", "threshold_currency",
        "threshold_qualifier", "parent", "parent_id", "evidence_start", "evidence_end", "evidence",
    ),
}

_META_KEYS = ("path", "encoding", "format", "title", "published", "script")
_QUANTITY_KEYS = ("text", "start", "end", "source_start", "source_end", "kind", "value", "unit", "currency",
                  "qualifier", "low", "high")
_ENTITY_KEYS = ("text", "label", "start", "end", "source_start", "source_end", "norm")
_FACT_KEYS = ("category", "metric", "quantity", "subject", "region", "threshold", "period", "status", "parent",
              "evidence")

# pandas dtypes of the columns that are numbers; nullable integers where the
# contract allows null. value/low/high are float64 (exact up to 2**53, far
# beyond any figure in the news; Document objects keep exact decimals).
_DTYPES = {
    "documents": {"ok": "bool", "n_chars": "int64", "n_entities": "int64", "n_quantities": "int64",
                  "n_facts": "int64", "n_warnings": "int64"},
    "quantities": {"quantity": "int64", "start": "int64", "end": "int64", "source_start": "Int64",
                   "source_end": "Int64", "value": "float64", "low": "float64", "high": "float64"},
    "entities": {"entity": "int64", "start": "int64", "end": "int64", "source_start": "Int64",
                 "source_end": "Int64"},
    "facts": {"fact": "int64", "quantity": "Int64", "start": "Int64", "end": "Int64", "value": "float64",
              "low": "float64", "high": "float64", "threshold_value": "float64", "parent": "Int64",
              "evidence_start": "Int64", "evidence_end": "Int64"},
}


def to_dataframe(docs: Any, level: str = "facts"):
    """One tidy pandas DataFrame of ``docs`` at ``level``: one row per item.

    ``docs`` is a :class:`~newsie.model.Document`, a contract dict, or an
    iterable of either (e.g. the result of :func:`read_jsonl` or
    :func:`newsie.extract_path`). ``level`` is ``"facts"``, ``"quantities"``,
    ``"entities"`` or ``"documents"``. Documents that failed (``ok`` false)
    give a row at the ``documents`` level only. The columns are listed in
    ``newsie.frames.COLUMNS[level]`` and in this module's docstring.

    >>> import newsie
    >>> doc = newsie.extract("天心区引进外资4099万美元、项目12个。", id="demo")
    >>> df = newsie.to_dataframe(doc, "quantities")
    >>> df[["doc_id", "text", "kind", "value", "unit"]].values.tolist()
    [['demo', '4099万美元', 'money', 40990000.0, 'USD'], ['demo', '12个', 'count', 12.0, '个']]
    >>> newsie.to_dataframe([doc], "documents")[["doc_id", "ok", "n_quantities"]].values.tolist()
    [['demo', True, 2]]
    >>> list(newsie.to_dataframe(doc, "facts").columns[:4])
    ['doc_id', 'fact', 'fact_id', 'category']
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(map(repr, LEVELS))}, not {level!r}")
    pd = _pandas()
    rows: list[dict[str, Any]] = []
    row_of = {"facts": _fact_rows, "quantities": _quantity_rows, "entities": _entity_rows,
              "documents": _document_rows}[level]
    for d in _iter_dicts(docs):
        rows.extend(row_of(d))
    columns = list(COLUMNS[level])
    for row in rows:  # fields added to the contract later: further columns, in order of appearance
        for key in row:
            if key not in columns:
                columns.append(key)
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column, dtype in _DTYPES[level].items():
        frame[column] = frame[column].astype(dtype)
    return frame


def read_jsonl(path: str | os.PathLike[str]) -> list[Document]:
    """The documents in a JSON-lines file written by ``newsie extract``, in order.

    Blank lines are skipped; a line that is not a JSON object raises
    ``ValueError`` naming the line. Each object becomes a
    :class:`~newsie.model.Document` (see :func:`document_from_dict`), so
    ``doc.to_dict()`` gives the line's object back.

    >>> import newsie, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "corpus.jsonl"
    >>> _ = out.write_text(newsie.extract("签约项目20个", id="a").to_json() + "\\n", encoding="utf-8")
    >>> docs = newsie.read_jsonl(out)
    >>> [(d.id, [q.text for q in d.quantities]) for d in docs]
    [('a', ['20个'])]
    """
    docs = []
    with Path(path).open("rb") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError as e:
                raise ValueError(f"{path}:{number}: not JSON ({e}); is this newsie extract output?") from None
            if not isinstance(obj, dict):
                raise ValueError(f"{path}:{number}: expected a JSON object (one document), got {type(obj).__name__}")
            docs.append(document_from_dict(obj))
    return docs


def document_from_dict(d: Mapping[str, Any]) -> Document:
    """A :class:`~newsie.model.Document` from the contract's JSON object.

    The inverse of :meth:`Document.to_dict` for every field of the contract
    (also available as ``Document.from_dict``): numbers become exact
    decimals again and ``source_start``/``source_end`` are kept, so
    ``document_from_dict(d).to_dict() == d`` for newsie's own output. Keys
    the contract does not define are dropped.

    >>> import newsie
    >>> d = newsie.extract("引进外资4099万美元", id="x").to_dict()
    >>> newsie.Document.from_dict(d).to_dict() == d
    True
    """
    text = d.get("text") or ""
    error = d.get("error")
    quantities = [
        Quantity(
            text=q["text"], start=q["start"], end=q["end"], kind=q["kind"], value=_decimal(q["value"]),
            unit=q.get("unit"), currency=q.get("currency"), qualifier=q.get("qualifier") or "exact",
            low=_decimal(q.get("low")), high=_decimal(q.get("high")),
        )
        for q in d.get("quantities") or ()
    ]
    entities = [
        Entity(text=e["text"], label=e["label"], start=e["start"], end=e["end"], norm=_region(e.get("norm")))
        for e in d.get("entities") or ()
    ]
    facts = [
        Fact(
            category=f["category"], metric=f.get("metric"), quantity=f["quantity"], subject=f.get("subject"),
            region=_region(f.get("region")), threshold=_threshold(f.get("threshold")), period=f.get("period"),
            status=f.get("status") or "actual", parent=f.get("parent"), evidence=tuple(f.get("evidence") or (0, 0)),
        )
        for f in d.get("facts") or ()
    ]
    spans = [*(d.get("entities") or ()), *(d.get("quantities") or ())]
    return Document(
        id=d.get("id"),
        ok=bool(d.get("ok", True)),
        error=ReadError(error.get("type", "error"), error.get("message", "")) if error else None,
        meta=dict(d.get("meta") or {}),
        text=text,
        source_offsets=_source_offsets(len(text), spans),
        entities=entities,
        quantities=quantities,
        facts=facts,
        warnings=list(d.get("warnings") or ()),
    )


# -- rows ---------------------------------------------------------------------


def _document_rows(d: Mapping[str, Any]) -> list[dict[str, Any]]:
    meta = d.get("meta") or {}
    error = d.get("error") or {}
    warnings = d.get("warnings") or []
    row: dict[str, Any] = {
        "doc_id": d.get("id"),
        "ok": bool(d.get("ok", True)),
        "error_type": error.get("type"),
        "error_message": error.get("message"),
        **{key: meta.get(key) for key in _META_KEYS},
        "n_chars": len(d.get("text") or ""),
        "n_entities": len(d.get("entities") or ()),
        "n_quantities": len(d.get("quantities") or ()),
        "n_facts": len(d.get("facts") or ()),
        "n_warnings": len(warnings),
        "warnings": "; ".join(map(str, warnings)),
    }
    for key, value in meta.items():
        if key not in _META_KEYS:
            row[f"meta_{key}"] = _cell(value)
    return [row]


def _quantity_rows(d: Mapping[str, Any]) -> list[dict[str, Any]]:
    doc_id = d.get("id")
    return [
        {"doc_id": doc_id, "quantity": i, **{key: q.get(key) for key in _QUANTITY_KEYS}, **_extra(q, _QUANTITY_KEYS)}
        for i, q in enumerate(d.get("quantities") or ())
    ]


def _entity_rows(d: Mapping[str, Any]) -> list[dict[str, Any]]:
    doc_id = d.get("id")
    rows = []
    for i, e in enumerate(d.get("entities") or ()):
        row = {"doc_id": doc_id, "entity": i, **{key: e.get(key) for key in _ENTITY_KEYS if key != "norm"}}
        row.update(_region_columns("norm", e.get("norm")))
        row.update(_extra(e, _ENTITY_KEYS))
        rows.append(row)
    return rows


def _fact_rows(d: Mapping[str, Any]) -> list[dict[str, Any]]:
    doc_id = d.get("id")
    text = d.get("text") or ""
    quantities = d.get("quantities") or []
    rows = []
    for i, f in enumerate(d.get("facts") or ()):
        qi = f.get("quantity")
        q = quantities[qi] if isinstance(qi, int) and 0 <= qi < len(quantities) else {}
        threshold = f.get("threshold") or {}
        evidence = f.get("evidence") or (None, None)
        ev_start, ev_end = (list(evidence) + [None, None])[:2]
        parent = f.get("parent")
        row = {
            "doc_id": doc_id,
            "fact": i,
            "fact_id": _fact_id(doc_id, i),
            "category": f.get("category"),
            "metric": f.get("metric"),
            "subject": f.get("subject"),
            "status": f.get("status"),
            "period": f.get("period"),
            "quantity": qi,
            **{key: q.get(key) for key in ("text", "start", "end", "kind", "value", "unit", "currency",
                                           "qualifier", "low", "high")},
            **_region_columns("region", f.get("region")),
            "threshold_value": threshold.get("value"),
            "threshold_currency": threshold.get("currency"),
            "threshold_qualifier": threshold.get("qualifier"),
            "parent": parent,
            "parent_id": _fact_id(doc_id, parent) if parent is not None else None,
            "evidence_start": ev_start,
            "evidence_end": ev_end,
            "evidence": text[ev_start:ev_end] if isinstance(ev_start, int) and isinstance(ev_end, int) else None,
        }
        row.update(_extra(f, _FACT_KEYS))
        rows.append(row)
    return rows


def _fact_id(doc_id: Any, index: int) -> str:
    return f"{doc_id}#{index}"


def _region_columns(prefix: str, region: Mapping[str, Any] | None) -> dict[str, Any]:
    region = region or {}
    path = region.get("path")
    return {
        f"{prefix}_name": region.get("name"),
        f"{prefix}_adcode": region.get("adcode"),
        f"{prefix}_level": region.get("level"),
        f"{prefix}_path": "/".join(path) if path else None,
    }


def _extra(item: Mapping[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {key: _cell(value) for key, value in item.items() if key not in known}


def _cell(value: Any) -> Any:
    """A value fit for one DataFrame cell: containers become JSON text."""
    if isinstance(value, (dict, list, tuple)):
        return orjson.dumps(value).decode()
    return value


def _iter_dicts(docs: Any):
    if isinstance(docs, (Document, Mapping)):
        docs = [docs]
    elif isinstance(docs, (str, bytes, os.PathLike)):
        raise TypeError("to_dataframe takes Documents or contract dicts; for a .jsonl file use newsie.read_jsonl(path) first")
    for doc in docs:
        if isinstance(doc, Document):
            yield doc.to_dict()
        elif isinstance(doc, Mapping):
            yield doc
        else:
            raise TypeError(f"expected a newsie Document or a contract dict, got {type(doc).__name__}")


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "newsie.to_dataframe needs pandas, an optional dependency: pip install 'newsie[notebook]' (or pip install pandas)"
        ) from None
    return pandas


# -- dicts back to dataclasses ------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        return Decimal(repr(value))  # 38.7 → Decimal("38.7"), not the binary expansion
    return Decimal(value)


def _region(r: Mapping[str, Any] | None) -> Region | None:
    if not r:
        return None
    return Region(name=r.get("name"), adcode=r.get("adcode"), level=r.get("level"), path=tuple(r.get("path") or ()))


def _threshold(t: Mapping[str, Any] | None) -> Threshold | None:
    if not t:
        return None
    return Threshold(value=_decimal(t.get("value")), currency=t.get("currency"), qualifier=t.get("qualifier") or "exact")


def _source_offsets(length: int, spans: Iterable[Mapping[str, Any]]) -> list[int]:
    """A text→source map that reproduces every span's ``source_start``/``source_end``.

    Only the ends of spans are known from the JSON; other positions are
    filled in as one past the position before. Empty when every span maps to
    itself (the map is then not needed).
    """
    known: dict[int, int] = {}
    identity = True
    for s in spans:
        start, end = s.get("start"), s.get("end")
        src_start, src_end = s.get("source_start"), s.get("source_end")
        if not all(isinstance(v, int) for v in (start, end, src_start, src_end)):
            continue
        if (src_start, src_end) != (start, end):
            identity = False
        if 0 <= start <= length:
            known[start] = src_start
        if start < end <= length:
            known[end - 1] = src_end - 1
    if identity:
        return []
    offsets = []
    previous = -1
    for i in range(length + 1):
        value = known.get(i, previous + 1)
        offsets.append(value)
        previous = value
    return offsets
