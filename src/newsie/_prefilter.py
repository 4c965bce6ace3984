"""Skip hopeless start positions of a big regex alternation.

Python's ``re`` has no first-character optimization for a pattern that is an
alternation of many optional-prefixed branches (the date and period
patterns): at every position of the text it tries every branch. Prefixing the
pattern with a lookahead for the characters a match can start with makes
almost every position fail after one class test — about 8× faster on news text,
with identical matches. The character set is computed from the parsed pattern,
so the data files in ``patterns/`` stay the only place the wording lives.

Digits need a second test. In figure-dense news most candidate positions
are digits of amounts (2亿元, 45个), where every date branch fails only
after reading the digits. When a match cannot be digits alone, one that
starts with digits must go on, right after that run of digits, with one of
the few characters the pattern allows there (年, 月, 至 … for the date
patterns); the lookahead checks that too, which halves the work on such text,
still with identical matches.

Word lists (units, cue words, titles) become prefix trees
(:func:`alternation`): the same matches as the flat list sorted longest
first, without trying every word at every position.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import regex

try:  # the parser behind re.compile; private, so a failure means "no prefilter"
    from re import _parser as _p  # type: ignore[attr-defined]  # (not in every typeshed)
except ImportError:  # pragma: no cover - other Python versions
    _p = None  # type: ignore[assignment]

_CATEGORY_CLASS = {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_SPACE": r"\s"}


class _Unknown(Exception):
    """The pattern uses something this analysis does not model."""


def first_char_class(pattern: str, flags: int = 0) -> str | None:
    """A regex character class matching every character a match of
    ``pattern`` can start with, or None when that cannot be bounded
    (the pattern can match the empty string, or starts with ``.``, a
    negated class, a back-reference …). Under IGNORECASE the class is
    meant to be used with that flag too."""
    if _p is None:
        return None
    try:
        items, nullable = _first(_p.parse(pattern, flags))
    except (_Unknown, re.error, AttributeError, TypeError, ValueError):
        return None
    if nullable or not items:
        return None
    return "[" + "".join(sorted(items)) + "]"


def char_class(pattern: str, flags: int = 0) -> str | None:
    """A regex character class matching every character a match of
    ``pattern`` can consist of, or None when that cannot be bounded
    (``.``, a negated class, a back-reference …). Lookarounds are left out:
    they consume nothing."""
    if _p is None:
        return None
    items: set[str] = set()

    def step(chars: set[str], digit: bool, other: bool, states: frozenset[int]) -> frozenset[int]:
        items.update(chars)
        return states

    try:
        _walk(_p.parse(pattern, flags), frozenset({0}), step)
    except (_Unknown, re.error, AttributeError, TypeError, ValueError):
        return None
    return "[" + "".join(sorted(items)) + "]" if items else None


def longest_first(words: Iterable[str]) -> list[str]:
    """The distinct words, longest first: the order in which a word list is tried."""
    return sorted(set(words), key=len, reverse=True)


def alternation(words: Iterable[str], *, ignorecase: bool = False) -> str:
    """A regex matching any of ``words``, preferring the longest, written as a
    prefix tree: 亿元|亿美元|亿 becomes ``亿(?:美元|元)?``.

    ``re`` and ``regex`` try the branches of an alternation one after the
    other, so a flat list of a hundred cue words costs a hundred comparisons
    at every position; the tree costs about one per character. The matches,
    and their order of preference when the engine backtracks, are those of
    the flat alternation sorted longest first: two words can both match at
    one place only when one is a prefix of the other, and the tree, like the
    sorted list, tries the longer one first. With ``ignorecase`` the tree is
    built over lower-cased words (for a pattern compiled with IGNORECASE);
    words with cased letters outside ASCII get the flat list.
    """
    distinct = longest_first(words)
    if "" in distinct:
        raise ValueError("an empty word in an alternation")
    if ignorecase:
        if any(not c.isascii() and c.lower() != c.upper() for w in distinct for c in w):
            return "|".join(map(re.escape, distinct))
        distinct = longest_first(w.lower() for w in distinct)
    tree: dict[str, Any] = {}
    for word in distinct:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _tree_pattern(tree)


def _tree_pattern(node: dict[str, Any]) -> str:
    """The alternation of the words below ``node``, deepest branches first."""
    branches = sorted((c for c in node if c), key=lambda c: (-_depth(node[c]), c))
    parts = []
    for char in branches:
        child = node[char]
        rest = _tree_pattern(child) if any(child) else ""
        if not rest:
            parts.append(re.escape(char))
        elif "" in child:  # the word may end here or go on
            parts.append(re.escape(char) + (f"(?:{rest})?" if _needs_group(rest) else f"{rest}?"))
        else:
            parts.append(re.escape(char) + (f"(?:{rest})" if "|" in rest else rest))
    return "|".join(parts)


def _depth(node: dict[str, Any]) -> int:
    return max((1 + _depth(child) for char, child in node.items() if char), default=0)


def _needs_group(pattern: str) -> bool:
    """Whether ``pattern`` needs a group before a ``?`` applies to all of it."""
    return len(pattern) != 1 and not (len(pattern) == 2 and pattern[0] == "\\")


def _code_points() -> str:
    """Every code point but the surrogates, in order: 1.1 M characters,
    built from an array in one decode (a join over chr() takes 6x longer)."""
    codes = array("I", range(0xD800))
    codes.extend(range(0xE000, 0x110000))
    if codes.itemsize != 4:  # pragma: no cover - 'I' is 4 bytes wherever CPython builds
        return "".join(map(chr, codes))
    return codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


def as_re_classes(*regex_classes: str) -> tuple[str, ...]:
    """For each class of the ``regex`` module, the inside of an ``re``
    character class that matches exactly the same characters.

    ``re`` has no Unicode properties (\\p{Han}), and ``regex``'s \\s is not
    ``re``'s (it leaves out \\x1c-\\x1f); a pattern moved to the faster ``re``
    gets its classes from here, read off the installed ``regex`` (its Unicode
    version included) over every code point, about 50 ms once per process:
    ``as_re_classes(r"\\p{Han}")`` is ``("⺀-⺙⺛-⻳…",)``.
    """
    chars = _code_points()
    classes = []
    for regex_class in regex_classes:
        parts = []
        for run in regex.finditer(f"(?:{regex_class})+", chars):
            first, last = chars[run.start()], chars[run.end() - 1]
            parts.append(re.escape(first) if first == last else f"{re.escape(first)}-{re.escape(last)}")
        classes.append("".join(parts))
    return tuple(classes)


class Scanner:
    """``pattern.finditer`` that tries the pattern only where a match can start.

    Even with a lookahead in front, ``re`` sets up a full match attempt at
    every position of the text (a few hundred machine instructions each).
    A pattern that begins with a bare character class is different: the
    engine then skips along the text in a tight C loop. So the scanner
    finds the candidate positions with such patterns and tries the pattern
    at those only — the same matches, in a fraction of the work when few
    positions qualify (digits and numerals for quantities). Where most
    positions qualify anyway, the extra Python work per candidate costs more
    than it saves (measured: the date patterns), so it is not used there.
    """

    __slots__ = ("pattern", "_starts")

    def __init__(self, pattern: re.Pattern[str], starts: Sequence[re.Pattern[str]]) -> None:
        """``starts``: patterns that each begin with a character class; every
        position inside their matches' first group is a candidate, and
        together they must propose every position where ``pattern`` can
        start a match."""
        self.pattern = pattern
        self._starts = list(starts)

    def matches(self, text: str) -> list[re.Match[str]]:
        """What ``list(pattern.finditer(text))`` gives."""
        if len(self._starts) == 1:
            return self._matches_in_order(text)
        candidates: list[int] = []
        for starts in self._starts:
            for proposed in starts.finditer(text):
                candidates.extend(range(proposed.start(1), proposed.end(1)))
        candidates.sort()
        found: list[re.Match[str]] = []
        end = 0  # matches do not overlap: the next starts at or after this
        match = self.pattern.match
        for position in candidates:
            if position < end:
                continue
            m = match(text, position)
            if m is not None:
                found.append(m)
                end = m.end()
        return found

    def _matches_in_order(self, text: str) -> list[re.Match[str]]:
        """:meth:`matches` for one ``starts`` pattern, whose candidates come
        in order: each proposed run is walked as it comes, no list made."""
        found: list[re.Match[str]] = []
        end = 0
        match = self.pattern.match
        for proposed in self._starts[0].finditer(text):
            position, stop = proposed.span(1)
            if position < end:
                position = end
            while position < stop:
                m = match(text, position)
                if m is None:
                    position += 1
                else:
                    found.append(m)
                    end = m.end()
                    position = end if end > position else position + 1
        return found


def lookahead(pattern: str, flags: int = 0) -> str | None:
    """The zero-width test :func:`prefiltered` puts before ``pattern``, or
    None when nothing can be said about where its matches start."""
    first = first_char_class(pattern, flags)
    if first is None:
        return None
    try:
        parsed = _p.parse(pattern, flags)
        starts, _nullable = _first(parsed)
        longest = parsed.getwidth()[1]
        followers = _lead_followers(parsed, min(longest, _MAX_DIGIT_TEST))
    except (_Unknown, re.error, AttributeError, TypeError, ValueError, OverflowError):  # pragma: no cover - first_char_class parsed it
        followers = None
    digit_starts = {item for item in starts if _digits_only(item)}
    # A match that starts with digits goes on, after exactly so many of
    # them, with one of the characters the pattern allows there: 年 after
    # four digits, 月 after one or two. The test reads at most as many
    # digits as a match can be long, so a long run of digits costs that
    # much per position, not the whole run (a megabyte of digits stays
    # linear). It needs followers that are plain characters, none of them a
    # digit, and matches no longer than _MAX_DIGIT_TEST.
    if followers is None or not digit_starts or longest > _MAX_DIGIT_TEST or any(_unescape(f) is None for f in followers):
        return f"(?={first})"
    others = "".join(sorted(starts - digit_starts))
    # … and one that starts with another character goes on with one of these
    # (目前 but not 项目; 全年 but not 全市)
    second = _second_items(parsed) if others else None
    other_test = f"[{others}]" + (f"[{''.join(sorted(second))}]" if second else "")
    by_counts: dict[tuple[int, ...], list[str]] = {}
    for follower, counts in followers.items():
        by_counts.setdefault(tuple(sorted(counts)), []).append(follower)
    # The first digit is read once, before the alternatives: at the many
    # positions without one, the test then fails at its first step.
    tests = [f"{_more_digits(counts)}[{''.join(sorted(chars))}]" for counts, chars in sorted(by_counts.items())]
    digit_test = rf"\d{tests[0]}" if len(tests) == 1 else rf"\d(?:{'|'.join(tests)})"
    return f"(?={other_test}|{digit_test})" if others else f"(?={digit_test})"


def _more_digits(counts: tuple[int, ...]) -> str:
    """A regex for the digits after the first of a run of exactly one of
    ``counts`` (sorted, >= 1) digits: \\d{3} for 4, \\d? for 1 or 2."""
    ranges: list[tuple[int, int]] = []
    for n in counts:
        if ranges and ranges[-1][1] == n - 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    runs = [_repeat(a - 1, b - 1) for a, b in ranges]
    return runs[0] if len(runs) == 1 else f"(?:{'|'.join(runs)})"


def _repeat(low: int, high: int) -> str:
    if high == 0:
        return ""
    if (low, high) == (0, 1):
        return r"\d?"
    return rf"\d{{{low}}}" if low == high else rf"\d{{{low},{high}}}"


# Longest match for which the digit test is used (the date patterns: about 20).
_MAX_DIGIT_TEST = 64


def dispatched(parts: Sequence[str]) -> str:
    """The alternation of ``parts`` (in this order: the first that matches
    wins), written so that each position tries only the parts that can
    start with its character: ``(?=[目])(?:目前|截至目前)|(?=[今])(?:…)…``.

    ``re`` tries every branch of an alternation in turn, and in the date
    patterns most branches open with an optional year (今年|去年|\\d{4}年),
    so even a position where only one branch can match pays for all of
    them. The matches are the same: a part that cannot start with the
    character fails there anyway, and the parts that can keep their order.
    Parts must not hold groups (they may appear several times); when a
    part's first characters cannot be bounded, the plain alternation is
    returned.
    """
    plain = "|".join(f"(?:{p})" for p in parts)
    if _p is None:
        return plain
    literals: list[set[str]] = []  # per part: the characters it can start with …
    classes: list[set[str]] = []  # … and the class items (\d, ranges) it can start with
    try:
        for part in parts:
            items, nullable = _first(_p.parse(part))
            if nullable or not items:
                return plain
            literals.append({c for c in map(_unescape, items) if c is not None})
            classes.append({i for i in items if _unescape(i) is None})
    except (_Unknown, re.error, AttributeError, TypeError, ValueError):
        return plain

    def alternation(members: Sequence[int]) -> str:
        return "|".join(f"(?:{parts[k]})" for k in members)

    # One branch per set of characters that start the same parts.
    chars_of_members: dict[tuple[int, ...], list[str]] = {}
    all_literals = sorted(set().union(*literals))
    for char in all_literals:
        members = tuple(
            k for k in range(len(parts)) if char in literals[k] or any(re.match(f"[{item}]", char) for item in classes[k])
        )
        chars_of_members.setdefault(members, []).append(char)
    branches = [f"(?=[{''.join(map(re.escape, chars))}])(?:{alternation(members)})" for members, chars in chars_of_members.items()]
    with_classes = [k for k in range(len(parts)) if classes[k]]
    if with_classes:
        # Other characters matched by a class: the parts that start with one.
        not_listed = f"(?![{''.join(map(re.escape, all_literals))}])" if all_literals else ""
        branches.append(f"{not_listed}(?=[{''.join(sorted(set().union(*classes)))}])(?:{alternation(with_classes)})")
    return "|".join(branches)


def _unescape(item: str) -> str | None:
    """The character of a literal class item (as :func:`_escape` writes it), or None for \\d, ranges …"""
    if len(item) == 1:
        return item
    if len(item) == 2 and item[0] == "\\" and item not in (r"\d", r"\w", r"\s"):
        return item[1]
    return None


def prefiltered(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern)`` with the start-position lookahead when it can be had."""
    test = lookahead(pattern, flags)
    return re.compile(pattern if test is None else f"{test}(?:{pattern})", flags)


