"""Put every figure in its place: category, metric, subject, region,
threshold, period, target/actual status, 其中 parent and evidence.

The rules read the article the way an analyst does:

* A region named at the start of a clause (``湘江新区截至今年9月…``, after
  openers such as 其中 or 同时) is the topic of that clause and of the
  clauses after it, until another region takes over or the paragraph ends;
  ``全市/全省/我市`` stand for the article's own place. In a list of peers
  separated by ；each peer owns its clauses.
* A time phrase governs the figures after it: section phrases (今年以来,
  2023年) carry on across paragraphs, local ones (截至8月底, 1至8月,
  四季度) within their paragraph — or within their peer's clauses.
* A target cue (争取, 力争, 目标 …) earlier in the same sentence makes a
  figure a target, unless a reported result (截至, 已 …) follows the cue.
* A money amount inside the wording of a count (``10亿元以上项目13个``) is
  that count's threshold, not a fact of its own.
* A figure inside a 其中 clause breaks down the latest figure of the same
  kind, category and region before it.

All word lists live in ``patterns/facts.toml``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Final

from newsie._construct import new_fact
from newsie._prefilter import alternation, char_class, dispatched, first_char_class, longest_first, prefiltered
from newsie.model import Fact, Quantity, Region, Threshold
from newsie.regions import RegionMention
from newsie.resources import pattern_path

try:  # the parser behind re.compile; private, so without it patterns are scanned as before
    from re import _parser  # type: ignore[attr-defined]  # (not in every typeshed)
except ImportError:  # pragma: no cover - other Python versions
    _parser = None  # type: ignore[assignment]


# The patterns use the standard library's ``re``, not ``regex``: most are
# matched at one place, several times per figure, where ``re``'s cost per
# call is about a quarter of ``regex``'s.
@dataclass(frozen=True, slots=True)
class _Rules:
    money_category: dict[str, str]
    count_cues: re.Pattern[str]
    money_cues: re.Pattern[str]
    count_category: dict[str, str]
    classifier_category: dict[str, str]
    unit_category: dict[str, str]
    status_cues: re.Pattern[str]
    status_words: _Words  # the same words, looked up
    status_kind: dict[str, str]
    quoted_goal_after: tuple[str, ...]
    periods: re.Pattern[str]
    phrase_periods: _PhrasePeriods
    anaphora: re.Pattern[str]
    anaphora_words: _Words  # the same words, found in a whole text
    anaphora_level: dict[str, str]
    openers: re.Pattern[str]
    # a character that no clause opener, time phrase, quote or separator holds
    # (None when that cannot be worked out from the patterns) …
    beyond_openers: re.Pattern[str] | None
    # … and those characters, tested one at a time (bit 0 of the mask)
    removable: _Starts | None
    openers_long: re.Pattern[str]
    count_verbs: tuple[str, ...]  # longest first
    count_verbs_by_start: dict[int, tuple[str, ...]]  # the same, by the code point of their first character
    count_verb_starts: _CharSet  # their first characters
    location_verbs: re.Pattern[str]
    not_topic_before: tuple[str, ...]
    not_topic_before_starts: _CharSet  # their first characters
    list_joiner: re.Pattern[str]
    list_joiner_longest: int  # characters in the longest joiner: more between two mentions is no list
    breakdown: re.Pattern[str]
    breakdown_starts: _Starts
    breakdown_scan: _LiteralStarts  # the same, in a whole text
    each_words: tuple[str, ...]
    vague_years: tuple[str, ...]
    whole_years: tuple[str, ...]
    named_year: re.Pattern[str]
    trailing_filler: re.Pattern[str]
    continuation: re.Pattern[str]
    filler_words: tuple[str, ...]
    filler_ends: _CharSet  # their last characters
    delta_words: tuple[str, ...]
    verb_between: re.Pattern[str]
    named_project: re.Pattern[str]
    project_before: re.Pattern[str]
    budget_words: tuple[str, ...]
    event_name: re.Pattern[str]
    event_verbs: tuple[str, ...]
    event_verb_reach: int  # characters after a time phrase that hold the verb of any event_name match
    respectively: re.Pattern[str]
    # which of the metric's openers can start with a character (see _opener_length)
    metric_opener_starts: _Starts
    opener_words: _Words  # the clause openers of openers_long


def period_alternatives() -> tuple[list[str], list[str]]:
    """The local and the section period patterns of ``patterns/dates.toml``, in their order."""
    with open(pattern_path("dates.toml"), "rb") as f:
        periods = tomllib.load(f)["periods"]
    return periods["local"], periods["section"]


# What may follow a clause opener before the words it opens (besides white space).
_OPENER_TRAIL: Final = "，,、"

# How many characters may stand between a time phrase and the noun of the
# event it dates (2023年四季度重大项目集中签约活动), and between that noun and
# the verb (…活动在…举行).
_EVENT_NOUN_AFTER: Final = 30
_EVENT_VERB_AFTER: Final = 20


@cache
def _rules() -> _Rules:
    with open(pattern_path("facts.toml"), "rb") as f:
        data = tomllib.load(f)
    money_category = {w: cat for cat, words in data["money_category"].items() for w in words}
    count_category = {w: cat for cat, words in data["count_category"].items() for w in words}
    status = data["status"]
    status_kind = {w: "target" for w in status["target"]}
    status_kind.update({w: "none" for w in status["not_target"]})
    status_kind.update({w: "actual" for w in status["actual_after_target"]})
    local, section = period_alternatives()
    period_pattern = f"(?P<local>{dispatched(local)})|(?P<section>{dispatched(section)})"
    regions = data["region_anaphora"]
    wording = data["wording"]
    periods = prefiltered(period_pattern)
    status_cues = re.compile(alternation(status_kind))
    anaphora = re.compile(alternation(regions))
    # in a metric, one-character openers (在, 另) are part of words: 在谈项目
    long_openers = [w for w in data["regions"]["clause_openers"] if len(w) > 1]
    openers_long = re.compile(rf"(?:{alternation(long_openers)})[{_OPENER_TRAIL}\s]*")
    openers = re.compile(rf"^(?:(?:{alternation(data['regions']['clause_openers'])})[，,、\s]*)+")
    # what _strip_openers can take away: a character outside these stays
    removable = [char_class(p.pattern) for p in (openers, periods)]
    event_nouns, event_verbs = data["events"]["nouns"], data["events"]["verbs"]
    breakdown = re.compile(
        "|".join([alternation(data["structure"]["breakdown_words"]), *(f"(?:{p})" for p in data["structure"]["breakdown_patterns"])])
    )
    removable_chars = None if any(c is None for c in removable) else "".join(c[1:-1] for c in removable if c) + re.escape(_QUOTES) + r"\s，,"
    return _Rules(
        money_category=money_category,
        count_cues=re.compile(f"(?:{alternation(count_category)})"),
        money_cues=re.compile(f"(?:{alternation(money_category)})"),
        count_category=count_category,
        classifier_category=dict(data["count_classifier_category"]),
        unit_category=dict(data["count_unit_category"]),
        status_cues=status_cues,
        status_words=_Words(status_kind),
        status_kind=status_kind,
        quoted_goal_after=tuple(status["quoted_goal_after"]),
        periods=periods,
        phrase_periods=_PhrasePeriods(periods, [*local, *section]),
        anaphora=anaphora,
        anaphora_words=_Words(regions),
        anaphora_level=dict(regions),
        openers=openers,
        beyond_openers=None if removable_chars is None else re.compile(f"[^{removable_chars}]"),
        removable=None if removable_chars is None else _Starts([re.compile(f"[{removable_chars}]")]),
        openers_long=openers_long,
        count_verbs=tuple(longest_first(data["structure"]["count_verbs"])),
        count_verbs_by_start=_by_first_character(longest_first(data["structure"]["count_verbs"])),
        count_verb_starts=_CharSet(w[0] for w in data["structure"]["count_verbs"]),
        location_verbs=re.compile(alternation(data["regions"]["project_location_verbs"])),
        not_topic_before=tuple(data["regions"]["not_topic_before"]),
        not_topic_before_starts=_CharSet(w[0] for w in data["regions"]["not_topic_before"]),
        list_joiner=re.compile(f"(?:{alternation(data['regions']['list_joiners'])})?"),
        list_joiner_longest=max((len(w) for w in data["regions"]["list_joiners"]), default=0),
        breakdown=breakdown,
        breakdown_starts=_Starts([breakdown]),
        breakdown_scan=_LiteralStarts(
            breakdown, [*data["structure"]["breakdown_words"], *map(_literal_start, data["structure"]["breakdown_patterns"])]
        ),
        each_words=tuple(data["structure"]["each_words"]),
        vague_years=tuple(wording["vague_periods"]),
        whole_years=tuple(wording["whole_year_periods"]),
        named_year=re.compile(wording["named_year"]),
        trailing_filler=re.compile(f"(?:{alternation(wording['count_fillers'])})+$"),
        filler_words=tuple(wording["count_fillers"]),
        filler_ends=_CharSet(word[-1] for word in wording["count_fillers"]),
        continuation=re.compile(
            rf"(?:{alternation([*wording['count_fillers'], *wording['restatement_words'], *data['regions']['list_joiners']])}|[，,；;\s])*"
        ),
        delta_words=tuple(wording["delta_words"]),
        verb_between=re.compile(alternation(wording["separate_figure_verbs"])),
        # 的 + a name of 2–40 characters (no punctuation) ending in a project head word
        named_project=re.compile(rf"的([^，,。；;、：:（）()\n]{{2,40}}?(?:{alternation(wording['project_heads'])}))"),
        project_before=re.compile(rf"([^，,。；;、：:（）()\n]{{2,40}}?项目)(?:计划|预计|拟)?(?:{alternation(wording['budget_words'])})$"),
        budget_words=tuple(wording["budget_words"]),
        event_name=re.compile(
            rf"[^，,。；;\n]{{0,{_EVENT_NOUN_AFTER}}}?(?:{alternation(event_nouns)})[^，,。；;\n]{{0,{_EVENT_VERB_AFTER}}}?(?:{alternation(event_verbs)})"
        ),
        event_verbs=tuple(event_verbs),
        event_verb_reach=_EVENT_NOUN_AFTER + max(map(len, event_nouns)) + _EVENT_VERB_AFTER + max(map(len, event_verbs)),
        respectively=re.compile(alternation(data["structure"]["respectively_words"])),
        metric_opener_starts=_Starts((openers_long, periods, status_cues, anaphora)),
        opener_words=_Words(long_openers),
    )


def _by_first_character(words: list[str]) -> dict[int, tuple[str, ...]]:
    """``words`` grouped by the code point of their first character, each group in the order given."""
    groups: dict[int, list[str]] = {}
    for word in words:
        groups.setdefault(ord(word[0]), []).append(word)
    return {first: tuple(group) for first, group in groups.items()}


class _Words:
    """A list of plain words, matched as ``re.compile(alternation(words))``
    matches them (the longest word that starts at a place), without a regex
    call: at one place (``longest``), or over a whole text (``matches``).

    A regex call costs some 2,000 machine instructions before it reads a
    character, and a regex scan tests every character of a text against
    the words' first characters (about 60 instructions a character,
    measured); ``str.find`` skips to the next place of one character in a
    fast C loop (a few instructions a character). So over a text each
    first character is looked for on its own, and at every place found, in
    text order and past the word found before, the longest word that
    starts there is taken, as the alternation takes it. Worth it for words
    with few first characters (全市, 我市 …: four); for many (the status
    cues), the separate finds cost more than the regex.
    """

    def __init__(self, words: Iterable[str]) -> None:
        # by first character: the words' lengths, longest first, each with its words
        # (one slice and one set lookup per length: str.startswith with a
        # position is a generic method call, several times dearer)
        self.by_start: dict[int, list[tuple[int, frozenset[str]]]] = {}
        for code, group in _by_first_character(longest_first(words)).items():
            lengths = sorted({len(w) for w in group}, reverse=True)
            self.by_start[code] = [(n, frozenset(w for w in group if len(w) == n)) for n in lengths]

    def longest(self, text: str, position: int, end: int) -> str | None:
        """The longest word that starts at ``position`` and ends by ``end`` (what
        the alternation matches there in ``text[:end]``)."""
        groups = self.by_start.get(ord(text[position]))
        if groups is not None:
            for length, words in groups:
                if position + length <= end:
                    word = text[position : position + length]
                    if word in words:
                        return word
        return None

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of each match, in order."""
        places: list[int] = []
        for code in self.by_start:
            char = chr(code)
            position = text.find(char)
            while position >= 0:
                places.append(position)
                position = text.find(char, position + 1)
        places.sort()
        found: list[tuple[int, int, str]] = []
        end = 0  # matches do not overlap: the next starts at or after this
        for position in places:
            if position < end:
                continue
            for length, words in self.by_start[ord(text[position])]:
                word = text[position : position + length]
                if word in words:
                    end = position + length
                    found.append((position, end, word))
                    break
        return found


