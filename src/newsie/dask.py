"""newsie on a Dask cluster: a bag of documents and a DataFrame of facts.

Needs the ``dask`` extra (``pip install 'newsie[dask]'``: dask[bag,dataframe]
and distributed). The same code runs on a laptop and on a cluster; only the
``Client`` changes::

    import json
    from dask.distributed import Client
    import newsie.dask

    client = Client("tcp://scheduler:8786")        # or Client() for this machine
    docs = newsie.dask.documents(["/data/news"])   # a path every worker can read
    docs.map(json.dumps, ensure_ascii=False).to_textfiles("/data/out/part-*.jsonl")
    facts = newsie.dask.facts(docs)                # same columns as --facts-csv
    facts.to_parquet("/data/facts/")

Documents are the output contract's dicts (``Document.to_dict()``), exactly
what ``newsie extract`` writes, failures included (``"ok": false``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
from dask import delayed

from newsie.model import ReadError
from newsie.pipeline import process
from newsie.read import RawArticle, read_bytes, read_text
from newsie.runner import (
    DEFAULT_MAX_BYTES,
    FACT_COLUMNS,
    InputFile,
    Options,
    fact_rows,
    file_documents,
    iter_inputs,
)

__all__ = ["documents", "facts", "facts_frame", "FACT_DTYPES"]

FACT_DTYPES: dict[str, str] = {
    name: {"str": "string", "int": "Int64", "float": "float64"}[kind] for name, kind in FACT_COLUMNS
}
"""pandas dtypes of the fact table's columns (strings and integers nullable; values as float64)."""


def documents(
    source: db.Bag | str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    format: str = "auto",
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    files_per_partition: int = 64,
) -> db.Bag:
    """A bag of contract dicts, one per article.

    ``source`` is either

    * paths: files and folders, listed here (on the client) as ``newsie
      extract`` lists them, read on the workers — so the paths must mean the
      same on every worker (a shared or network file system); or
    * a Dask bag of texts: each element a ``str`` or ``bytes`` (one article,
      any supported encoding), an ``(id, str_or_bytes)`` pair, or a dict
      like a JSON-lines record (``{"id": …, "title": …, "text": …}``).

    Every input gives at least one document; failures are documents with
    ``"ok": false`` and an ``error``, as on the command line.
    """
    if isinstance(source, db.Bag):
        return source.map_partitions(_texts_to_documents, format)
    paths = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    inputs = list(iter_inputs(paths, include=include, exclude=exclude))
    if not inputs:
        return db.from_sequence([], npartitions=1)
    options = Options(format=format, max_bytes=max_bytes)
    return db.from_sequence(inputs, partition_size=max(1, files_per_partition)).map_partitions(_files_to_documents, options)


def facts(docs: db.Bag) -> dd.DataFrame:
    """One row per fact of a bag of documents, with the columns of ``newsie extract --facts-csv``."""
    parts = [delayed(_facts_of_partition)(part) for part in docs.to_delayed()]
    return dd.from_delayed(parts, meta=facts_frame([]), verify_meta=False)


def facts_frame(rows: Iterable[tuple[Any, ...]]) -> pd.DataFrame:
    """A pandas DataFrame of fact rows (:func:`newsie.runner.fact_rows`), typed as :data:`FACT_DTYPES`."""
    rows = list(rows)
    columns = list(zip(*rows)) if rows else [()] * len(FACT_COLUMNS)
    return pd.DataFrame(
        {name: pd.array(list(column), dtype=FACT_DTYPES[name]) for (name, _), column in zip(FACT_COLUMNS, columns)}
    )


# --------------------------------------------------------------------------- run on the workers


def _files_to_documents(inputs: Iterable[InputFile], options: Options) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in inputs:
        try:
            out.extend(file_documents(item, options))
        except Exception as e:  # a bug costs one file, not the partition
            error = ReadError("internal_error", f"newsie failed on this file ({type(e).__name__}: {e}); please report it")
            out.append(process(RawArticle(id=item.id, meta={"path": str(item.path)}, error=error)).to_dict())
    return out


def _texts_to_documents(elements: Iterable[Any], format: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for element in elements:
        doc_id: str | None = None
        fmt = format
        try:
            if isinstance(element, tuple) and len(element) == 2:
                doc_id, content = str(element[0]) if element[0] is not None else None, element[1]
            elif isinstance(element, dict):
                doc_id = next((str(element[k]) for k in ("id", "url", "link") if element.get(k)), None)
                content, fmt = _json_text(element), "json"
            else:
                content = element
            if isinstance(content, bytes):
                raws = list(read_bytes(content, id=doc_id, format=fmt))
            elif isinstance(content, str):
                raws = list(read_text(content, id=doc_id, format=fmt))
            else:
                raws = [RawArticle(id=doc_id, error=ReadError("no_text", f"a bag element must be str, bytes, (id, text) or a dict, not {type(content).__name__}"))]
            if not raws:
                raws = [RawArticle(id=doc_id, error=ReadError("empty", "the element holds no article (an empty JSON array?)"))]
            out.extend(process(raw).to_dict() for raw in raws)
        except Exception as e:  # a bug costs one element, not the partition
            error = ReadError("internal_error", f"newsie failed on this element ({type(e).__name__}: {e}); please report it")
            out.append(process(RawArticle(id=doc_id, error=error)).to_dict())
    return out


def _json_text(record: dict[str, Any]) -> str:
    import orjson

    return orjson.dumps(record, default=str).decode()


def _facts_of_partition(docs: Iterable[dict[str, Any]]) -> pd.DataFrame:
    return facts_frame(row for doc in docs for row in fact_rows(doc))
