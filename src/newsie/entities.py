"""Tag the normalized text: regions and zones from the gazetteer, dates from
patterns, government bodies, people after titles and companies named as
projects from patterns, and people, organizations and government bodies from
the statistical model.

Overlaps are settled by one rule, in this order of trust: DATE spans and the
gazetteer's GPE/ZONE spans first, then the patterns' spans, then the
statistical model's, longer before shorter within each; a GOV/ORG span that
strictly contains a gazetteer span replaces it (长沙市委 is a body, not the
city); any other span that overlaps a kept span is dropped.

The statistical model reads about 2,500 characters a second of whole
articles, several hundred times slower than the patterns, and was trained on
other text (CLUENER's news and Weibo sentences; see
``models/ner_cluener/TRAINING.md``), so it is opt-in:
``ner="off"`` (the default) uses the gazetteer and patterns only;
``ner="quantity_sentences"`` adds the model on the sentences that carry a
figure, ``ner="full"`` on the whole article.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

import regex

from newsie._construct import new_entity
from newsie._prefilter import alternation, as_re_classes, dispatched, longest_first, prefiltered
from newsie.model import Entity, Quantity, Region
from newsie.regions import Gazetteer, RegionMention
from newsie.resources import pattern_path

NER_MODES: Final = ("off", "quantity_sentences", "full")
DEFAULT_NER: Final = "off"
_SENTENCE_END: Final = regex.compile(r"[。！？!?；;\n]")


@dataclass(slots=True)
class Tagged:
    """What the tagging stage found in one article."""

    entities: list[Entity]
    mentions: list[RegionMention]  # every gazetteer mention, also those inside a GOV span
    home: Region | None
    # every match of the DATE patterns, also those dropped as DATE entities:
    # where the facts stage looks for the periods of its figures
    time_phrases: list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class _Patterns:
    dates: re.Pattern[str]
    gov_bare: re.Pattern[str]
    gov_after_place: re.Pattern[str]  # matched once per place: re costs less per call
    person: re.Pattern[str]
    org_list: regex.Pattern[str]
    org_list_item: regex.Pattern[str]
    org_project: regex.Pattern[str]
    org_generic_endings: tuple[str, ...]
    org_industry: regex.Pattern[str]
    org_not_names: frozenset[str]
    org_not_name_starts: str


def date_alternatives() -> list[str]:
    """The DATE patterns of ``patterns/dates.toml``, longest pattern first (the order they are tried in)."""
    with open(pattern_path("dates.toml"), "rb") as f:
        dates = tomllib.load(f)
    parts = dates["dates"]["patterns"] + dates["periods"]["local"] + dates["periods"]["section"]
    return sorted(parts, key=len, reverse=True)


@cache
def _patterns() -> _Patterns:
    with open(pattern_path("entities.toml"), "rb") as f:
        entity_data = tomllib.load(f)
    gov, person, org = entity_data["gov"], entity_data["person"], entity_data["org"]
    with open(pattern_path("facts.toml"), "rb") as f:
        project_heads = tomllib.load(f)["wording"]["project_heads"]  # 项目, 基地, 产业园 …: not company names
    not_in_name = regex.escape(person["not_in_name"])
    bodies = alternation(gov["bodies"])
    han, space, name_char = as_re_classes(r"\p{Han}", r"\s", rf"[^\P{{Han}}{not_in_name}]")
    not_after = regex.escape(gov["not_followed_by"])
    return _Patterns(
        # plain patterns: the standard library's engine scans them faster
        dates=prefiltered(dispatched(date_alternatives())),
        gov_bare=re.compile(rf"(?:{_after_no_han(gov['levels'], han)})(?:{bodies})(?![{not_after}])"),
        gov_after_place=re.compile(rf"(?:{bodies})(?![{not_after}])"),  # .match(text, pos): anchored at pos
        # the name is the group; two or three Han characters, then not another Han
        # character unless it is one that starts the rest of the sentence. In
        # ``re`` (a scan for the titles' first characters, several times faster
        # than ``regex``), with regex's \s and \p{Han} as explicit classes.
        person=re.compile(
            rf"(?:{alternation(person['titles'])})[{space}]?(?P<name>[{name_char}]{{2,3}}?)(?=[{re.escape(person['not_in_name'])}]|[^{han}]|$)"
        ),
        # verb, then items joined by 、 (no other punctuation), 等, a head word within 8 characters
        org_list=regex.compile(
            rf"(?:{alternation(org['list_verbs'])})(?P<items>[^，,。；;：:！？!?\n、]{{2,12}}(?:、[^，,。；;：:！？!?\n、]{{2,12}})+)"
            rf"{regex.escape(org['list_closer'])}[^，,。；;：:！？!?\n]{{0,8}}?(?:{alternation(org['list_heads'])})"
        ),
        org_list_item=regex.compile(r"[\p{Han}A-Za-z]{2,8}"),
        # 的 + a 2–4 character name + a capacity in Latin units (30gwh, 5GW), then the rest of a project name
        org_project=regex.compile(
            rf"的(?P<name>\p{{Han}}{{2,4}}?)(?=\d+(?:\.\d+)?[A-Za-z])[^，,。；;、：:（）()\n]{{0,30}}?{regex.escape(org['project_word'])}"
        ),
        org_generic_endings=tuple(project_heads + org["generic_endings"]),
        org_industry=regex.compile(alternation(org["industry_words"])),
        org_not_names=frozenset(org["not_names"]),
        org_not_name_starts=org["not_name_starts"],
    )


def _after_no_han(words: list[str], han: str) -> str:
    """The alternation of ``words`` (longest first), each only where no Han
    character (``han``: the inside of an ``re`` class) comes before it.

    The test follows each word, looking back past it, so that every branch
    starts with a literal: ``re`` then skips to the positions where one of
    them starts in a tight C loop, where a leading look-behind
    (``(?<![\\p{Han}])``, as ``regex``) is tried at every position (measured with
    callgrind on the benchmark articles: 100k → 63k instructions per article).
    """
    return "|".join(rf"{re.escape(w)}(?<![{han}][\s\S]{{{len(w)}}})" for w in longest_first(words))


def tag(
    text: str,
    *,
    title: str | None = None,
    quantities: Sequence[Quantity] = (),
    ner: str = DEFAULT_NER,
) -> Tagged:
    """Entities of normalized ``text``, the gazetteer mentions and the article's home place."""
    if ner not in NER_MODES:
        raise ValueError(f"ner must be one of {', '.join(NER_MODES)}, not {ner!r}")
    gazetteer = Gazetteer.default()
    mentions = gazetteer.find(text, title=title)
    home = gazetteer.home(text, mentions, title)
    patterns = _patterns()

    time_phrases = [m.span() for m in patterns.dates.finditer(text)]
    # A date right after a digit or a garbled character has lost its start (来抓?!?0月7日).
    dates = [
        new_entity(text[start:end], "DATE", start, end, None)
        for start, end in time_phrases
        if start == 0 or not (text[start - 1].isdigit() or text[start - 1] in "?\ufffd")
    ]
    places = [new_entity(m.text, m.label, m.start, m.end, m.region) for m in mentions]
    gov = _gov_bodies(text, mentions, patterns)
    people = [new_entity(m.group("name"), "PERSON", m.start("name"), m.end("name"), None) for m in patterns.person.finditer(text)]
    companies = _companies(text, patterns)
    statistical = _statistical(text, quantities, ner)

    kept = _settle(dates, places, gov + people + companies, statistical)
    kept.sort(key=lambda e: (e.start, -e.end))
    return Tagged(entities=kept, mentions=list(mentions), home=home, time_phrases=time_phrases)


