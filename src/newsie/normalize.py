"""Normalize decoded article text, keeping a map back to the source.

Every step either rewrites characters one for one (the map stays) or deletes
and replaces stretches (the map follows the edit), so that each character of
the normalized text knows which source character it came from. Steps, in
order: drop zero-width characters and odd spaces, full-width digits and
letters to half-width, pinyin annotations out, traditional to simplified,
trailing platform disclaimers out, whitespace tidied line by line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

import opencc
import regex

from newsie.resources import pattern_path


@dataclass(slots=True)
class NormalizedText:
    """Normalized text plus, for each character, its index in the source.

    ``offsets`` has one entry more than ``text``: the source length, so a span
    may end at ``len(text)``.
    """

    text: str
    offsets: list[int]
    script: str  # simplified | traditional | mixed
    warnings: list[str] = field(default_factory=list)


_CARRIAGE_RETURN = regex.compile(r"\r\n?")
_UNTIDY_SPACE = regex.compile(r"[ ]*\n[\s]*|^\s+|\s+$|[ ]{2,}")
_HAN = regex.compile(r"\p{Han}")


class _Mapped:
    """A string and its source offsets, edited together."""

    __slots__ = ("text", "offsets")

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets = list(range(len(text) + 1))

    def translate(self, table: dict[int, str], keys: re.Pattern[str]) -> None:
        """Apply a one-character-for-one-character table; offsets stay.

        ``keys`` matches the table's characters: ``str.translate`` looks every
        character up in the table (slow in CPython), a class search is C-fast,
        and most articles hold none of these characters.
        """
        if keys.search(self.text):
            self.text = self.text.translate(table)

    def edit(self, edits: Iterable[tuple[int, int, str]]) -> None:
        """Replace ``text[start:end]`` by ``replacement`` for each sorted, disjoint edit.

        Replacement characters map to the source of the first replaced character.
        """
        pieces: list[str] = []
        offsets: list[int] = []
        last = 0
        old_text, old_offsets = self.text, self.offsets
        for start, end, replacement in edits:
            pieces.append(old_text[last:start])
            offsets.extend(old_offsets[last:start])
            if replacement:
                pieces.append(replacement)
                offsets.extend([old_offsets[start]] * len(replacement))
            last = end
        pieces.append(old_text[last:])
        offsets.extend(old_offsets[last:])  # includes the end sentinel
        self.text = "".join(pieces)
        self.offsets = offsets


@dataclass(frozen=True, slots=True)
class _Rules:
    cleanup_table: dict[int, str]
    cleanup_keys: re.Pattern[str]
    removable: regex.Pattern[str]
    fullwidth_table: dict[int, str]
    fullwidth_keys: re.Pattern[str]
    pinyin: regex.Pattern[str]
    pinyin_syllable: regex.Pattern[str]
    tone_table: dict[int, str]
    trailing_boilerplate: regex.Pattern[str]
    search_last_chars: int


@cache
def _rules() -> _Rules:
    with open(pattern_path("normalize.toml"), "rb") as f:
        data = tomllib.load(f)
    odd_spaces = {ord(c): " " for c in data["odd_spaces"]}
    removable = regex.compile("[" + "".join(regex.escape(c) for c in data["remove_chars"]) + "]+")
    fullwidth = {cp: chr(cp - 0xFEE0) for cp in range(ord("０"), ord("９") + 1)}
    fullwidth.update({cp: chr(cp - 0xFEE0) for cp in range(ord("Ａ"), ord("Ｚ") + 1)})
    fullwidth.update({cp: chr(cp - 0xFEE0) for cp in range(ord("ａ"), ord("ｚ") + 1)})
    fullwidth.update({ord(c): chr(ord(c) - 0xFEE0) for c in data["fullwidth_number_punct"]})
    tone_letters = "".join(data["pinyin_tone_marks"])
    # Han character, then a parenthesized run of pinyin letters; the run is
    # checked against the syllable shape below before it is removed.
    pinyin = regex.compile(
        r"(?<=\p{Han})(?:\(([a-zü" + tone_letters + r"]{1,6}[1-5]?)\)|（([a-zü" + tone_letters + r"]{1,6}[1-5]?)）)"
    )
    initials = "|".join(sorted(data["pinyin_initials"], key=len, reverse=True))
    finals = "|".join(sorted(data["pinyin_finals"], key=len, reverse=True))
    syllable = regex.compile(rf"(?:{initials})?(?:{finals})[1-5]?")
    tone_table = {ord(k): v for k, v in data["pinyin_tone_marks"].items()}
    boiler = data["trailing_boilerplate"]
    return _Rules(
        cleanup_table=odd_spaces,
        cleanup_keys=_class_of(odd_spaces),
        removable=removable,
        fullwidth_table=fullwidth,
        fullwidth_keys=_class_of(fullwidth),
        pinyin=pinyin,
        pinyin_syllable=syllable,
        tone_table=tone_table,
        trailing_boilerplate=regex.compile("|".join(f"(?:{p})" for p in boiler["patterns"])),
        search_last_chars=int(boiler["search_last_chars"]),
    )


def _class_of(table: dict[int, str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(table)) + "]")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@lru_cache(maxsize=4096)
def is_pinyin_syllable(word: str) -> bool:
    """True when ``word`` (tone marks allowed) is shaped like one pinyin syllable."""
    rules = _rules()
    return rules.pinyin_syllable.fullmatch(word.translate(rules.tone_table)) is not None


@cache
def _script_classes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Character classes of traditional-only and simplified-only characters.

    Built once from OpenCC's own tables: a character that t2s rewrites is
    traditional-only, one that s2t rewrites is simplified-only. Matching a
    class is far cheaper than converting every article to find out.
    """
    han = [chr(cp) for cp in range(0x3400, 0x9FFF + 1)]
    t2s, s2t = _t2s(), _s2t()
    simplified_view = t2s.convert("\n".join(han)).split("\n")
    traditional_view = s2t.convert("\n".join(han)).split("\n")
    traditional_only = "".join(ch for ch, view in zip(han, simplified_view) if view != ch)
    simplified_only = "".join(ch for ch, view in zip(han, traditional_view) if view != ch)
    return re.compile(f"[{traditional_only}]"), re.compile(f"[{simplified_only}]")


