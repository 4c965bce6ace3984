"""The model's per-item objects, built faster than through their dataclass
``__init__``.

A dataclass's generated ``__init__`` is interpreted bytecode; a frozen one
also sets each field through ``object.__setattr__``. Quantities, DATE and
place entities and facts are made by the thousand per batch, so the stages
build them here instead: this module is compiled (hatch_build.py), where the
same stores cost about half. The objects are the same in every respect
(tests check each field, equality, hashing and frozenness against the
dataclass's own constructor).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from newsie.model import Entity, Fact, Quantity, Region, Threshold

_new: Final = object.__new__
_set: Final = object.__setattr__  # what a frozen dataclass's __init__ uses too


def new_quantity(
    text: str,
    start: int,
    end: int,
    kind: str,
    value: Decimal,
    unit: str | None,
    currency: str | None,
    qualifier: str,
    low: Decimal | None,
    high: Decimal | None,
) -> Quantity:
    """``Quantity(text, start, …, high)``."""
    q: Quantity = _new(Quantity)
    _set(q, "text", text)
    _set(q, "start", start)
    _set(q, "end", end)
    _set(q, "kind", kind)
    _set(q, "value", value)
    _set(q, "unit", unit)
    _set(q, "currency", currency)
    _set(q, "qualifier", qualifier)
    _set(q, "low", low)
    _set(q, "high", high)
    return q


def new_entity(text: str, label: str, start: int, end: int, norm: Region | None) -> Entity:
    """``Entity(text, label, start, end, norm)``."""
    entity: Entity = _new(Entity)
    _set(entity, "text", text)
    _set(entity, "label", label)
    _set(entity, "start", start)
    _set(entity, "end", end)
    _set(entity, "norm", norm)
    return entity


def new_fact(
    category: str,
    metric: str | None,
    quantity: int,
    subject: str | None,
    region: Region | None,
    threshold: Threshold | None,
    period: str | None,
    status: str,
    parent: int | None,
    evidence: tuple[int, int],
) -> Fact:
    """``Fact(category, …, evidence)`` (not frozen: plain attribute stores)."""
    fact: Fact = _new(Fact)
    fact.category = category
    fact.metric = metric
    fact.quantity = quantity
    fact.subject = subject
    fact.region = region
    fact.threshold = threshold
    fact.period = period
    fact.status = status
    fact.parent = parent
    fact.evidence = evidence
    return fact
