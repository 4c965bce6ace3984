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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from newsie._construct import new_fact
from newsie._prefilter import alternation, char_class, dispatched, first_char_class, longest_first, prefiltered
from newsie.model import Fact, Quantity, Region, Threshold
from newsie.regions import RegionMention
from newsie.resources import pattern_path


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
    status_kind: dict[str, str]
    quoted_goal_after: tuple[str, ...]
    periods: re.Pattern[str]
    anaphora: re.Pattern[str]
    anaphora_level: dict[str, str]
    openers: re.Pattern[str]
    # a character that no clause opener, time phrase, quote or separator holds
    # (None when that cannot be worked out from the patterns)
    beyond_openers: re.Pattern[str] | None
    openers_long: re.Pattern[str]
    count_verbs: tuple[str, ...]  # longest first
    count_verbs_by_start: dict[str, tuple[str, ...]]  # the same, by their first character
    location_verbs: re.Pattern[str]
    not_topic_before: tuple[str, ...]
    list_joiner: re.Pattern[str]
    list_joiner_longest: int  # characters in the longest joiner: more between two mentions is no list
    breakdown: re.Pattern[str]
    each_words: tuple[str, ...]
    vague_years: tuple[str, ...]
    whole_years: tuple[str, ...]
    named_year: re.Pattern[str]
    trailing_filler: re.Pattern[str]
    continuation: re.Pattern[str]
    filler_words: tuple[str, ...]
    filler_ends: frozenset[str]  # their last characters
    delta_words: tuple[str, ...]
    verb_between: re.Pattern[str]
    named_project: re.Pattern[str]
    project_before: re.Pattern[str]
    event_name: re.Pattern[str]
    respectively: re.Pattern[str]
    # the metric's openers, in the order they are tried, and which of them can start with a character (see _metric)
    metric_openers: tuple[re.Pattern[str], ...]
    metric_opener_starts: _Starts


def period_alternatives() -> tuple[list[str], list[str]]:
    """The local and the section period patterns of ``patterns/dates.toml``, in their order."""
    with open(pattern_path("dates.toml"), "rb") as f:
        periods = tomllib.load(f)["periods"]
    return periods["local"], periods["section"]


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
    openers_long = re.compile(rf"(?:{alternation(w for w in data['regions']['clause_openers'] if len(w) > 1)})[，,、\s]*")
    openers = re.compile(rf"^(?:(?:{alternation(data['regions']['clause_openers'])})[，,、\s]*)+")
    # what _strip_openers can take away: a character outside these stays
    removable = [char_class(p.pattern) for p in (openers, periods)]
    beyond_openers = (
        None if any(c is None for c in removable) else re.compile("[^" + "".join(c[1:-1] for c in removable if c) + re.escape(_QUOTES) + r"\s，,]")
    )
    return _Rules(
        money_category=money_category,
        count_cues=re.compile(f"(?:{alternation(count_category)})"),
        money_cues=re.compile(f"(?:{alternation(money_category)})"),
        count_category=count_category,
        classifier_category=dict(data["count_classifier_category"]),
        unit_category=dict(data["count_unit_category"]),
        status_cues=status_cues,
        status_kind=status_kind,
        quoted_goal_after=tuple(status["quoted_goal_after"]),
        periods=periods,
        anaphora=anaphora,
        anaphora_level=dict(regions),
        openers=openers,
        beyond_openers=beyond_openers,
        openers_long=openers_long,
        count_verbs=tuple(longest_first(data["structure"]["count_verbs"])),
        count_verbs_by_start=_by_first_character(longest_first(data["structure"]["count_verbs"])),
        location_verbs=re.compile(alternation(data["regions"]["project_location_verbs"])),
        not_topic_before=tuple(data["regions"]["not_topic_before"]),
        list_joiner=re.compile(f"(?:{alternation(data['regions']['list_joiners'])})?"),
        list_joiner_longest=max((len(w) for w in data["regions"]["list_joiners"]), default=0),
        breakdown=re.compile(
            "|".join([alternation(data["structure"]["breakdown_words"]), *(f"(?:{p})" for p in data["structure"]["breakdown_patterns"])])
        ),
        each_words=tuple(data["structure"]["each_words"]),
        vague_years=tuple(wording["vague_periods"]),
        whole_years=tuple(wording["whole_year_periods"]),
        named_year=re.compile(wording["named_year"]),
        trailing_filler=re.compile(f"(?:{alternation(wording['count_fillers'])})+$"),
        filler_words=tuple(wording["count_fillers"]),
        filler_ends=frozenset(word[-1] for word in wording["count_fillers"]),
        continuation=re.compile(
            rf"(?:{alternation([*wording['count_fillers'], *wording['restatement_words'], *data['regions']['list_joiners']])}|[，,；;\s])*"
        ),
        delta_words=tuple(wording["delta_words"]),
        verb_between=re.compile(alternation(wording["separate_figure_verbs"])),
        # 的 + a name of 2–40 characters (no punctuation) ending in a project head word
        named_project=re.compile(rf"的([^，,。；;、：:（）()\n]{{2,40}}?(?:{alternation(wording['project_heads'])}))"),
        project_before=re.compile(rf"([^，,。；;、：:（）()\n]{{2,40}}?项目)(?:计划|预计|拟)?(?:{alternation(wording['budget_words'])})$"),
        event_name=re.compile(
            rf"[^，,。；;\n]{{0,30}}?(?:{alternation(data['events']['nouns'])})[^，,。；;\n]{{0,20}}?(?:{alternation(data['events']['verbs'])})"
        ),
        respectively=re.compile(alternation(data["structure"]["respectively_words"])),
        metric_openers=(openers_long, periods, status_cues, anaphora),
        metric_opener_starts=_Starts((openers_long, periods, status_cues, anaphora)),
    )