def _escape(char: int) -> str:
    return re.escape(chr(char))


# Items that consume nothing; leaving them out of the analysis only widens
# the sets it computes.
_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")

_DIGIT = re.compile(r"\d")  # what \d matches in a str pattern: Unicode decimal digits


def _digits_only(item: str) -> bool:
    """Whether a class item (as built here) matches digits and nothing else."""
    return item in (r"\d", "0-9") or (len(item) == 1 and _DIGIT.match(item) is not None)


def _matches_a_digit(op: Any, arg: Any) -> bool:
    """Whether a LITERAL or IN (class) item can match a digit."""
    if str(op) == "LITERAL":
        return _DIGIT.match(chr(arg)) is not None
    for item_op, value in arg:
        kind = str(item_op)
        if kind == "LITERAL" and _DIGIT.match(chr(value)):
            return True
        if kind == "RANGE" and any(chr(c).isdecimal() for c in range(value[0], value[1] + 1)):
            return True
        if kind == "CATEGORY" and str(value) in ("CATEGORY_DIGIT", "CATEGORY_WORD"):
            return True
    return False


# Reading a match from its start, the possible states: how many digits have
# been read, all of them leading (0: nothing read yet), or _PAST: the match
# has gone on past its leading digits.
_PAST = -1

# A step of a walk: the states after one character of the given class items
# (can it be a digit? can it be something else?) from the states before.
_Step = Callable[[set[str], bool, bool, frozenset[int]], frozenset[int]]


