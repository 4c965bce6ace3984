"""The model's per-item objects, built faster than through their dataclass
``__init__``.

A dataclass's generated ``__init__`` is interpreted bytecode; a frozen one
also sets each field through ``object.__setattr__``. Quantities, entities
and facts are made by the thousand per batch, so the stages build them here
instead: this module is compiled (hatch_build.py), and each field is stored
through its slot's own setter (the member descriptor's ``__set__``), which
skips the attribute lookup ``object.__setattr__`` does by name: about a
third less work per field. The objects are the same in every respect (tests
check each field, equality, hashing and frozenness against the dataclass's
own constructor).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final

from newsie.model import Entity, Fact, Quantity, Region, Threshold

_new: Final = object.__new__

Setter = Callable[[Any, Any], None]


def _setter(cls: type, name: str) -> Setter:
    """The ``__set__`` of the slot ``name`` of ``cls`` (a member descriptor:
    it stores into the slot whatever ``__setattr__`` a frozen class has)."""
    setter: Setter = cls.__dict__[name].__set__
    return setter


_Q_TEXT: Final = _setter(Quantity, "text")
_Q_START: Final = _setter(Quantity, "start")
_Q_END: Final = _setter(Quantity, "end")
_Q_KIND: Final = _setter(Quantity, "kind")
_Q_VALUE: Final = _setter(Quantity, "value")
_Q_UNIT: Final = _setter(Quantity, "unit")
_Q_CURRENCY: Final = _setter(Quantity, "currency")
_Q_QUALIFIER: Final = _setter(Quantity, "qualifier")
_Q_LOW: Final = _setter(Quantity, "low")
_Q_HIGH: Final = _setter(Quantity, "high")
_E_TEXT: Final = _setter(Entity, "text")
_E_LABEL: Final = _setter(Entity, "label")
_E_START: Final = _setter(Entity, "start")
_E_END: Final = _setter(Entity, "end")
_E_NORM: Final = _setter(Entity, "norm")


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
    _Q_TEXT(q, text)
    _Q_START(q, start)
    _Q_END(q, end)
    _Q_KIND(q, kind)
    _Q_VALUE(q, value)
    _Q_UNIT(q, unit)
    _Q_CURRENCY(q, currency)
    _Q_QUALIFIER(q, qualifier)
    _Q_LOW(q, low)
    _Q_HIGH(q, high)
    return q


def new_entity(text: str, label: str, start: int, end: int, norm: Region | None) -> Entity:
    """``Entity(text, label, start, end, norm)``."""
    entity: Entity = _new(Entity)
    _E_TEXT(entity, text)
    _E_LABEL(entity, label)
    _E_START(entity, start)
    _E_END(entity, end)
    _E_NORM(entity, norm)
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
    """``Fact(category, …, evidence)`` (not frozen: plain attribute stores,
    cheaper than a slot setter's call)."""
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