class _LiteralStarts:
    """What ``pattern.finditer`` finds in a whole text, for a pattern each of
    whose matches starts with one of some plain strings (``starts``: 其中,
    项目中 …): those are found with ``str.find`` (see :class:`_Words`),
    and the pattern is tried there only, in text order. The whole-text regex
    scan costs about 60 machine instructions a character; this one a few a
    character and a match attempt per place found (a handful an article).
    """

    def __init__(self, pattern: re.Pattern[str], starts: list[str]) -> None:
        self.pattern = pattern
        # an empty start would be everywhere: then the regex scans
        self.starts: list[str] | None = None if "" in starts else sorted(set(starts))

    def matches(self, text: str) -> list[re.Match[str]]:
        if self.starts is None:
            return list(self.pattern.finditer(text))
        places: set[int] = set()  # (one string may start another: 其中, 中有)
        for start in self.starts:
            position = text.find(start)
            while position >= 0:
                places.add(position)
                position = text.find(start, position + 1)
        found: list[re.Match[str]] = []
        end = 0  # matches do not overlap: the next starts at or after this
        for position in sorted(places):
            if position < end:
                continue
            m = self.pattern.match(text, position)
            if m is not None:
                found.append(m)
                end = m.end()  # (never empty: each match holds its start)
        return found


def _periods_from(periods: re.Pattern[str], text: str, start: int, stop: int) -> list[tuple[int, int, str, str]]:
    """The periods a scan finds starting at positions start … stop - 1 of
    ``text`` (the next after the end of one found), as _period_matches gives them."""
    found = []
    end = start
    for position in range(start, stop):
        if position < end:
            continue  # inside the period just found
        m = periods.match(text, position)
        if m is not None:
            found.append(_period(m))
            end = m.end()
    return found


def _period(m: re.Match[str]) -> tuple[int, int, str, str]:
    """A match of the period pattern as (start, end, tier, phrase)."""
    return (m.start(), m.end(), "local" if m.group("local") else "section", m.group())


