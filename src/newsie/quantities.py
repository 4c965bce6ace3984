"""Find amounts, counts, percentages, measures and durations in normalized text.

One regular expression, compiled once from the data in ``patterns/``
(numbers, currencies, units, qualifiers, distractors), finds every candidate
in a single pass; small pure functions then decide its kind and value.

Linear time on any input: every number starts where no number character
precedes it and is matched possessively, so a run of 100,000 digits or
``亿亿亿…`` is scanned once, not once per position.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Final

import cn2an
import regex

from newsie._prefilter import Scanner, alternation, first_char_class
from newsie._construct import new_quantity
from newsie.model import Quantity
from newsie.resources import pattern_path


@dataclass(frozen=True, slots=True)
class _Lexicon:
    magnitudes: dict[str, Decimal]
    currencies: dict[str, str]
    bare_money: dict[str, str]
    money_context: regex.Pattern[str]
    unit_kinds: dict[str, str]
    ascii_units: frozenset[str]
    blocked_after: dict[str, str]
    qualifiers_before: dict[str, str]
    qualifier_blocked_by: dict[str, str]
    qualifier_unblocked_after: dict[str, tuple[str, ...]]
    qualifiers_inside: dict[str, str]
    qualifiers_after: dict[str, str]
    ordinal_before: tuple[str, ...]
    ordinal_last: tuple[int, ...]  # the code points ordinal_before's words end with
    period_before_duration: tuple[str, ...]
    period_last: tuple[int, ...]
    slogan_after: tuple[str, ...]
    slogan_first: tuple[int, ...]  # the code points slogan_after's words start with
    article_numerals: frozenset[str]
    garbled: frozenset[str]
    chinese_digits: str
    magnitude_endings: str
    digit_chars: frozenset[str]
    chinese_positions: str
    max_integer_digits: int
    arabic_values: dict[str, Decimal]  # values read so far (see _number_value)
    pattern: re.Pattern[str]
    scanner: Scanner


def _load(name: str) -> dict:
    with open(pattern_path(name), "rb") as f:
        return tomllib.load(f)


@cache
def lexicon() -> _Lexicon:
    """The compiled quantity patterns (loaded once per process)."""
    numbers = _load("numbers.toml")
    currencies = _load("currencies.toml")
    units = _load("units.toml")
    qualifiers = _load("qualifiers.toml")
    distractors = _load("distractors.toml")

    unit_kinds: dict[str, str] = {}
    for kind in ("count", "measure", "duration", "percent"):
        for unit in units[kind]["units"]:
            unit_kinds.setdefault(unit, kind)
    ascii_units = frozenset(u.lower() for u in unit_kinds if u.isascii() and u.isalpha())
    for word in currencies["currencies"]:
        unit_kinds[word] = "money"

    cn_digits = numbers["chinese_digits"]
    cn_positions = numbers["chinese_positions"]
    cn_chars = cn_digits + cn_positions
    point = numbers["chinese_point"]
    # Number characters a number must not start right after (so each run of
    # them is tried once) and must not be followed by.
    before_number = rf"(?<![0-9.,A-Za-z{cn_chars}{point}])"
    arabic = r"[0-9]++(?:,[0-9]{3}+)*+(?:\.[0-9]++)?+(?![0-9])"
    chinese = rf"[{cn_chars}]++(?:{point}[{cn_digits}]++)?+"
    number = rf"(?:{arabic}|{chinese})"
    magnitude = alternation(numbers["magnitudes"], ignorecase=True)
    inside = alternation(qualifiers["inside"], ignorecase=True)
    separators = alternation(qualifiers["range"]["separators"], ignorecase=True)
    before = alternation(qualifiers["before"], ignorecase=True)
    after = alternation(qualifiers["after"], ignorecase=True)
    unit = _units_alternation(unit_kinds)
    # How every match begins: a qualifier or none, then where a number may
    # start, its first character.
    number_first = first_char_class(f"百分之|{number}")
    if number_first is None:
        raise ValueError("numbers have no bounded first characters: patterns/numbers.toml changed?")
    head = f"{_optional(before)}{before_number}{number_first}"
    # The standard library's engine (possessive quantifiers since Python
    # 3.11) scans this pattern several times faster than `regex`.
    pattern = re.compile(
        rf"""
        {_optional(f"(?P<pre>{before})")}
        {before_number}
        (?:
            百分之(?P<pct>{number})
          |
            (?P<num>{number})
            {_optional(_guarded(_optional(f"(?P<inside1>{inside})") + f"(?P<mag>{magnitude})"))}
            {_optional(f"%?(?P<sep>{separators})(?P<num2>{number})" + _optional(f"(?P<mag2>{magnitude})"))}
            {_optional(f"(?P<inside2>{inside})")}
            {_optional(_guarded(f"(?P<unit>{unit})"))}
        )
        {_optional(f"(?P<post>{after})")}
        """,
        re.VERBOSE | re.IGNORECASE,
    )
    if pattern.groupindex != _GROUPS:
        raise AssertionError(f"quantity pattern groups {dict(pattern.groupindex)} differ from _GROUPS")
    return _Lexicon(
        magnitudes={k: Decimal(v) for k, v in numbers["magnitudes"].items()},
        currencies=dict(currencies["currencies"]),
        bare_money=dict(currencies["bare_money"]),
        money_context=regex.compile(alternation(currencies["money_context"]["words"], ignorecase=True), regex.IGNORECASE),
        unit_kinds={k.lower() if k.isascii() else k: v for k, v in unit_kinds.items()},
        ascii_units=ascii_units,
        blocked_after={k: "".join(v) for k, v in units["blocked_after"].items()},
        qualifiers_before=dict(qualifiers["before"]),
        qualifier_blocked_by=dict(qualifiers["before_blocked_by"]),
        qualifier_unblocked_after={k: tuple(v) for k, v in qualifiers["before_unblocked_after"].items()},
        qualifiers_inside=dict(qualifiers["inside"]),
        qualifiers_after=dict(qualifiers["after"]),
        ordinal_before=tuple(distractors["before"]["ordinal"]),
        ordinal_last=_codes(w[-1] for w in distractors["before"]["ordinal"]),
        period_before_duration=tuple(distractors["before_duration"]["period"]),
        period_last=_codes(w[-1] for w in distractors["before_duration"]["period"]),
        slogan_after=tuple(distractors["after_count"]["words"]),
        slogan_first=_codes(w[0] for w in distractors["after_count"]["words"]),
        article_numerals=frozenset(distractors["article"]["numerals"]),
        garbled=frozenset(distractors["garbled"]["chars"]),
        chinese_digits=cn_digits,
        magnitude_endings=numbers["magnitude_endings"],
        # a numeral with one of these is a number, not a bare magnitude (十 counts: 十家)
        digit_chars=frozenset(cn_digits + "十0123456789"),
        chinese_positions=cn_positions,
        max_integer_digits=int(numbers["limits"]["max_integer_digits"]),
        arabic_values={},
        pattern=pattern,
        scanner=Scanner(pattern, _candidates(pattern, head, cn_chars + point, qualifiers["before"])),
    )


def _units_alternation(units: Iterable[str]) -> str:
    """``alternation(units, ignorecase=True)``, with the units that start
    with a cased letter (kW, MWh, km) apart, behind a test of their first
    letters. ``re`` skips a branch that starts with a plain character in a
    few instructions, but enters one that starts with a letter compared
    without case (a context pushed and popped): each unit tried paid for
    every such branch. The matches are the same: no character matches the
    first letter of both kinds of unit (one without case matches only
    itself), so at most one top-level branch can start at any position,
    whatever their order."""
    cased = [u for u in units if u[0].lower() != u[0].upper()]
    uncased = [u for u in units if u[0].lower() == u[0].upper()]
    if not cased or not uncased:
        return alternation(units, ignorecase=True)
    return f"{_guarded(alternation(cased, ignorecase=True))}|{alternation(uncased, ignorecase=True)}"


def _guarded(part: str) -> str:
    """``part`` behind a look-ahead for the characters it can start with
    (for a pattern compiled with IGNORECASE, like the class): where it
    cannot match, one class test instead of trying each of its branches
    (about 200 instructions a number, callgrind, with the units)."""
    first = first_char_class(part, re.IGNORECASE)
    return part if first is None else f"(?={first})(?:{part})"


def _codes(chars: Iterable[str]) -> tuple[int, ...]:
    """The distinct code points of ``chars``, for :func:`_code_in`."""
    return tuple(sorted({ord(c) for c in chars}))


def _optional(part: str) -> str:
    """``(?:part)?`` written as ``(?:part|)``: the same matches (``part``
    first, then nothing; ``part`` never matches the empty string here), but
    ``re`` runs a branch without the repeat context (an allocation and a copy
    of every group's marks) it sets up for ``?`` on anything longer than a
    character: a third fewer instructions per match (callgrind)."""
    return f"(?:{part}|)"


def _candidates(pattern: re.Pattern[str], head: str, numerals: str, qualifiers_before: dict[str, str]) -> list[re.Pattern[str]]:
    """Where a quantity starts, for :class:`Scanner`: a character a match
    can start with where ``head`` (how every match begins) matches, and
    after a number character the rest of its run skipped — no number starts
    inside a run (the pattern's look-behind) and no qualifier starts with a
    number character (checked here). The test of ``head`` sits in a
    look-behind after the character class so that ``re`` still skips to the
    candidates in its fast loop; it spares a full match attempt, from
    Python, at the third of the candidates where none starts (约 in 签约,
    大 in 扩大, digits after a letter)."""
    first = first_char_class(pattern.pattern, pattern.flags)
    number_chars = "0-9" + re.escape(numerals)
    if first is None:
        raise ValueError("the quantity pattern has no bounded first characters: patterns/ changed?")
    starts = rf"({first})(?<=(?={head})[\s\S])"
    if any(re.match(f"[{number_chars}]", word) for word in qualifiers_before):
        return [re.compile(starts, pattern.flags & re.IGNORECASE)]  # every position of a run
    return [re.compile(rf"{starts}(?:(?<=[{number_chars}])[{number_chars}]*+)?", pattern.flags & re.IGNORECASE)]


_ONE: Final = Decimal(1)

# Where a clause starts, for the money-context look-back.
_CLAUSE_BREAK: Final = regex.compile(r"[，。；！？,;!?\n：:]")


@dataclass(slots=True)
class QuantityScan:
    """What :func:`find_quantities` found, and what it skipped and why."""

    quantities: list[Quantity]
    warnings: list[str]


def find_quantities(text: str) -> QuantityScan:
    """Every quantity in normalized ``text``, in order of position.

    >>> [(q.text, q.kind, int(q.value), q.unit, q.qualifier) for q in find_quantities("新引进2亿元以上重大项目45个以上").quantities]
    [('2亿元以上', 'money', 200000000, 'CNY', 'at_least'), ('45个以上', 'count', 45, '个', 'at_least')]
    """
    lex = lexicon()
    found: list[Quantity] = []
    warnings: list[str] = []
    # Almost no text has a garbled character: then no number touches one,
    # and the per-number test (about 900 instructions: each neighbour read
    # as a new string and hashed) is skipped for a scan or two of the text.
    garbled = any(c in text for c in lex.garbled)
    for m in lex.scanner.matches(text):
        quantity = _interpret(m, text, lex, garbled, warnings)
        if quantity is not None:
            found.append(quantity)
    return QuantityScan(found, warnings)


# The groups of the pattern built in lexicon(), in the order _interpret
# unpacks them (checked there). A match's groups are read with one call
# (Match.groups()), and its positions from their lengths: the groups follow
# one another, with only 百分之 and the % of a range outside them. That
# spares the thirteen pairs of Match.regs or a method call per group asked,
# for every number in the text (callgrind: about 650 instructions a match).
_GROUPS: Final = {
    "pre": 1, "pct": 2, "num": 3, "inside1": 4, "mag": 5, "sep": 6,
    "num2": 7, "mag2": 8, "inside2": 9, "unit": 10, "post": 11,
}


def _interpret(m: re.Match[str], text: str, lex: _Lexicon, garbled: bool, warnings: list[str]) -> Quantity | None:
    """The quantity match ``m`` stands for, or None; ``garbled``: whether
    ``text`` has a garbled character at all."""
    groups: tuple[str | None, ...] = m.groups()
    pre, pct, num, inside1, mag, _sep, num2, mag2, inside2, unit, post = groups
    if pct is not None:
        match_start, match_end = m.span()
        value = _number_value(pct, lex)
        if value is None:
            return None
        return _build(text, lex, match_start, match_end, pre, inside1 or inside2, post, "percent", value, "%", None, match_end)

    assert num is not None  # (the pattern's other branch)
    # 两亿 and 三千万 carry their magnitude inside the Chinese numeral.
    has_magnitude = mag is not None or num[-1] in lex.magnitude_endings
    if unit is None and not has_magnitude:
        return None  # a bare number: a year, a code, a name (the commonest case: checked first)
    match_start, match_end = m.span()
    num_start = match_start if pre is None else match_start + len(pre)
    if _preceded_by(text, num_start, lex.ordinal_before, lex.ordinal_last):
        return None  # 第一, 第三位: an ordinal
    if not _has_digit(num, lex) and not _is_bare_money(num, lex):
        return None  # 万元GDP, 千家万户: positions alone are idioms, not figures
    if garbled and _touches_garbled(text, num_start, match_end, lex):
        warnings.append(f"skipped the number '{text[match_start:match_end]}' at {match_start}: it touches garbled characters")
        return None

    unit_key = ""
    kind = None
    if unit is not None:
        # Units are looked up as written (lower-case ASCII and the rest),
        # and only an ASCII one that misses lower-cased: the same key as
        # lower-casing every ASCII unit, without its two method calls.
        unit_key = unit
        kind = lex.unit_kinds.get(unit)
        if kind is None and unit.isascii():
            unit_key = unit.lower()
            kind = lex.unit_kinds.get(unit_key)
        if kind is None:
            return None
    end = match_end
    unit_end = match_end if post is None else match_end - len(post)
    if unit and _blocked(text, unit_end, unit, lex):
        # 百亿项目: the "unit" 项 begins the word 项目. Re-read without it.
        end = unit_end - len(unit)  # where the figure before the unit ends
        unit, kind = None, None
        if not has_magnitude:
            return None
    if kind not in (None, "money") and not _has_digit(num, lex):
        return None  # 亿万人, 百家: a bare magnitude is an amount of money or nothing
    if unit and unit_key in lex.ascii_units and unit_end < len(text) and text[unit_end].isascii() and text[unit_end].isalpha():
        return None  # 5Gbps, 3MWp: part of a longer token

    low = _number_value(num, lex)
    if low is None:
        return None
    multiplier = lex.magnitudes.get(mag, _ONE) if mag else _ONE
    high = None
    if num2 is not None:
        high = _number_value(num2, lex)
        if high is None:
            return None
        high_multiplier = lex.magnitudes.get(mag2, _ONE) if mag2 else multiplier
        if not mag:  # 10—20亿元: the magnitude written once covers both ends
            multiplier = high_multiplier
        high *= high_multiplier
        if unit is None and not mag2 and not mag:
            return None
    low *= multiplier
    if high is not None and high < low:
        return None  # 2023-10 or a code, not a range

    inside = inside1 or inside2
    if kind is None:
        # A number with a magnitude and no unit: money when the clause is about money.
        if lex.bare_money.get(num) == "currency":
            return None  # 千万 alone is an adverb
        clause_start = _clause_start(text, match_start)
        if not (_is_bare_money(num, lex) or lex.money_context.search(text, clause_start, match_start)):
            return None
        return _build(text, lex, match_start, match_end, pre, inside, post, "money", low, "CNY", "CNY", end, high=high)

    if kind == "money" and unit is not None:  # (kind is only set with a unit)
        currency = lex.currencies[unit]
        return _build(text, lex, match_start, match_end, pre, inside, post, "money", low, currency, currency, end, high=high)
    if kind == "count":
        if num in lex.article_numerals and high is None:
            return None  # 一个, 一批: the article "a"
        if _followed_by(text, match_end, lex.slogan_after, lex.slogan_first):
            return None  # 三个代表, 两个维护
        return _build(text, lex, match_start, match_end, pre, inside, post, "count", low, unit, None, end, high=high)
    if kind == "percent" and unit == "成":
        if low > 10 or (high is not None and high > 10):
            return None  # 20成: not tenths
        high_percent = high * 10 if high is not None else None
        return _build(text, lex, match_start, match_end, pre, inside, post, "percent", low * 10, "%", None, end, high=high_percent)
    if kind == "duration":
        if unit == "年" and _looks_like_year(num):
            return None  # 2023年 is a date
        if not pre and _preceded_by(text, num_start, lex.period_before_duration, lex.period_last):
            return None  # 前8个月: a period of the calendar
        return _build(text, lex, match_start, match_end, pre, inside, post, "duration", low, unit, None, end, high=high)
    return _build(text, lex, match_start, match_end, pre, inside, post, kind, low, unit, None, end, high=high)


def _build(
    text: str,
    lex: _Lexicon,
    start: int,
    match_end: int,
    pre: str | None,
    inside: str | None,
    post: str | None,
    kind: str,
    value: Decimal,
    unit: str | None,
    currency: str | None,
    end: int,
    *,
    high: Decimal | None = None,
) -> Quantity:
    """The quantity ``text[start:end]`` of a match ending at ``match_end``,
    with the qualifier its words give."""
    if (
        pre
        and start > 0
        and text[start - 1] in lex.qualifier_blocked_by.get(pre, "")
        and not text[:start].endswith(lex.qualifier_unblocked_after.get(pre, ()))
    ):
        start += len(pre)  # 签约270个: 约 ends the word 签约
        pre = None
    qualifier = "exact"
    if high is not None:
        qualifier = "range"
    elif pre:
        qualifier = lex.qualifiers_before[pre]
    elif inside:
        qualifier = lex.qualifiers_inside[inside]
    elif post and end >= match_end:
        qualifier = lex.qualifiers_after[post]
    return new_quantity(text[start:end], start, end, kind, value, unit, currency, qualifier, value if high is not None else None, high)


def _preceded_by(text: str, position: int, words: tuple[str, ...], last: tuple[int, ...]) -> bool:
    """Whether one of ``words`` (at most four characters, ending with the
    characters ``last``) ends at ``position``. The last character is tested
    first, as a code point: usually the only test (the slice and the test of
    every word cost about 600 instructions)."""
    if position == 0 or not _code_in(ord(text[position - 1]), last):
        return False
    window = text[max(0, position - 4) : position]
    return window.endswith(words)


def _followed_by(text: str, position: int, words: tuple[str, ...], first: tuple[int, ...]) -> bool:
    """Whether one of ``words`` (starting with the characters ``first``)
    starts at ``position``. The first character is tested first, as a code
    point: ``startswith`` with a position is a generic method call (about
    1,300 instructions)."""
    if position >= len(text) or not _code_in(ord(text[position]), first):
        return False
    return text.startswith(words, position)


def _code_in(code: int, codes: tuple[int, ...]) -> bool:
    """``chr(code) in chars`` for a few characters (``codes``: their code
    points in ascending order, see :func:`_codes`), with no string made."""
    for c in codes:
        if c >= code:
            return c == code
    return False


def _clause_start(text: str, position: int) -> int:
    window_start = max(0, position - 60)
    last = window_start
    for b in _CLAUSE_BREAK.finditer(text, window_start, position):
        last = b.end()
    return last


def _blocked(text: str, unit_end: int, unit: str, lex: _Lexicon) -> bool:
    following = lex.blocked_after.get(unit)
    return following is not None and unit_end < len(text) and text[unit_end] in following


def _touches_garbled(text: str, start: int, end: int, lex: _Lexicon) -> bool:
    return (start > 0 and text[start - 1] in lex.garbled) or (end < len(text) and text[end] in lex.garbled)


def _is_bare_money(num: str, lex: _Lexicon) -> bool:
    return num in lex.bare_money


def _has_digit(num: str, lex: _Lexicon) -> bool:
    return num[0].isdigit() or not lex.digit_chars.isdisjoint(num)


def _looks_like_year(num: str) -> bool:
    if num.isdigit():
        return len(num) == 4
    # 二〇二三: Chinese digits read one by one, no positions, is a year.
    return len(num) >= 2 and not any(c in "十百千万亿" for c in num)


# Most figures recur (2, 10, 100, 2023): each is read once while it is
# among this many (then the cache starts afresh: bounded, like
# _chinese_value's). A lookup costs a third of parsing (callgrind).
_ARABIC_VALUES_KEPT: Final = 4096


def _number_value(num: str, lex: _Lexicon) -> Decimal | None:
    if num[0].isdigit():
        value = lex.arabic_values.get(num)
        if value is None:
            value = _arabic_value(num, lex)
            if value is not None:
                if len(lex.arabic_values) >= _ARABIC_VALUES_KEPT:
                    lex.arabic_values.clear()
                lex.arabic_values[num] = value
        return value
    return _chinese_value(num)


def _arabic_value(num: str, lex: _Lexicon) -> Decimal | None:
    digits = num.replace(",", "")
    integer = digits.split(".", 1)[0]
    if len(integer) > lex.max_integer_digits or (len(integer) > 1 and integer[0] == "0"):
        return None  # a phone, registration or ID number
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


@lru_cache(maxsize=4096)
def _chinese_value(num: str) -> Decimal | None:
    """Value of a Chinese numeral (三百二十 → 320, 百亿 → 1e10), or None."""
    if len(num) > 20:
        return None
    if num[0] in "十百千万亿":
        num = "一" + num
    if len(num) >= 2 and not any(c in "十百千万亿点" for c in num):
        return None  # 二〇二三, 三五: digit strings, not amounts
    try:
        value = cn2an.cn2an(num, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