def _lead_followers(seq: Any, most: int) -> dict[str, set[int]] | None:
    """Class items for the characters that can come right after the digits a
    match starts with (digits left out), each with how many digits can come
    before it; None when a match can be digits alone. Counts stop at ``most``
    (a match's longest length)."""
    found: dict[str, set[int]] = {}

    def step(items: set[str], digit: bool, other: bool, states: frozenset[int]) -> frozenset[int]:
        after: set[int] = set()
        for state in states:
            if state > 0:
                for item in items:
                    found.setdefault(item, set()).add(state)
            if state >= 0 and digit and state < most:
                after.add(state + 1)
            if state == _PAST or other:
                after.add(_PAST)  # (a match that starts with no digit is not followed)
        return frozenset(after)

    ends = _walk(seq, frozenset({0}), step)
    if any(state > 0 for state in ends):
        return None
    return {item: counts for item, counts in found.items() if not _digits_only(item)}


def _second_items(seq: Any) -> set[str] | None:
    """Class items for the second character of a match that starts with
    something other than a digit; None when such a match can be one
    character long. (States: characters read, 2 meaning two or more.)"""
    found: set[str] = set()

    def step(items: set[str], digit: bool, other: bool, states: frozenset[int]) -> frozenset[int]:
        after: set[int] = set()
        for state in states:
            if state == 0 and other:
                after.add(1)  # (digit starts are the digit test's)
            elif state == 1:
                found.update(items)
                after.add(2)
            elif state == 2:
                after.add(2)
        return frozenset(after)

    ends = _walk(seq, frozenset({0}), step)
    return None if 1 in ends else found