class _PhrasePeriods:
    """The periods inside time phrases, remembered by the phrases' words.

    No period can reach past the first character after a phrase that no
    period can hold (or the end of the text), nor can an attempt at one
    tell that character from the end of the text: the periods that start
    in the phrase are those found in the words up to there, standing
    alone (the patterns look neither back nor, in lookarounds or anchors,
    elsewhere: when a part has those, nothing is remembered). Phrases
    recur across articles (今年以来, 全年 …), so their match attempts, a
    dozen alternatives each, run once; at most _REMEMBERED phrases are
    kept, then it starts over.
    """

    def __init__(self, periods: re.Pattern[str], parts: list[str]) -> None:
        self.pattern = periods
        chars = char_class(periods.pattern)
        looks_around = any(sign in part for part in parts for sign in ("(?=", "(?!", "(?<", "^", "$", "\\b", "\\B", "\\A", "\\Z"))
        # which characters a period can hold (None: unknown, nothing is remembered)
        self.held: _Starts | None = None if chars is None or looks_around else _Starts([re.compile(chars)])
        self.known: dict[tuple[str, int], list[tuple[int, int, str, str]]] = {}

    def periods(self, text: str, start: int, stop: int) -> list[tuple[int, int, str, str]] | None:
        """The periods _periods_from finds in [start, stop), their positions
        less ``start``; None when that cannot be remembered."""
        held = self.held
        if held is None:
            return None
        reach = stop  # the first character after the phrase that no period holds
        while reach < len(text) and held.mask(ord(text[reach])):
            reach += 1
        words = text[start:reach]
        key = (words, stop - start)
        known = self.known.get(key)
        if known is None:
            if len(self.known) >= _REMEMBERED:
                self.known.clear()
            known = self.known[key] = _periods_from(self.pattern, words, 0, stop - start)
        return known


# Time phrases remembered at most (each a short string and a list or two): the
# benchmark corpora hold 162 distinct in 1,000 articles, 232 in 11,000.
_REMEMBERED: Final = 20_000


def _literal_start(pattern: str) -> str:
    """The plain characters every match of ``pattern`` starts with (项目中 of
    ``项目中[，,]``), read off its parse; "" when there are none or the parser
    (private to ``re``) is not there."""
    if _parser is None:
        return ""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    start = []
    for op, argument in parsed:
        if op is not _parser.LITERAL:
            break
        start.append(chr(argument))
    return "".join(start)


# Characters are tested by code point, ``ord(text[i])``, which compiled code
# reads without making a one-character string, in a table of the Basic
# Multilingual Plane (bytes indexed by code point: no int object made either,
# where a set or dictionary lookup makes one, about 150 machine instructions
# a test). Characters beyond it, rare in news, go to a dictionary or set.
_BMP: Final = 0x10000


class _CharSet:
    """A set of characters, tested by code point: ``chars.holds(ord(c))``."""

    def __init__(self, chars: Iterable[str]) -> None:
        codes = {ord(c) for c in chars}
        table = bytearray(_BMP)
        for code in codes:
            if code < _BMP:
                table[code] = 1
        self.table = bytes(table)
        self.beyond = frozenset(code for code in codes if code >= _BMP)

    def holds(self, code: int) -> bool:
        return self.table[code] != 0 if code < _BMP else code in self.beyond