def detect_script(text: str) -> str:
    """``simplified``, ``traditional`` or ``mixed``: which Chinese script ``text`` is in.

    Text with no traditional-only character is simplified; with no
    simplified-only one, traditional; a few of the other kind among many
    (characters OpenCC maps although both scripts use them) do not make it mixed.

    >>> detect_script("长沙经开区"), detect_script("長沙經開區"), detect_script("长沙經開區引進了项目经济发展")
    ('simplified', 'traditional', 'mixed')
    """
    traditional_class, simplified_class = _script_classes()
    traditional = len(traditional_class.findall(text))
    if traditional == 0:
        return "simplified"
    simplified = len(simplified_class.findall(text))
    if simplified * 20 < traditional:
        return "traditional"
    if traditional * 20 < simplified:
        return "simplified"
    return "mixed"


def normalize(source: str) -> NormalizedText:
    """Normalize ``source`` (decoded article text) and map it back.

    >>> n = normalize("經(jīng)濟(jì)增長１２．５％")
    >>> n.text, n.script
    ('经济增长12.5%', 'traditional')
    >>> n.offsets[1]  # 济 came from source index 7, after 經(jīng)
    7
    """
    rules = _rules()
    warnings: list[str] = []
    mapped = _Mapped(source)

    # Line ends first: \r\n and lone \r become \n.
    if "\r" in mapped.text:
        mapped.edit((m.start(), m.end(), "\n") for m in _CARRIAGE_RETURN.finditer(mapped.text))
    mapped.edit((m.start(), m.end(), "") for m in rules.removable.finditer(mapped.text))
    mapped.translate(rules.cleanup_table, rules.cleanup_keys)
    mapped.translate(rules.fullwidth_table, rules.fullwidth_keys)
    _remove_pinyin(mapped, rules)

    script = detect_script(mapped.text)
    _to_simplified(mapped)  # also the few traditional lines of a simplified article

    _drop_trailing_boilerplate(mapped, rules, warnings)
    _tidy_whitespace(mapped)
    _warn_garbled(mapped.text, warnings)
    return NormalizedText(text=mapped.text, offsets=mapped.offsets, script=script, warnings=warnings)