def _walk(seq: Any, states: frozenset[int], step: _Step) -> frozenset[int]:
    """The states after reading ``seq`` from ``states``, one character at a
    time through ``step``. States are small ints: past a repeat's minimum, a
    round that adds no new state ends it."""
    for op, arg in seq:
        name = str(op)
        if name in ("LITERAL", "IN"):
            items = {_escape(arg)} if name == "LITERAL" else _class_items(arg)
            other = any(not _digits_only(i) for i in items)  # can match something else than a digit
            states = step(items, _matches_a_digit(op, arg), other, states)
        elif name == "SUBPATTERN":
            states = _walk(arg[-1], states, step)
        elif name == "BRANCH":
            states = frozenset().union(*(_walk(branch, states, step) for branch in arg[1]))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            current = states
            ends: set[int] = set(current) if low == 0 else set()
            rounds = 0
            while rounds < high and current:
                current = _walk(sub, current, step)
                rounds += 1
                if rounds >= low:
                    if rounds > low and current <= ends:
                        break
                    ends |= current
            states = frozenset(ends)
        elif name not in _ZERO_WIDTH:
            raise _Unknown(name)
    return states


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
        elif name in _ZERO_WIDTH:
            continue  # anchors and lookarounds consume nothing
        else:  # ANY, NOT_LITERAL, GROUPREF … : do not guess
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