class _Starts:
    """Which of some patterns can match at a character: bit i of
    ``mask(code)`` is set when pattern i can start with the character of
    code point ``code`` (its first-character class holds it, or that class
    is unknown).

    A table lookup (see _CharSet) instead of a regex call for every opener
    tried in every metric (about 3 % of the facts stage's instructions,
    measured with callgrind). The table is filled once, by a scan of each
    class over the whole plane (a few milliseconds); characters beyond it
    are worked out when met.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.classes: list[re.Pattern[str] | None] = []
        for pattern in patterns:
            first = first_char_class(pattern.pattern)
            self.classes.append(re.compile(first) if first is not None else None)
        if len(self.classes) > 8:
            raise ValueError("a _Starts mask is one byte: at most 8 patterns")
        table = bytearray(_BMP)
        for bit, chars in enumerate(self.classes):
            if chars is None:
                for code in range(_BMP):
                    table[code] |= 1 << bit
            else:
                for m in chars.finditer(_plane()):
                    table[m.start()] |= 1 << bit
        self.table = bytes(table)
        self.beyond: dict[int, int] = {}

    def mask(self, code: int) -> int:
        if code < _BMP:
            return self.table[code]
        known = self.beyond.get(code)
        if known is None:
            known = 0
            for bit, first in enumerate(self.classes):
                if first is None or first.match(chr(code)) is not None:
                    known |= 1 << bit
            self.beyond[code] = known
        return known


@cache
def _plane() -> str:
    """Every character of the Basic Multilingual Plane, at its code point."""
    return "".join(map(chr, range(_BMP)))


# Boundaries, from strongest to weakest. (Tuples of one-character strings:
# looping over a str makes a new string of each of its characters, whose hash
# is then computed anew for a dictionary lookup.)
_SENTENCE_END: Final = tuple("。！？!?\n")
_SEGMENT_MARKS: Final = tuple("；;")
_CLAUSE_MARKS: Final = tuple("，,：:（）()")
_ITEM_MARKS: Final = tuple("、")
_ITEM_END: Final = _SENTENCE_END + _SEGMENT_MARKS + _CLAUSE_MARKS + _ITEM_MARKS
_ITEM_ENDS: Final = _CharSet(_ITEM_END)
# Where one peer's clauses end (湘江新区…，浏阳…: a segment's end or these);
# where a 其中 breakdown ends (a sentence's or segment's end, or these).
_PEER_MARKS: Final = tuple("，,")
_BRACKET_CLOSE: Final = tuple("）)")
# How far after a count its noun may end (9个亿元以上重大产业项目).
_NOUN_AFTER_REACH: Final = 10
_QUOTES: Final = "“”‘’\"'《》「」"
_NO_QUOTES: Final = str.maketrans("", "", _QUOTES)
_QUOTE: Final = re.compile(f"[{re.escape(_QUOTES)}]")


def _unquoted(words: str) -> str:
    """``words`` without quotation and title marks. (str.translate looks up
    every character: asked for every figure, it is worth a search first.)"""
    return words.translate(_NO_QUOTES) if _QUOTE.search(words) is not None else words


class _Topic:
    """A region that became the topic of the clauses from ``start`` on.

    A plain class for the reason ``regions._Hit`` is one: a native ``__init__``.
    """

    __slots__ = ("start", "regions", "each", "respectively")

    def __init__(self, start: int, regions: list[Region], each: bool) -> None:
        self.start = start
        self.regions = regions
        self.each = each  # 蔡甸区、新洲区各…: one fact per region
        self.respectively: int | None = None  # where 分别 stands: figures after it go to the regions in order


# How far a look for a clause or sentence boundary reaches. Real sentences are
# far shorter; the bound keeps a megabyte without punctuation linear.
MAX_REACH: Final = 500


class _Boundaries:
    """Positions of boundary characters in one text: each character's found
    by ``str.find`` (a fast scan, no objects made between two), then merged
    once into one sorted list per set of characters the rules ask for (the
    lists are attributes, not looked up by their characters: ``before`` and
    ``after`` run about seven times per figure)."""

    def __init__(self, text: str) -> None:
        self.text = text
        by_char: dict[str, list[int]] = {}
        for char in _ITEM_END:
            found = _places(text, char)
            if found:
                by_char[char] = found
        # each set is a smaller one plus a few characters (the same list when none occurs)
        self.sentence = _with([], by_char, _SENTENCE_END)
        self.segment = _with(self.sentence, by_char, _SEGMENT_MARKS)
        self.clause = _with(self.segment, by_char, _CLAUSE_MARKS)
        self.item = _with(self.clause, by_char, _ITEM_MARKS)
        self.peer = _with(self.segment, by_char, _PEER_MARKS)
        self.sentence_or_bracket = _with(self.sentence, by_char, _BRACKET_CLOSE)
        self.segment_or_bracket = _with(self.segment, by_char, _BRACKET_CLOSE)

    def before(self, position: int, positions: list[int]) -> int:
        """Index just after the last of ``positions`` (one of the lists above) before ``position``."""
        k = bisect_left(positions, position) - 1
        stop = position - MAX_REACH
        if stop < 0:
            stop = 0
        return positions[k] + 1 if k >= 0 and positions[k] >= stop else stop

    def after(self, position: int, positions: list[int]) -> int:
        """The first of ``positions`` (one of the lists above) at or after ``position``."""
        k = bisect_left(positions, position)
        stop = position + MAX_REACH
        if stop > len(self.text):
            stop = len(self.text)
        return positions[k] if k < len(positions) and positions[k] < stop else stop


def _places(text: str, char: str) -> list[int]:
    """Where ``char`` stands in ``text``, in order."""
    found = []
    position = text.find(char)
    while position >= 0:
        found.append(position)
        position = text.find(char, position + 1)
    return found


def _with(positions: list[int], by_char: dict[str, list[int]], chars: tuple[str, ...]) -> list[int]:
    """``positions`` and those of ``chars``, in order (``positions`` itself
    when none of ``chars`` occurs: the lists are never changed)."""
    merged: list[int] | None = None
    for char in chars:
        found = by_char.get(char)
        if found is not None:
            if merged is None:
                merged = positions + found
            else:
                merged.extend(found)
    if merged is None:
        return positions
    merged.sort()  # (a character listed twice would repeat its positions: harmless to bisection)
    return merged


class FactBuilder:
    """Builds the facts of one article from its quantities and region mentions."""

    def __init__(
        self,
        text: str,
        quantities: Sequence[Quantity],
        mentions: Sequence[RegionMention],
        home: Region | None,
        *,
        body_start: int = 0,
        time_phrases: Sequence[tuple[int, int]] | None = None,
    ) -> None:
        self.text = text
        self.quantities = quantities
        self.home = home
        self.body_start = body_start
        self.time_phrases = time_phrases
        self.rules = _rules()
        self.bounds = _Boundaries(text)
        # where quotation and title marks stand: whether a figure's window has
        # some is a bisection, not a regex call per figure (quote characters
        # are rare and quick for str.find to skip to)
        self.quote_places = sorted(place for char in _QUOTES for place in _places(text, char))
        self.paragraph_starts = _line_starts(text)
        self._breakdown_paragraphs: dict[int, bool] = {}
        # 梳理了17条产业链…客商清单1354家: a count ends the wording of the next one.
        # each quantity's fields, read once (a Quantity is a plain dataclass: each read is a generic lookup)
        self.quantity_starts = [q.start for q in quantities]
        self.quantity_ends = [q.end for q in quantities]
        self.quantity_kinds = [q.kind for q in quantities]
        self.count_ends = sorted(end for end, kind in zip(self.quantity_ends, self.quantity_kinds) if kind == "count")
        self.mentions = self._with_anaphora(list(mentions))
        self.mention_ends_at = {start: end for start, end, _region, _level in self.mentions}
        self.mention_starts = [m[0] for m in self.mentions]
        self.default_region = self._title_region() or home
        self.topics = self._topics()
        self.topic_starts = [t.start for t in self.topics]
        self.topic_names = [tuple(r.name for r in t.regions) for t in self.topics]  # compared for every figure
        self.periods = self._periods()
        self.period_topics = [self._topic_at(p[0], self._paragraph_of(p[0]))[0] for p in self.periods]
        self._topic_segments = [-1] * len(self.topics)
        self._item_starts = [-1] * len(quantities)
        self._verbs_asked = self._verbs_stripped = ""  # the last words _without_count_verbs was given, and its answer
        # target/actual cue words, found once: (start, end, kind). findall makes
        # no match objects; each word's place follows (see _end_of_last)
        self.cues: list[tuple[int, int, str]] = []
        cue_end = 0
        for word in self.rules.status_cues.findall(text):
            cue_start = text.find(word, cue_end)
            cue_end = cue_start + len(word)
            self.cues.append((cue_start, cue_end, self.rules.status_kind[word]))
        self.cue_starts = [c[0] for c in self.cues]
        self.period_starts = [p[0] for p in self.periods]

    # ------------------------------------------------------------------ regions

    def _with_anaphora(self, mentions: list[RegionMention]) -> list[tuple[int, int, Region | None, str | None]]:
        """Gazetteer mentions plus 全市/我市 …, as (start, end, region, anaphora level)."""
        found: list[tuple[int, int, Region | None, str | None]] = [(m.start, m.end, m.region, None) for m in mentions]
        taken = sorted((start, end) for start, end, _region, _level in found)
        starts = [t[0] for t in taken]
        for start, end, word in self.rules.anaphora_words.matches(self.text):
            k = bisect_right(starts, start) - 1
            clashes = (k >= 0 and taken[k][1] > start) or (k + 1 < len(taken) and taken[k + 1][0] < end)
            if not clashes:
                found.append((start, end, None, self.rules.anaphora_level[word]))
        found.sort(key=_FIRST)  # (a C key function: a compiled lambda is a call per item)
        return found

    def _title_region(self) -> Region | None:
        """The most specific place the headline is about, when it lies in the home place.

        An article titled 苏州工业园区22个重大项目集中开工 is about the zone, though
        the city is named more often; its figures without a topic belong there.
        """
        if not self.body_start:
            return None
        candidates = [r for s, _e, r, _l in self.mentions if s < self.body_start and r is not None]
        if not candidates:
            return None
        best = max(candidates, key=lambda r: _LEVEL_RANK.get(r.level, 0))
        home = self.home
        if home is None or best.name == home.name or home.name in best.path or best.path[:1] == home.path[:1]:
            return best
        return None

    def _topics(self) -> list[_Topic]:
        """Clause-initial regions, in text order."""
        topics: list[_Topic] = []
        text = self.text
        mentions = self.mentions
        i = 0
        while i < len(mentions):
            start, end, region, level = mentions[i]
            clause_start = self.bounds.before(start, self.bounds.clause)
            if not self._opens_clause(text[clause_start:start]):
                i += 1
                continue
            # A chain (湖南省长沙市) or a list (蔡甸区、新洲区) of regions.
            group = [(start, end, region, level)]
            j = i + 1
            while (
                j < len(mentions)
                and mentions[j][0] - group[-1][1] <= self.rules.list_joiner_longest
                and self.rules.list_joiner.fullmatch(text[group[-1][1] : mentions[j][0]])
            ):
                group.append(mentions[j])
                j += 1
            if self._followed_by_not_topic_word(group[-1][1]):
                i = j
                continue  # 南京日报讯, 香港一家企业: not what the clause is about
            chained = all(text[a[1] : b[0]] == "" for a, b in zip(group, group[1:]))
            # 湖南省长沙市天心区 / 天府新区成都直管区: the most specific place of a chain
            members = group if len(group) == 1 else [max(group, key=lambda m: _specificity(m[2], m[3]))] if chained else group
            resolved = [r for _, _, region, lvl in members if (r := self._resolve(region, lvl, topics, start)) is not None]
            after = text[group[-1][1] : group[-1][1] + 2]
            if resolved:
                topic = _Topic(start=start, regions=resolved, each=len(resolved) > 1 and after.startswith(self.rules.each_words))
                if len(resolved) > 1 and not topic.each:
                    segment_end = self.bounds.after(group[-1][1], self.bounds.segment)
                    word = self.rules.respectively.search(text, group[-1][1], segment_end)
                    topic.respectively = word.end() if word else None
                topics.append(topic)
            i = j
        return topics

    def _followed_by_not_topic_word(self, position: int) -> bool:
        """Whether one of not_topic_before starts at ``position``. (startswith
        over the list is a generic call that tries every word; most mentions
        are followed by a character none of them starts with.)"""
        text = self.text
        return (
            position < len(text)
            and self.rules.not_topic_before_starts.holds(ord(text[position]))
            and text.startswith(self.rules.not_topic_before, position)
        )

    def _opens_clause(self, lead: str) -> bool:
        """Whether only openers, time phrases and punctuation stand before a
        mention in its clause (``_strip_openers`` leaves nothing)."""
        if not lead:
            return True  # the mention opens its clause: most do
        beyond, removable = self.rules.beyond_openers, self.rules.removable
        if beyond is not None and removable is not None:
            # a character that stays: the quick answer for most mentions, most
            # often the one right before the mention (no regex call for that)
            if not removable.mask(ord(lead[-1])) or beyond.search(lead) is not None:
                return False
        return not self._strip_openers(lead)

    def _strip_openers(self, lead: str) -> str:
        if len(lead) > 40:
            return lead  # openers and a time phrase are short: this is a clause
        lead = _unquoted(lead).strip()
        lead = self.rules.openers.sub("", lead)
        lead = self.rules.periods.sub("", lead)
        lead = self.rules.openers.sub("", lead)
        return lead.strip(" ，,")

    def _resolve(self, region: Region | None, level: str | None, topics: list[_Topic], position: int) -> Region | None:
        if region is not None:
            return region
        # 全市 / 全区 …: the article's own place, or the latest topic of that level.
        for place in (self.default_region, self.home):
            if place is not None and _level_matches(place, level):
                return place
        home = self.default_region
        paragraph = self._paragraph_of(position)
        for topic in reversed(topics):
            if topic.start < paragraph:
                break
            if len(topic.regions) == 1 and _level_matches(topic.regions[0], level):
                return topic.regions[0]
        return home

    def _paragraph_of(self, position: int) -> int:
        """Where the paragraph holding ``position`` starts."""
        return self.paragraph_starts[bisect_right(self.paragraph_starts, position) - 1]

    def _topic_at(self, position: int, paragraph: int) -> tuple[int, _Topic | None]:
        """The topic governing ``position`` (in the paragraph starting at
        ``paragraph``) and its index (-1: none in this paragraph)."""
        index = bisect_right(self.topic_starts, position) - 1
        if index < 0 or self.topics[index].start < paragraph:
            return -1, None
        return index, self.topics[index]

    # ------------------------------------------------------------------ periods

    def _periods(self) -> list[tuple[int, int, str, str]]:
        found = []
        for period in self._period_matches():
            start, end = period[0], period[1]
            if start < self.body_start:
                continue  # the headline sums the article up; its phrases govern nothing
            if self._names_event(end):
                continue  # 2023年四季度重大项目集中签约活动…举行: the event's date
            found.append(period)
        return found

    def _names_event(self, position: int) -> bool:
        """Whether an event's name and verb follow ``position`` (event_name).
        Most time phrases have no event verb in reach: a few ``in`` tests
        answer for them, not the regex (about 5,000 instructions a call)."""
        rules = self.rules
        reach = self.text[position : position + rules.event_verb_reach]
        return any(verb in reach for verb in rules.event_verbs) and rules.event_name.match(self.text, position) is not None

    def _period_matches(self) -> list[tuple[int, int, str, str]]:
        """What ``periods.finditer`` finds, as (start, end, tier, phrase),
        looked for only inside the time phrases the tagger found, when it
        gave them.

        Every period pattern is also a DATE pattern, so wherever a period
        can match, the DATE scan either matched there or was inside a match
        of its own: trying the positions of the DATE matches, in order,
        finds the same periods as a scan of the whole text, for far less
        work.

        A match there costs several thousand machine instructions (a dozen
        alternatives, most behind an optional year), and the time phrases
        of news are few (今年以来, 全年, 前三季度 …): their periods depend on
        their words (and the few after them that a period could hold), and
        are remembered by them (``_PhrasePeriods``).
        """
        text = self.text
        if self.time_phrases is None:
            return [_period(m) for m in self.rules.periods.finditer(text)]
        found: list[tuple[int, int, str, str]] = []
        end = 0
        remembered = self.rules.phrase_periods
        for start, stop in self.time_phrases:
            start = max(start, end)  # (after the period just found)
            if start >= stop:
                continue
            in_phrase = remembered.periods(text, start, stop)
            if in_phrase is None:
                in_phrase = _periods_from(self.rules.periods, text, start, stop)
                found.extend(in_phrase)
            else:
                for period_start, period_end, tier, phrase in in_phrase:
                    found.append((start + period_start, start + period_end, tier, phrase))
            if in_phrase:
                end = found[-1][1]
        return found

    def _opens_breakdown(self, paragraph: int) -> bool:
        """Whether the paragraph starting at ``paragraph`` opens with 其中，(memoized: asked per figure)."""
        known = self._breakdown_paragraphs.get(paragraph)
        if known is None:
            # most paragraphs open with a character no breakdown starts with: no regex call for them
            can_open = paragraph < len(self.text) and self.rules.breakdown_starts.mask(ord(self.text[paragraph])) != 0
            opener = self.rules.breakdown.match(self.text, paragraph) if can_open else None
            known = self._breakdown_paragraphs[paragraph] = opener is not None and self.text[opener.end() : opener.end() + 1] in ("，", ",")
        return known

    def _period_for(self, position: int, paragraph: int, topic_index: int) -> str | None:
        """The time phrase governing ``position``: the latest phrase before it
        that applies.

        Every phrase carries on to later clauses and paragraphs, with two
        exceptions: a phrase said inside one peer's clauses (湘江新区截至今年9月…；
        浏阳…) stays with that peer; and a paragraph that opens with 其中，
        breaks down the section's results, so only section phrases (今年以来,
        2023年) reach into it. 全年 after a year in the same sentence keeps the year.
        """
        breakdown_paragraph = self._opens_breakdown(paragraph)
        current = self._topic_names(topic_index)
        topic_sentence = self._topic_segment_start(topic_index) if topic_index >= 0 else paragraph
        last = bisect_right(self.period_starts, position - 1) - 1
        for k in range(last, -1, -1):
            start, _end, tier, phrase = self.periods[k]
            if start >= position or not self._period_applies(start, self.period_topics[k], tier, paragraph, breakdown_paragraph, topic_sentence, current):
                continue
            whole_year = phrase in self.rules.whole_years
            if whole_year or phrase in self.rules.vague_years:
                # 截至9月底，和平区今年…: a phrase said earlier in the same sentence
                # says more; for 全年 only a year named earlier in the paragraph
                # (回顾2023年，武汉全年…。全市全年开展…)
                floor = paragraph if whole_year else self.bounds.before(start, self.bounds.sentence)
                for j in range(k - 1, -1, -1):
                    if self.periods[j][0] < floor:
                        break
                    earlier = self.periods[j][3]
                    if whole_year and not self.rules.named_year.match(earlier):
                        continue
                    if earlier not in self.rules.vague_years and earlier not in self.rules.whole_years:
                        return earlier
            return phrase
        return None

    def _period_applies(
        self, start: int, phrase_topic: int, tier: str, paragraph: int, breakdown_paragraph: bool, topic_sentence: int, current: tuple[str, ...]
    ) -> bool:
        if start < paragraph:
            if tier == "local" and breakdown_paragraph:
                return False
            if tier == "local" and phrase_topic >= 0 and len(self.topics[phrase_topic].regions) == 1 and self._is_peer_switch(phrase_topic):
                return self._topic_names(phrase_topic) == current  # said inside an earlier peer's clauses
            return True
        return phrase_topic == -1 or start >= topic_sentence or self._topic_names(phrase_topic) == current

    def _topic_segment_start(self, index: int) -> int:
        """Where the ；-segment of topic ``index`` starts (memoized: asked per figure)."""
        known = self._topic_segments[index]
        if known < 0:
            known = self._topic_segments[index] = self.bounds.before(self.topics[index].start, self.bounds.segment)
        return known

    def _topic_names(self, index: int) -> tuple[str, ...]:
        return self.topic_names[index] if index >= 0 else ()

    # ------------------------------------------------------------------ one figure

    def build(self) -> list[Fact]:
        text = self.text
        thresholds = self._thresholds()
        threshold_money = {m for m in thresholds.values()}
        facts: list[Fact] = []
        bounds = self.bounds
        for index, q in enumerate(self.quantities):
            kind, start, end = self.quantity_kinds[index], self.quantity_starts[index], self.quantity_ends[index]
            if kind not in ("money", "count") or start < self.body_start:
                continue
            if index in threshold_money:
                continue
            item_start = self._item_start(index, start)
            window = text[item_start:start]
            named_project = None
            if kind == "money":
                # (the patterns need 的 right after the amount, or 项目 and a budget
                # word at the end of its window, which never ends with a line break,
                # an item boundary: string tests first, each regex costs thousands
                # of instructions)
                after = self.rules.named_project.match(text, end) if text.startswith("的", end) else None
                if after:
                    if q.qualifier in ("at_least", "more_than", "at_most", "less_than"):
                        continue  # 10亿元及以上的产业项目: a size class, not a figure
                    named_project = after.group(1)
                else:
                    before = (
                        self.rules.project_before.search(window)
                        if "项目" in window and window.endswith(self.rules.budget_words)
                        else None
                    )
                    if before:
                        named_project = self._clean_name(before.group(1))
            # asked by several rules below: found once per figure
            paragraph = self._paragraph_of(start)
            topic_index, topic = self._topic_at(start, paragraph)
            sentence_start = bounds.before(start, bounds.sentence)
            segment_start = bounds.before(start, bounds.segment)
            segment_end = bounds.after(end, bounds.segment)
            regions = self._regions_for(q, topic)
            own = self._item_region(item_start, start, end)
            if own is not None:
                regions = [own]
            if named_project:
                located = self._project_location(end, segment_end)
                if located is not None:
                    regions = [located]
            # the metric and subject are words of the window: without quotes when it has none
            quoted = self._has_quote(item_start, start)
            category = self._category(q, window, quoted, sentence_start, facts)
            metric = self._metric(item_start, start, q)
            threshold = None
            size = self.quantities[thresholds[index]] if index in thresholds else None
            if size is not None:
                threshold = Threshold(size.value, size.currency, size.qualifier)
            subject = named_project if kind == "money" else self._subject(metric, size, quoted)
            period = None if named_project else self._period_for(start, paragraph, topic_index)
            status = self._status(start, sentence_start, segment_start, topic_index, topic)
            evidence = (segment_start, segment_end)
            for region in regions:
                fact = new_fact(category, metric, index, subject, region, threshold, period, status, None, evidence)
                facts.append(fact)
        self._link_breakdowns(facts)
        return facts

    def _has_quote(self, start: int, end: int) -> bool:
        """Whether a quotation or title mark stands in [start, end)."""
        k = bisect_left(self.quote_places, start)
        return k < len(self.quote_places) and self.quote_places[k] < end

    def _item_region(self, item_start: int, figure_start: int, figure_end: int) -> Region | None:
        """The place a list item names and nothing else before its figure, the
        figure ending the item (签约金额48亿元、白云区32亿元): that item's place,
        whatever the clause's topic. (深圳4个招引工作专班 is not: the place
        describes the noun after the count.)"""
        if figure_end < len(self.text) and not _ITEM_ENDS.holds(ord(self.text[figure_end])):
            return None
        k = bisect_left(self.mention_starts, item_start)
        if k == len(self.mentions):
            return None
        start, end, region, _level = self.mentions[k]
        if region is None or self.text[item_start:start].strip() or self.text[end:figure_start].strip():
            return None
        return region

    def _regions_for(self, q: Quantity, topic: _Topic | None) -> list[Region | None]:
        if topic is None:
            return [self.default_region]
        if topic.each:
            return list(topic.regions)
        if topic.respectively is not None and q.start >= topic.respectively:
            segment_end = self.bounds.after(topic.respectively, self.bounds.segment)
            first, last = bisect_left(self.quantity_starts, topic.respectively), bisect_left(self.quantity_starts, segment_end)
            same_kind = [o for o in self.quantities[first:last] if o.kind == q.kind]
            position = next((i for i, o in enumerate(same_kind) if o is q), None)
            if position is not None and position < len(topic.regions):
                return [topic.regions[position]]
        return [topic.regions[-1]]

    def _item_start(self, index: int, position: int) -> int:
        """Start of the list item holding quantity ``index``, which starts at
        ``position``: after the last 、，；。 … or count (memoized: a count
        asks for its thresholds, then as a figure)."""
        start = self._item_starts[index]
        if start >= 0:
            return start
        start = self.bounds.before(position, self.bounds.item)
        k = bisect_right(self.count_ends, position) - 1
        if k >= 0 and self.count_ends[k] > start:
            start = self.count_ends[k]
        self._item_starts[index] = start
        return start

    def _thresholds(self) -> dict[int, int]:
        """count quantity index → index of the money amount that is its size threshold.

        The amount stands in the count's own wording (10亿元以上重大项目4个,
        亿元税收楼宇2幢, 投资总额1000万美元以上的外资企业6家): same list item, only
        a short noun phrase between them.
        """
        found: dict[int, int] = {}
        kinds, ends = self.quantity_kinds, self.quantity_ends
        for index, kind in enumerate(kinds):
            if kind != "count":
                continue
            start = self.quantity_starts[index]
            item_start = self._item_start(index, start)
            for k in range(index - 1, -1, -1):
                if ends[k] <= item_start:
                    break
                if kinds[k] == "money":
                    # 亿元楼宇总数达到39幢: the fillers before the count are no verb
                    between = self._without_fillers(self.text[ends[k] : start])
                    if len(between) <= 16 and not self.rules.verb_between.search(between):
                        found[index] = k
                    break
            if index not in found:
                # 在谈的9个亿元以上项目: the size class right after the count, a noun after it
                after = self._size_class_after(ends[index])
                size_end = ends[after] if after is not None else len(self.text)
                if after is not None and size_end < len(self.text) and not _ITEM_ENDS.holds(ord(self.text[size_end])):
                    found[index] = after
        return found

    def _category(self, q: Quantity, window: str, quoted: bool, sentence_start: int, facts: list[Fact]) -> str:
        rules = self.rules
        if q.kind == "money":
            head = self._head(window, quoted)
            # the cue nearest the amount wins: the last found, as cue words are
            # never empty (alternation) and the matches do not overlap
            cues = rules.money_cues.findall(head)
            if cues:
                return rules.money_category[cues[-1]]
            continued = self._continued_category(q, sentence_start, facts)
            if continued is not None:
                return continued
            clause = self.text[self.bounds.before(q.start, self.bounds.clause) : q.start]
            if "投资" in clause or "引资" in clause:
                return "investment"
            return "other"
        if q.unit in rules.unit_category:
            return rules.unit_category[q.unit]  # 接待客商3100余人次: people, whoever they are
        head = self._head(window, quoted)
        if head.endswith(self.rules.delta_words):
            return "other"  # 同比增加11个: a change, not a stock
        # the nearest is the last found (see money above); findall makes no
        # match objects, and where the last cue ends follows from the words
        cues = rules.count_cues.findall(head)
        nearest = cues[-1] if cues else None
        nearest_end = _end_of_last(head, cues)
        if nearest is not None and nearest_end >= len(head) - 1:
            return rules.count_category[nearest]  # the counted noun is right before the count
        after = self._noun_after(q)
        if after is not None:
            return after
        if q.unit in rules.classifier_category:
            return rules.classifier_category[q.unit]
        if not self._has_noun(head):
            # 在谈项目798个，签约270个: the count goes on with the last one's noun;
            # 4个招引工作专班: or the noun follows the count.
            previous = next((f for f in reversed(facts) if self.quantity_kinds[f.quantity] == "count"), None)
            if previous is not None and self.quantities[previous.quantity].unit == q.unit and q.start <= previous.evidence[1] + 1:
                return previous.category
            following = self._following_noun(q.end)
            cue = rules.count_cues.match(following)
            if cue:
                return rules.count_category[cue.group()]
        if nearest is not None and rules.count_category[nearest] == "projects" and nearest_end >= len(head) - 4:
            return "projects"
        return "other"

    def _continued_category(self, q: Quantity, sentence_start: int, facts: list[Fact]) -> str | None:
        """The category of the amount before ``q`` in its sentence, when ``q``'s
        wording holds nothing but places, that amount, joiners and fillers: it
        goes on that amount's list (签约金额48亿元、白云区32亿元; 岳阳市、衡阳市分别为
        2.3亿美元和1.9亿美元) or restates it (1205.6亿元人民币，折合约171亿美元)."""
        previous = next((f for f in reversed(facts) if self.quantity_kinds[f.quantity] == "money"), None)
        if previous is None:
            return None
        earlier = self.quantities[previous.quantity]
        if earlier.start < sentence_start:
            return None
        words = []
        position = earlier.end
        for start, end in self._spans_between(earlier.end, q.start):
            words.append(self.text[position:start])
            position = max(position, end)
        words.append(self.text[position : q.start])
        return previous.category if self.rules.continuation.fullmatch(_unquoted("".join(words))) else None

    def _spans_between(self, start: int, end: int) -> list[tuple[int, int]]:
        """Region mentions and quantities inside [start, end), in order."""
        spans = []
        k = bisect_left(self.mention_starts, start)
        while k < len(self.mentions) and self.mentions[k][0] < end:
            spans.append((self.mentions[k][0], self.mentions[k][1]))
            k += 1
        k = bisect_left(self.quantity_starts, start)
        while k < len(self.quantities) and self.quantities[k].start < end:
            spans.append((self.quantities[k].start, self.quantities[k].end))
            k += 1
        return sorted(s for s in spans if s[1] <= end)

    def _size_class_after(self, count_end: int) -> int | None:
        """Index of the money amount that starts right where a count ends, at ``count_end`` (9个亿元以上项目)."""
        k = bisect_left(self.quantity_starts, count_end)
        if k < len(self.quantity_starts) and self.quantity_starts[k] == count_end and self.quantity_kinds[k] == "money":
            return k
        return None

    def _noun_after(self, q: Quantity) -> str | None:
        """The category of a noun right after a count (推动在谈的9个亿元以上项目; 每季度引进
        5至8个重大项目), a size class in between allowed; None when a verb or a
        boundary comes first."""
        after = self._size_class_after(q.end)
        position = self.quantity_ends[after] if after is not None else q.end
        end = min(self.bounds.after(position, self.bounds.item), position + _NOUN_AFTER_REACH)
        m = self.rules.count_cues.search(self.text, position, end)
        if m is None or self.rules.verb_between.search(self.text, position, m.start()):
            return None
        # the cue must end the noun: 12个产业链招商小分队 counts teams, not 招商
        if m.end() < len(self.text) and not _ITEM_ENDS.holds(ord(self.text[m.end()])) and not self.rules.verb_between.match(self.text, m.end()):
            return None
        return self.rules.count_category[m.group()]

    def _has_noun(self, head: str) -> bool:
        """Whether the wording before a count names a thing (not only a verb such as 签约)."""
        stripped = self._without_count_verbs(head)
        return len(stripped) >= 2

    def _following_noun(self, position: int) -> str:
        """The words right after a count, up to the next boundary or figure (4个招引工作专班)."""
        end = self.bounds.after(position, self.bounds.item)
        k = bisect_left(self.quantity_starts, position)
        if k < len(self.quantity_starts) and self.quantity_starts[k] < end:
            end = self.quantity_starts[k]
        return _unquoted(self.text[position:end])

    def _head(self, window: str, quoted: bool) -> str:
        """The window without quotes (``quoted``: it has some) and the filler
        words right before the figure."""
        return self._without_fillers((window.translate(_NO_QUOTES) if quoted else window).strip())

    # The two helpers below run for every figure. The commonest case, no word
    # of the list, is answered by a table lookup of the last (first)
    # character (see _CharSet), and only then by endswith over the whole list
    # (startswith over the verbs that start with that character).
    def _without_fillers(self, words: str) -> str:
        """``words`` without the filler words (共, 达 …) at its end."""
        if words and self.rules.filler_ends.holds(ord(words[-1])) and words.endswith(self.rules.filler_words):
            return self.rules.trailing_filler.sub("", words)
        return words

    def _without_count_verbs(self, words: str) -> str:
        """``words`` without the verbs (新引进, 签约 …) that open it."""
        if words is self._verbs_asked:
            return self._verbs_stripped  # a count's metric is asked twice: has it a noun, then its subject
        self._verbs_asked = words
        starts, by_start = self.rules.count_verb_starts, self.rules.count_verbs_by_start
        while words:
            code = ord(words[0])
            if not starts.holds(code):
                break
            verbs = by_start[code]
            if not words.startswith(verbs):
                break
            for verb in verbs:  # the longest that opens the words, as often as one does
                if words.startswith(verb):
                    words = words[len(verb) :]
                    break
        self._verbs_stripped = words
        return words

    def _metric(self, start: int, end: int, q: Quantity) -> str | None:
        """The wording that names what is measured: the item's words before the
        figure, without the region, time phrase and target cue that open it."""
        position = start
        while position < end:
            step = self._opener_length(position, end)
            if not step:
                mention_end = self.mention_ends_at.get(position)
                if mention_end:
                    step = mention_end - position
            if not step:
                break
            position += step
        metric = self._without_fillers(self.text[position:end]).strip(" ，,、：:")
        if q.kind == "count" and not self._has_noun(metric):
            following = self._following_noun(q.end)
            metric = (metric + following) if following else metric
        return metric or None

    def _opener_length(self, position: int, end: int) -> int:
        """How much of text[position:end] the first of the metric's openers that
        matches there takes (0: none). In their order: a clause opener and the
        commas after it (openers_long), a time phrase, a target cue, a word
        for the article's place (全市 …). The word lists are looked up, not
        matched by their regexes: a regex call costs some 2,000 machine
        instructions, and these are tried at most positions of a metric."""
        rules, text = self.rules, self.text
        can_start = rules.metric_opener_starts.mask(ord(text[position]))  # bits in the order above
        if can_start & 1:
            word = rules.opener_words.longest(text, position, end)
            if word is not None:
                after = position + len(word)
                while after < end and (text[after] in _OPENER_TRAIL or text[after].isspace()):  # (re's \s is isspace)
                    after += 1
                return after - position
        if can_start & 2:
            m = rules.periods.match(text, position, end)
            if m is not None and m.end() > position:
                return m.end() - position
        if can_start & 4:
            word = rules.status_words.longest(text, position, end)
            if word is not None and rules.status_kind[word] == "target":
                return len(word)
        if can_start & 8:
            word = rules.anaphora_words.longest(text, position, end)
            if word is not None:
                return len(word)
        return 0

    def _subject(self, metric: str | None, threshold: Quantity | None, quoted: bool) -> str | None:
        """For a count, the thing counted: the metric without its leading verb
        and without the size threshold, which the fact carries apart
        (新引进2亿元以上重大项目 → 重大项目). ``quoted``: whether the figure's
        window, which holds the metric's words, has quotes."""
        if not metric:
            return None
        subject = self._without_count_verbs(metric)
        at = subject.find(threshold.text) if threshold is not None else -1
        if threshold is not None and at >= 0:  # 投资总额1000万美元以上的外资企业 → 外资企业
            subject = subject[at + len(threshold.text) :].removeprefix("的")
        return (_unquoted(subject) if quoted else subject) or metric

    def _clean_name(self, name: str) -> str:
        return self._strip_openers(name)

    def _project_location(self, position: int, clause_end: int) -> Region | None:
        m = self.rules.location_verbs.search(self.text, position, clause_end)
        if m is None:
            return None
        for start, _end, region, _level in self.mentions:
            if region is not None and m.end() <= start <= m.end() + 2:
                return region
        return None

    def _status(self, position: int, sentence_start: int, segment_start: int, topic_index: int, topic: _Topic | None) -> str:
        """target when a target cue comes before the figure in its ；-segment, or
        before the sentence's first figure (全市争取…：the whole sentence is the goal),
        or when the figure is in a quoted goal (按照“全年签约项目200个”的目标)."""
        if self._in_quoted_goal(position, sentence_start):
            return "target"
        k = bisect_left(self.quantity_starts, sentence_start)
        first_clause_end = self.quantity_starts[k] if k < len(self.quantity_starts) else position
        peer_start = None
        if topic is not None and topic.start > sentence_start and self._is_peer_switch(topic_index):
            peer_start = self.bounds.before(topic.start, self.bounds.peer)
        status = "actual"
        first, last = bisect_left(self.cue_starts, sentence_start), bisect_left(self.cue_starts, position)
        for cue_start, cue_end, kind in self.cues[first:last]:
            if kind == "none" or cue_end > position:
                continue
            if peer_start is not None and cue_start < peer_start:
                continue  # a peer's goal is not the next peer's
            if cue_start >= segment_start or (kind == "target" and cue_start < first_clause_end):
                status = kind
        return status

    def _in_quoted_goal(self, position: int, sentence_start: int) -> bool:
        opening = self.text.rfind("“", sentence_start, position)
        if opening < 0 or self.text.find("”", opening, position) >= 0:
            return False
        closing = self.text.find("”", position, position + MAX_REACH)
        return closing >= 0 and self.text.startswith(self.rules.quoted_goal_after, closing + 1)

    def _is_peer_switch(self, topic_index: int) -> bool:
        """Whether this topic replaced a different region (a new peer in a list)."""
        if topic_index <= 0:
            return topic_index == 0 and self._topic_names(0) != ((self.home.name,) if self.home else ())
        return self._topic_names(topic_index) != self._topic_names(topic_index - 1)

    # ------------------------------------------------------------------ 其中

    def _link_breakdowns(self, facts: list[Fact]) -> None:
        """Point each figure of a 其中 breakdown at the figure it breaks down.

        ``其中X…`` runs to the end of its ；-segment; a standalone ``其中，``
        opens a breakdown to the end of the sentence. A clause that opens
        with a new topic region ends it (其中，湘江新区…；浏阳… lists peers).
        The parent is the latest earlier figure of the same kind, category
        and region — in the paragraph, or the one before when 其中 opens it.
        """
        if not facts:
            return  # no figure to link: the scan below would find no children
        text = self.text
        fact_quantities = [f.quantity for f in facts]
        fact_starts = [self.quantity_starts[i] for i in fact_quantities]
        for m in self.rules.breakdown_scan.matches(text):
            scope_start, opener_end = m.span()
            # ends with a comma, or one follows (matches are never empty)
            standalone = text[opener_end - 1] in "，," or text[opener_end : opener_end + 1] in ("，", ",")
            scope_end = self.bounds.after(opener_end, self.bounds.sentence_or_bracket if standalone else self.bounds.segment_or_bracket)
            k = bisect_right(self.topic_starts, scope_start)
            if k < len(self.topics) and self.topics[k].start < scope_end:
                scope_end = self.topics[k].start
            first_child, after_children = bisect_right(fact_starts, scope_start), bisect_left(fact_starts, scope_end)
            if first_child >= after_children:
                continue
            paragraph = self.paragraph_starts[bisect_right(self.paragraph_starts, scope_start) - 1]
            if text[paragraph:scope_start].strip(" 　") == "" and paragraph > 0:
                paragraph = self.paragraph_starts[bisect_right(self.paragraph_starts, paragraph - 1) - 1]
            for child in range(first_child, after_children):
                fact = facts[child]
                kind = self.quantity_kinds[fact_quantities[child]]
                for candidate in range(child - 1, max(-1, child - 200), -1):
                    parent_start = fact_starts[candidate]
                    if parent_start < paragraph:
                        break
                    if parent_start >= scope_start:
                        continue
                    if self.quantity_kinds[fact_quantities[candidate]] != kind:
                        continue
                    parent = facts[candidate]
                    if parent.category != fact.category or _name(parent.region) != _name(fact.region):
                        continue
                    fact.parent = candidate
                    break


