"""Skip hopeless start positions of a big regex alternation.

Python's ``re`` has no first-character optimization for a pattern that is an
alternation of many optional-prefixed branches (the date and period
patterns): at every position of the text it tries every branch. Prefixing the
pattern with a lookahead for the characters a match can start with makes
almost every position fail after one class test — about 8× faster on news text,
with identical matches. The character set is computed from the parsed pattern,
so the data files in ``patterns/`` stay the only place the wording lives.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser behind re.compile; private, so a failure means "no prefilter"
    from re import _parser as _p
except ImportError:  # pragma: no cover - other Python versions
    _p = None  # type: ignore[assignment]

_CATEGORY_CLASS = {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_SPACE": r"\s"}


class _Unknown(Exception):
    """The pattern uses something this analysis does not model."""


def first_char_class(pattern: str, flags: int = 0) -> str | None:
    """A regex character class matching every character a match of
    ``pattern`` can start with, or None when that cannot be bounded
    (the pattern can match the empty string, or starts with ``.``, a
    negated class, a back-reference …)."""
    if _p is None or flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        items, nullable = _first(_p.parse(pattern, flags))
    except (_Unknown, re.error, AttributeError, TypeError, ValueError):
        return None
    if nullable or not items:
        return None
    return "[" + "".join(sorted(items)) + "]"


def prefiltered(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern)`` with the first-character lookahead when it can be had."""
    first = first_char_class(pattern, flags)
    return re.compile(pattern if first is None else f"(?={first})(?:{pattern})", flags)


def _escape(char: int) -> str:
    return re.escape(chr(char))


def _first(seq: Any) -> tuple[set[str], bool]:
    """(first-character class items, can the sequence match empty?)."""
    items: set[str] = set()
    for op, arg in seq:
        name = str(op)
        if name == "LITERAL":
            return items | {_escape(arg)}, False
        if name == "IN":
            return items | _class_items(arg), False
        if name == "SUBPATTERN":
            sub_items, nullable = _first(arg[-1])
        elif name == "BRANCH":
            sub_items, nullable = set(), False
            for branch in arg[1]:
                branch_items, branch_nullable = _first(branch)
                sub_items |= branch_items
                nullable = nullable or branch_nullable
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = arg
            sub_items, nullable = _first(sub)
            nullable = nullable or low == 0
        elif name == "AT":
            continue  # anchors are zero-width
        else:  # ANY, NOT_LITERAL, GROUPREF, ASSERT … : do not guess
            raise _Unknown(name)
        items |= sub_items
        if not nullable:
            return items, False
    return items, True


def _class_items(arg: Any) -> set[str]:
    items: set[str] = set()
    for op, value in arg:
        name = str(op)
        if name == "LITERAL":
            items.add(_escape(value))
        elif name == "RANGE":
            items.add(f"{_escape(value[0])}-{_escape(value[1])}")
        elif name == "CATEGORY" and str(value) in _CATEGORY_CLASS:
            items.add(_CATEGORY_CLASS[str(value)])
        else:  # NEGATE, non-digit categories …
            raise _Unknown(name)
    return items