def _by_first_character(words: list[str]) -> dict[str, tuple[str, ...]]:
    """``words`` grouped by their first character, each group in the order given."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word)
    return {first: tuple(group) for first, group in groups.items()}


class _Starts:
    """Which of some patterns can match at a character: bit i of
    ``mask(char)`` is set when pattern i can start with ``char`` (its
    first-character class holds it, or that class is unknown).

    Worked out once per character and remembered: a dictionary lookup
    instead of a regex call for every opener tried in every metric (about
    3 % of the facts stage's instructions, measured with callgrind).
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.classes: list[re.Pattern[str] | None] = []
        for pattern in patterns:
            first = first_char_class(pattern.pattern)
            self.classes.append(re.compile(first) if first is not None else None)
        self.known: dict[str, int] = {}

    def mask(self, char: str) -> int:
        known = self.known.get(char)
        if known is None:
            known = 0
            for bit, first in enumerate(self.classes):
                if first is None or first.match(char) is not None:
                    known |= 1 << bit
            self.known[char] = known
        return known


# Boundaries, from strongest to weakest.
_SENTENCE_END: Final = "。！？!?\n"
_SEGMENT_MARKS: Final = "；;"
_CLAUSE_MARKS: Final = "，,：:（）()"
_ITEM_MARKS: Final = "、"
_ITEM_END: Final = _SENTENCE_END + _SEGMENT_MARKS + _CLAUSE_MARKS + _ITEM_MARKS
# Where one peer's clauses end (湘江新区…，浏阳…: a segment's end or these);
# where a 其中 breakdown ends (a sentence's or segment's end, or these).
_PEER_MARKS: Final = "，,"
_BRACKET_CLOSE: Final = "）)"
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
            found = []
            position = text.find(char)
            while position >= 0:
                found.append(position)
                position = text.find(char, position + 1)
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


def _with(positions: list[int], by_char: dict[str, list[int]], chars: str) -> list[int]:
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
        # target/actual cue words, found once: (start, end, kind)
        self.cues: list[tuple[int, int, str]] = []
        for m in self.rules.status_cues.finditer(text):
            cue_start, cue_end = m.span()
            self.cues.append((cue_start, cue_end, self.rules.status_kind[m.group()]))
        self.cue_starts = [c[0] for c in self.cues]
        self.period_starts = [p[0] for p in self.periods]

    # ------------------------------------------------------------------ regions

    def _with_anaphora(self, mentions: list[RegionMention]) -> list[tuple[int, int, Region | None, str | None]]:
        """Gazetteer mentions plus 全市/我市 …, as (start, end, region, anaphora level)."""
        found: list[tuple[int, int, Region | None, str | None]] = [(m.start, m.end, m.region, None) for m in mentions]
        taken = sorted((start, end) for start, end, _region, _level in found)
        starts = [t[0] for t in taken]
        for m in self.rules.anaphora.finditer(self.text):
            start, end = m.span()
            k = bisect_right(starts, start) - 1
            clashes = (k >= 0 and taken[k][1] > start) or (k + 1 < len(taken) and taken[k + 1][0] < end)
            if not clashes:
                found.append((start, end, None, self.rules.anaphora_level[m.group()]))
        found.sort(key=lambda item: item[0])
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
            if text.startswith(self.rules.not_topic_before, group[-1][1]):
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

    def _opens_clause(self, lead: str) -> bool:
        """Whether only openers, time phrases and punctuation stand before a
        mention in its clause (``_strip_openers`` leaves nothing)."""
        if not lead:
            return True  # the mention opens its clause: most do
        beyond = self.rules.beyond_openers
        if beyond is not None and beyond.search(lead) is not None:
            return False  # a character that stays: the quick answer for most mentions
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
        for m in self._period_matches():
            start, end = m.span()
            if start < self.body_start:
                continue  # the headline sums the article up; its phrases govern nothing
            if self.rules.event_name.match(self.text, end):
                continue  # 2023年四季度重大项目集中签约活动…举行: the event's date
            tier = "local" if m.group("local") else "section"
            found.append((start, end, tier, m.group()))
        return found

    def _period_matches(self) -> list[re.Match[str]]:
        """What ``periods.finditer`` finds, looked for only inside the time
        phrases the tagger found, when it gave them.

        Every period pattern is also a DATE pattern, so wherever a period
        can match, the DATE scan either matched there or was inside a match
        of its own: trying the positions of the DATE matches, in order,
        finds the same periods as a scan of the whole text, for far less
        work.
        """
        if self.time_phrases is None:
            return list(self.rules.periods.finditer(self.text))
        found: list[re.Match[str]] = []
        end = 0
        match = self.rules.periods.match
        for start, stop in self.time_phrases:
            for position in range(max(start, end), stop):
                if position < end:
                    continue  # inside the period just found
                m = match(self.text, position)
                if m is not None:
                    found.append(m)
                    end = m.end()
        return found

    def _opens_breakdown(self, paragraph: int) -> bool:
        """Whether the paragraph starting at ``paragraph`` opens with 其中，(memoized: asked per figure)."""
        known = self._breakdown_paragraphs.get(paragraph)
        if known is None:
            opener = self.rules.breakdown.match(self.text, paragraph)
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
                # (the patterns need 的 right after the amount, and 项目 before it: a test of the string first)
                after = self.rules.named_project.match(text, end) if text.startswith("的", end) else None
                if after:
                    if q.qualifier in ("at_least", "more_than", "at_most", "less_than"):
                        continue  # 10亿元及以上的产业项目: a size class, not a figure
                    named_project = after.group(1)
                else:
                    before = self.rules.project_before.search(window) if "项目" in window else None
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
            quoted = _QUOTE.search(window) is not None
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

    def _item_region(self, item_start: int, figure_start: int, figure_end: int) -> Region | None:
        """The place a list item names and nothing else before its figure, the
        figure ending the item (签约金额48亿元、白云区32亿元): that item's place,
        whatever the clause's topic. (深圳4个招引工作专班 is not: the place
        describes the noun after the count.)"""
        if figure_end < len(self.text) and self.text[figure_end] not in _ITEM_END:
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
                if after is not None and size_end < len(self.text) and self.text[size_end] not in _ITEM_END:
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
        nearest = None
        for m in rules.count_cues.finditer(head):
            nearest = m  # the nearest is the last found (see money above)
        if nearest is not None and nearest.end() >= len(head) - 1:
            return rules.count_category[nearest.group()]  # the counted noun is right before the count
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
        if nearest is not None and rules.count_category[nearest.group()] == "projects" and nearest.end() >= len(head) - 4:
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
        if m.end() < len(self.text) and self.text[m.end()] not in _ITEM_END and not self.rules.verb_between.match(self.text, m.end()):
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
    # of the list, is answered by one set (dict) lookup of the last (first)
    # character, and only then by endswith over the whole list (startswith over
    # the verbs that start with that character).
    def _without_fillers(self, words: str) -> str:
        """``words`` without the filler words (共, 达 …) at its end."""
        if words and words[-1] in self.rules.filler_ends and words.endswith(self.rules.filler_words):
            return self.rules.trailing_filler.sub("", words)
        return words

    def _without_count_verbs(self, words: str) -> str:
        """``words`` without the verbs (新引进, 签约 …) that open it."""
        by_start = self.rules.count_verbs_by_start
        while words:
            verbs = by_start.get(words[0])
            if verbs is None or not words.startswith(verbs):
                break
            for verb in verbs:  # the longest that opens the words, as often as one does
                if words.startswith(verb):
                    words = words[len(verb) :]
                    break
        return words

    def _metric(self, start: int, end: int, q: Quantity) -> str | None:
        """The wording that names what is measured: the item's words before the
        figure, without the region, time phrase and target cue that open it."""
        position = start
        while position < end:
            step = 0
            can_start = self.rules.metric_opener_starts.mask(self.text[position])
            if can_start:
                rest = self.text[position:end]
                for bit, pattern in enumerate(self.rules.metric_openers):
                    if not can_start & (1 << bit):
                        continue  # cannot start with this character: no match
                    m = pattern.match(rest)
                    if m and m.end() > 0 and (pattern is not self.rules.status_cues or self.rules.status_kind[m.group()] == "target"):
                        step = m.end()
                        break
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
        for m in self.rules.breakdown.finditer(text):
            scope_start = m.start()
            standalone = m.group().endswith(("，", ",")) or text[m.end() : m.end() + 1] in ("，", ",")
            scope_end = self.bounds.after(m.end(), self.bounds.sentence_or_bracket if standalone else self.bounds.segment_or_bracket)
            k = bisect_right(self.topic_starts, scope_start)
            if k < len(self.topics) and self.topics[k].start < scope_end:
                scope_end = self.topics[k].start
            children = list(range(bisect_right(fact_starts, scope_start), bisect_left(fact_starts, scope_end)))
            if not children:
                continue
            paragraph = self.paragraph_starts[bisect_right(self.paragraph_starts, scope_start) - 1]
            if text[paragraph:scope_start].strip(" 　") == "" and paragraph > 0:
                paragraph = self.paragraph_starts[bisect_right(self.paragraph_starts, paragraph - 1) - 1]
            for child in children:
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


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


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