def bisect_left(a: list[int], x: int) -> int:
    """``bisect.bisect_left`` for a list of ints. Compiled (hatch_build.py),
    this loop costs a tenth of a call into the bisect module, and facts asks
    about sixteen such questions per figure."""
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def bisect_right(a: list[int], x: int) -> int:
    """``bisect.bisect_right`` for a list of ints (see :func:`bisect_left`)."""
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _end_of_last(text: str, words: list[str]) -> int:
    """Where the last of ``words`` ends in ``text``, ``words`` being what
    ``findall`` gave for an alternation of plain words: each match is the
    first occurrence of its word after the match before (at an earlier
    occurrence the alternation would have matched first). 0 when none."""
    end = 0
    for word in words:
        end = text.find(word, end) + len(word)
    return end


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


_FIRST: Final = itemgetter(0)

_LEVEL_RANK: Final = {"province": 1, "city": 2, "county": 3, "zone": 4, "town": 5}


def _specificity(region: Region | None, level: str | None) -> int:
    if region is not None:
        return _LEVEL_RANK.get(region.level, 0)
    return _LEVEL_RANK.get(level or "", 0)


def _name(region: Region | None) -> str | None:
    return region.name if region else None


def _level_matches(region: Region, level: str | None) -> bool:
    if level is None:
        return True
    if level == "county":
        return region.level in ("county", "zone")
    return region.level == level


def build_facts(
    text: str,
    quantities: Sequence[Quantity],
    mentions: Sequence[RegionMention],
    home: Region | None,
    *,
    body_start: int = 0,
    time_phrases: Sequence[tuple[int, int]] | None = None,
) -> list[Fact]:
    """The facts of one article (see the module docstring for the rules).

    ``time_phrases``: the spans of every match of the DATE patterns
    (:attr:`newsie.entities.Tagged.time_phrases`), where the periods are
    looked for; without them the whole text is scanned (same result).
    """
    return FactBuilder(text, quantities, mentions, home, body_start=body_start, time_phrases=time_phrases).build()