def _gov_bodies(text: str, mentions: Sequence[RegionMention], patterns: _Patterns) -> list[Entity]:
    found = []
    for m in mentions:
        if m.label != "GPE":
            continue
        body = patterns.gov_after_place.match(text, m.end)
        if body:
            found.append(new_entity(text[m.start : body.end()], "GOV", m.start, body.end(), None))
    for body in patterns.gov_bare.finditer(text):
        found.append(new_entity(body.group(), "GOV", body.start(), body.end(), None))
    return found


def _companies(text: str, patterns: _Patterns) -> list[Entity]:
    """ORG spans for companies named as projects (see ``[org]`` in patterns/entities.toml)."""
    found = []
    for m in patterns.org_list.finditer(text):
        offset = m.start("items")
        for item in m.group("items").split("、"):
            if patterns.org_list_item.fullmatch(item) and _company_like(item, patterns):
                found.append(new_entity(item, "ORG", offset, offset + len(item), None))
            offset += len(item) + 1
    for m in patterns.org_project.finditer(text):
        name, start, end = m.group("name"), m.start("name"), m.end("name")
        if name in patterns.org_not_names or name[0] in patterns.org_not_name_starts or not _company_like(name, patterns):
            continue
        found.append(new_entity(name, "ORG", start, end, None))
    return found