def _remove_pinyin(mapped: _Mapped, rules: _Rules) -> None:
    edits = []
    for m in rules.pinyin.finditer(mapped.text):
        if is_pinyin_syllable(m.group(1) or m.group(2)):
            edits.append((m.start(), m.end(), ""))
    if edits:
        mapped.edit(edits)


def _to_simplified(mapped: _Mapped) -> None:
    """Traditional → simplified, for the lines that have a traditional-only
    character, line by line so that a length change stays local."""
    traditional_class = _script_classes()[0]
    if traditional_class.search(mapped.text) is None:
        return
    converter = _t2s()
    edits = []
    position = 0
    for line in mapped.text.split("\n"):
        if traditional_class.search(line):
            converted = converter.convert(line)
            if len(converted) != len(line):
                # A phrase conversion changed the length: fall back to
                # character by character so the offset map stays exact.
                converted = "".join(c if len(c := converter.convert(ch)) == 1 else ch for ch in line)
            for i, (old, new) in enumerate(zip(line, converted)):
                if old != new:
                    edits.append((position + i, position + i + 1, new))
        position += len(line) + 1
    if edits:
        mapped.edit(edits)


def _drop_trailing_boilerplate(mapped: _Mapped, rules: _Rules, warnings: list[str]) -> None:
    text = mapped.text
    window_start = max(0, len(text) - rules.search_last_chars)
    m = rules.trailing_boilerplate.search(text, window_start)
    if m is None:
        return
    dropped = len(text) - m.start()
    mapped.edit([(m.start(), len(text), "")])
    warnings.append(f"dropped a trailing platform disclaimer ({dropped} characters from '{text[m.start():m.start() + 12]}')")


def _tidy_whitespace(mapped: _Mapped) -> None:
    """Trim each line, drop empty lines, collapse runs of spaces."""
    edits = []
    for m in _UNTIDY_SPACE.finditer(mapped.text):
        start, end = m.start(), m.end()
        if start == 0 or end == len(mapped.text):
            edits.append((start, end, ""))
        elif "\n" in m.group():
            edits.append((start, end, "\n"))
        else:
            edits.append((start, end, " "))
    if edits:
        mapped.edit(edits)


# A run of replacement characters or ASCII question marks (with at most two
# punctuation marks between them); a "?" counts only next to Chinese text,
# where a real question mark would be the full-width "？".
_GARBLED = regex.compile(r"[\ufffd?](?:[^\n\p{Han}\d\w]{0,2}[\ufffd?])*|锟斤拷|烫烫烫|屯屯屯")


def _warn_garbled(text: str, warnings: list[str]) -> None:
    stretches = [
        m
        for m in _GARBLED.finditer(text)
        if "?" not in m.group() or "\ufffd" in m.group() or _HAN.search(text[max(0, m.start() - 2) : m.end() + 2])
    ]
    if not stretches:
        return
    shown = ", ".join(f"{m.start()}: '{text[max(0, m.start() - 3):m.end() + 3]}'" for m in stretches[:5])
    more = f" and {len(stretches) - 5} more" if len(stretches) > 5 else ""
    warnings.append(f"garbled characters (mojibake) at {shown}{more}; numbers touching them are skipped")
