"""Typed values passed between newsie's stages.

Data flows read → normalize → segment/tag → quantities → facts → output.
Each stage takes and returns the plain dataclasses below; only
:meth:`Document.to_dict` turns them into the JSON shape of the output
contract (``shared/CONTRACT.md``, schema ``newsie/1``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson

SCHEMA = "newsie/1"


@dataclass(frozen=True, slots=True)
class Region:
    """An administrative division or a development zone, as resolved."""

    name: str
    adcode: str | None
    level: str  # province | city | county | town | zone
    path: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "adcode": self.adcode, "level": self.level, "path": [*self.path]}


@dataclass(frozen=True, slots=True)
class Entity:
    """A named span in the normalized text. ``norm`` is set for GPE and ZONE."""

    text: str
    label: str  # GPE | ZONE | ORG | GOV | PERSON | DATE
    start: int
    end: int
    norm: Region | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with what it counts or measures, found in the normalized text.

    ``value``, ``low`` and ``high`` are exact decimals in base units (whole
    currency units for money); output turns whole numbers into ints.
    """

    text: str
    start: int
    end: int
    kind: str  # money | count | percent | measure | duration
    value: Decimal
    unit: str | None
    currency: str | None = None
    qualifier: str = "exact"  # exact approx at_least more_than at_most less_than range
    low: Decimal | None = None
    high: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Threshold:
    value: Decimal
    currency: str | None
    qualifier: str


@dataclass(slots=True)
class Fact:
    """One quantity put in its place (see the contract's ``facts[]``)."""

    category: str
    metric: str | None
    quantity: int  # index into Document.quantities
    subject: str | None
    region: Region | None
    threshold: Threshold | None
    period: str | None
    status: str  # actual | target
    parent: int | None
    evidence: tuple[int, int]


@dataclass(slots=True)
class ReadError:
    type: str
    message: str


@dataclass(slots=True)
class Document:
    """Everything newsie knows about one article."""

    id: str | None
    ok: bool = True
    error: ReadError | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    # source_offsets[i] is the index in the decoded source of text[i]; one more
    # entry at the end holds the source length, so spans can end at len(text).
    source_offsets: list[int] = field(default_factory=list, repr=False)
    entities: list[Entity] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of ``text`` back to the decoded source it came from."""
        offsets = self.source_offsets
        if not offsets:
            return start, end
        if end <= start:
            return offsets[start], offsets[start]
        return offsets[start], offsets[end - 1] + 1

    def to_dict(self) -> dict[str, Any]:
        """The document as the output contract's JSON object.

        >>> from newsie import extract
        >>> d = extract("引进外资4099万美元", id="x").to_dict()
        >>> d["schema"], d["id"], d["quantities"][0]["value"], d["quantities"][0]["currency"]
        ('newsie/1', 'x', 40990000, 'USD')
        """
        out: dict[str, Any] = {"schema": SCHEMA, "id": self.id, "ok": self.ok}
        if self.error is not None:
            out["error"] = {"type": self.error.type, "message": self.error.message}
        out["meta"] = dict(self.meta)
        if not self.ok and not self.text:
            out["warnings"] = list(self.warnings)
            return out
        out["text"] = self.text
        out["entities"] = _entity_dicts(self.entities, self.source_offsets)
        out["quantities"] = _quantity_dicts(self.quantities, self.source_offsets)
        out["facts"] = _fact_dicts(self.facts)
        out["warnings"] = list(self.warnings)
        return out

    def to_json(self) -> str:
        """The document as one line of JSON (no trailing newline).

        >>> from newsie import extract
        >>> extract("", id="x").to_json()[:40]
        '{"schema":"newsie/1","id":"x","ok":false'
        """
        return orjson.dumps(self.to_dict()).decode()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        """The document back from the output contract's JSON object (see :func:`newsie.read_jsonl`).

        >>> d = newsie.extract("签约项目20个", id="a").to_dict()
        >>> Document.from_dict(d).to_dict() == d
        True
        """
        from newsie.frames import document_from_dict

        return document_from_dict(d)

    def _repr_html_(self) -> str:
        """The article with entities, quantities and facts highlighted, for Jupyter (see :func:`newsie.render`)."""
        from newsie.render import render

        return render(self)


def number(value: Decimal | None) -> int | float | None:
    """A decimal as the JSON number a reader expects: an int when whole."""
    if value is None:
        return None
    # One call answers both whether it is whole and which int it is: a fifth
    # cheaper than comparing with to_integral_value() and converting.
    try:
        numerator, denominator = value.as_integer_ratio()
    except ValueError:  # NaN
        return float(value)
    return numerator if denominator == 1 else float(value)


# The output is built in loops with the span lookup inlined rather than
# through a method per item: a document holds a hundred or more of them, and
# the calls were a third of to_dict's cost (measured with callgrind on 200
# benchmark documents). A region's dict stays Region.to_dict: one shape.
# Tuples are copied into lists as [*t], which skips the call that list(t) is.


def _entity_dicts(entities: list[Entity], offsets: list[int]) -> list[dict[str, Any]]:
    out = []
    for e in entities:
        start, end = e.start, e.end
        if not offsets:
            source_start, source_end = start, end
        elif end <= start:
            source_start = source_end = offsets[start]
        else:
            source_start, source_end = offsets[start], offsets[end - 1] + 1
        norm = e.norm
        out.append({
            "text": e.text,
            "label": e.label,
            "start": start,
            "end": end,
            "source_start": source_start,
            "source_end": source_end,
            "norm": norm.to_dict() if norm else None,
        })
    return out


def _quantity_dicts(quantities: list[Quantity], offsets: list[int]) -> list[dict[str, Any]]:
    out = []
    for q in quantities:
        start, end = q.start, q.end
        if not offsets:
            source_start, source_end = start, end
        elif end <= start:
            source_start = source_end = offsets[start]
        else:
            source_start, source_end = offsets[start], offsets[end - 1] + 1
        low, high = q.low, q.high
        out.append({
            "text": q.text,
            "start": start,
            "end": end,
            "source_start": source_start,
            "source_end": source_end,
            "kind": q.kind,
            "value": number(q.value),
            "unit": q.unit,
            "currency": q.currency,
            "qualifier": q.qualifier,
            "low": None if low is None else number(low),
            "high": None if high is None else number(high),
        })
    return out


def _fact_dicts(facts: list[Fact]) -> list[dict[str, Any]]:
    out = []
    for f in facts:
        region, threshold = f.region, f.threshold
        out.append({
            "category": f.category,
            "metric": f.metric,
            "quantity": f.quantity,
            "subject": f.subject,
            "region": region.to_dict() if region else None,
            "threshold": (
                {"value": number(threshold.value), "currency": threshold.currency, "qualifier": threshold.qualifier}
                if threshold
                else None
            ),
            "period": f.period,
            "status": f.status,
            "parent": f.parent,
            "evidence": [*f.evidence],
        })
    return out