def _company_like(name: str, patterns: _Patterns) -> bool:
    return not name.endswith(patterns.org_generic_endings) and patterns.org_industry.search(name) is None


def _statistical(text: str, quantities: Sequence[Quantity], mode: str) -> list[Entity]:
    if mode == "off" or not text:
        return []
    from newsie.ner import MODEL_DIR, StatisticalNER

    if not (MODEL_DIR / "meta.json").is_file():
        return []  # the model is built by scripts/train_ner.py and ships in the wheel
    model = StatisticalNER.default()
    if mode == "full":
        windows = [(0, len(text))]
    else:
        windows = _sentences_with(text, quantities)
    entities = []
    for (start, end), spans in zip(windows, model.predict_many(text[s:e] for s, e in windows)):
        for s, e, label in spans:
            if label in ("PERSON", "ORG", "GOV"):
                entities.append(new_entity(text[start + s : start + e], label, start + s, start + e, None))
    return entities


def _sentences_with(text: str, quantities: Sequence[Quantity]) -> list[tuple[int, int]]:
    """The sentences that hold at least one quantity, each once, in order."""
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    windows: list[tuple[int, int]] = []
    k = 0
    for q in sorted(quantities, key=lambda q: q.start):
        while k + 1 < len(bounds) and bounds[k + 1] <= q.start:
            k += 1
        window = (bounds[k], bounds[k + 1] if k + 1 < len(bounds) else len(text))
        if window[0] < window[1] and (not windows or windows[-1] != window):
            windows.append(window)
    return windows


def _settle(dates: list[Entity], places: list[Entity], patterns: list[Entity], statistical: list[Entity]) -> list[Entity]:
    """Apply the overlap rule (module docstring); kept spans never overlap."""
    kept = _Spans()
    for e in dates:
        if not kept.clashes(e):
            kept.add(e)
    for e in places:
        if not kept.clashes(e):
            kept.add(e)
    # The patterns' names before the model's guesses (海四达, not the model's
    # 海四达30gwh); within each, longer first, so 长沙市委 is tried before a
    # shorter overlapping guess.
    for group in (patterns, statistical):
        for e in sorted(group, key=lambda e: e.start - e.end):
            clashes = kept.clashes(e)
            if not clashes:
                kept.add(e)
            elif e.label in ("GOV", "ORG") and all(
                k.label in ("GPE", "ZONE") and e.start <= k.start and k.end <= e.end and (k.end - k.start) < (e.end - e.start)
                for k in clashes
            ):
                for k in clashes:
                    kept.remove(k)
                kept.add(e)
    return kept.entities()


class _Spans:
    """Non-overlapping entities sorted by start, with overlap look-ups by bisection."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._items: list[Entity] = []

    def clashes(self, e: Entity) -> list[Entity]:
        k = bisect_left(self._starts, e.start)
        found = []
        if k > 0 and self._items[k - 1].end > e.start:
            found.append(self._items[k - 1])
        while k < len(self._items) and self._items[k].start < e.end:
            found.append(self._items[k])
            k += 1
        return found

    def add(self, e: Entity) -> None:
        k = bisect_left(self._starts, e.start)
        self._starts.insert(k, e.start)
        self._items.insert(k, e)

    def remove(self, e: Entity) -> None:
        k = self._items.index(e, bisect_left(self._starts, e.start))
        del self._starts[k]
        del self._items[k]

    def entities(self) -> list[Entity]:
        return list(self._items)
