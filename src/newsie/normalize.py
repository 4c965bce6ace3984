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
from typing import Final

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


_CARRIAGE_RETURN: Final = regex.compile(r"\r\n?")
_UNTIDY_SPACE: Final = regex.compile(r"[ ]*\n[\s]*|^\s+|\s+$|[ ]{2,}")
# A line break then whitespace. re's \s (str.isspace) covers every character
# regex's \s does, so no match here means no such stretch for _UNTIDY_SPACE.
_BREAK_THEN_SPACE: Final = re.compile(r"\n\s")
_HAN: Final = regex.compile(r"\p{Han}")

# 0, 1, 2, …: new offset lists are copied from it, since copying references is
# far cheaper than creating an int object per character. Never changed, but
# replaced by a longer one when needed (so threads can share it), up to
# _SHARED_OFFSETS_MAX; a longer text gets a list of its own.
_shared_offsets: list[int] = []
_SHARED_OFFSETS_MAX: Final = 1 << 16


def _identity_offsets(n: int) -> list[int]:
    """``[0, 1, …, n - 1]``."""
    global _shared_offsets
    shared = _shared_offsets
    if n > len(shared):
        if n > _SHARED_OFFSETS_MAX:
            return list(range(n))
        shared = list(range(min(max(n, 2 * len(shared)), _SHARED_OFFSETS_MAX)))
        _shared_offsets = shared
    return shared[:n]


class _Mapped:
    """A string and its source offsets, edited together (``offsets`` is a
    list of its own, changed in place)."""

    __slots__ = ("text", "offsets")

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets = _identity_offsets(len(text) + 1)

    def translate(self, table: dict[int, str], keys: re.Pattern[str]) -> None:
        """Apply a one-character-for-one-character table; offsets stay.

        ``keys`` matches the table's characters: ``str.translate`` looks every
        character up in the table (slow in CPython), a class search is C-fast,
        and most articles hold none of these characters.
        """
        if keys.search(self.text):
            self.text = self.text.translate(table)

    def edit(self, edits: list[tuple[int, int, str]]) -> None:
        """Replace ``text[start:end]`` by ``replacement`` for each sorted, disjoint edit.

        Replacement characters map to the source of the first replaced character.
        """
        if not edits:
            return
        if len(edits) == 1:  # in place: the offsets after the edit move down, not copied one by one
            start, end, replacement = edits[0]
            self.offsets[start:end] = [self.offsets[start]] * len(replacement)
            self.text = self.text[:start] + replacement + self.text[end:]
            return
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
    rewritten_chars: str
    rewritten_keys: re.Pattern[str]
    pinyin_in_parentheses: re.Pattern[str]
    pinyin_in_fullwidth_parentheses: re.Pattern[str]
    pinyin_in_either_parentheses: re.Pattern[str]
    pinyin_syllable: regex.Pattern[str]
    tone_table: dict[int, str]
    trailing_boilerplate: tuple[regex.Pattern[str], ...]
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
    # A parenthesized run of pinyin letters after a Han character: an
    # annotation if the run has the syllable shape below. The group makes
    # split return the runs along with the text between them. The Han
    # character is looked behind from the parenthesis, so that a pattern
    # starts with one literal character: a search for it skips ahead at C
    # speed, where the pattern for either kind of parenthesis is tried
    # character by character.
    han = "".join(_code_points(r) for r in data["han"])
    word = r"[a-zü" + tone_letters + r"]{1,6}[1-5]?"
    in_parentheses = rf"\((?<=[{han}]\(){word}\)"
    in_fullwidth_parentheses = f"（(?<=[{han}]（){word}）"
    initials = "|".join(sorted(data["pinyin_initials"], key=len, reverse=True))
    finals = "|".join(sorted(data["pinyin_finals"], key=len, reverse=True))
    syllable = regex.compile(rf"(?:{initials})?(?:{finals})[1-5]?")
    tone_table = {ord(k): v for k, v in data["pinyin_tone_marks"].items()}
    boiler = data["trailing_boilerplate"]
    rewritten_chars = "\r" + "".join(data["remove_chars"]) + "".join(map(chr, odd_spaces | fullwidth))
    return _Rules(
        cleanup_table=odd_spaces,
        cleanup_keys=_class_of(map(chr, odd_spaces)),
        removable=removable,
        fullwidth_table=fullwidth,
        fullwidth_keys=_class_of(map(chr, fullwidth)),
        rewritten_chars=rewritten_chars,
        rewritten_keys=_class_of(rewritten_chars),
        pinyin_in_parentheses=re.compile(f"({in_parentheses})"),
        pinyin_in_fullwidth_parentheses=re.compile(f"({in_fullwidth_parentheses})"),
        pinyin_in_either_parentheses=re.compile(f"({in_parentheses}|{in_fullwidth_parentheses})"),
        pinyin_syllable=syllable,
        tone_table=tone_table,
        trailing_boilerplate=tuple(regex.compile(p) for p in boiler["patterns"]),
        search_last_chars=int(boiler["search_last_chars"]),
    )


def _code_points(hex_range: str) -> str:
    """``"4E00-9FFF"`` as the class piece ``"一-鿿"``."""
    return "-".join(chr(int(cp, 16)) for cp in hex_range.split("-"))


def _class_of(chars: Iterable[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


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

    Matching a class is far cheaper than converting every article to find out.
    """
    traditional_only, simplified_only = _script_chars()
    return re.compile(f"[{traditional_only}]"), re.compile(f"[{simplified_only}]")


@cache
def _script_chars() -> tuple[str, str]:
    """The traditional-only and the simplified-only characters.

    Built once from OpenCC's own tables: a character that t2s rewrites is
    traditional-only, one that s2t rewrites is simplified-only.
    """
    han = [chr(cp) for cp in range(0x3400, 0x9FFF + 1)]
    t2s, s2t = _t2s(), _s2t()
    simplified_view = t2s.convert("\n".join(han)).split("\n")
    traditional_view = s2t.convert("\n".join(han)).split("\n")
    traditional_only = "".join(ch for ch, view in zip(han, simplified_view) if view != ch)
    simplified_only = "".join(ch for ch, view in zip(han, traditional_view) if view != ch)
    return traditional_only, simplified_only


@cache
def _surrogate_rewritten_or_traditional() -> re.Pattern[str]:
    """A lone surrogate, a character that the first steps rewrite, or a traditional-only one."""
    chars = _rules().rewritten_chars + _script_chars()[0]
    return re.compile("[" + _SURROGATES + "".join(re.escape(c) for c in sorted(chars)) + "]")


def detect_script(text: str) -> str:
    """``simplified``, ``traditional`` or ``mixed``: which Chinese script ``text`` is in.

    Text with no traditional-only character is simplified; with no
    simplified-only one, traditional; a few of the other kind among many
    (characters OpenCC maps although both scripts use them) do not make it mixed.

    >>> detect_script("长沙经开区"), detect_script("長沙經開區"), detect_script("长沙經開區引進了项目经济发展")
    ('simplified', 'traditional', 'mixed')
    """
    if _script_classes()[0].search(text) is None:
        return "simplified"
    return _script_with_traditional(text)


def _script_with_traditional(text: str) -> str:
    """``detect_script`` for text known to hold a traditional-only character.

    The characters of each kind are counted only as far as the answer needs:
    with no simplified-only one, the text is traditional however many
    traditional-only ones it holds.
    """
    traditional_class, simplified_class = _script_classes()
    simplified = len(simplified_class.findall(text))
    if simplified == 0:
        return "traditional"
    traditional = len(traditional_class.findall(text))
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
    # Most articles are simplified and hold no lone surrogate nor any
    # character that the first steps rewrite: one class search of the source
    # tells. (Rewriting and pinyin removal bring in no traditional-only character.)
    plain = _surrogate_rewritten_or_traditional().search(source) is None
    if not plain:
        source, count = replace_surrogates(source)
        if count:
            warnings.append(f"{count} lone surrogate code point{'s' if count > 1 else ''} (half of a UTF-16 pair) replaced by U+FFFD")
    mapped = _Mapped(source)
    if not plain and rules.rewritten_keys.search(source):
        _rewrite_characters(mapped, rules)
    _remove_pinyin(mapped, rules)

    if plain or _script_classes()[0].search(mapped.text) is None:
        script = "simplified"
    else:
        script = _script_with_traditional(mapped.text)
        _to_simplified(mapped)  # also the few traditional lines of a simplified article

    _drop_trailing_boilerplate(mapped, rules, warnings)
    _tidy_whitespace(mapped)
    _warn_garbled(mapped.text, warnings)
    return NormalizedText(text=mapped.text, offsets=mapped.offsets, script=script, warnings=warnings)


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate replaced by U+FFFD, and how many there were.

    A lone half of a UTF-16 pair (a JSON escape like \\ud800 without its
    partner) is no character: no later stage, nor UTF-8 output, takes it.
    One for one, so every offset into ``text`` stays valid.

    >>> replace_surrogates("签约\\ud800项目") == ("签约\\ufffd项目", 1)
    True
    """
    if _SURROGATE.search(text) is None:
        return text, 0
    return _SURROGATE.subn("\ufffd", text)


def _rewrite_characters(mapped: _Mapped, rules: _Rules) -> None:
    """Line ends unified, zero-width characters out, odd spaces and full-width forms rewritten."""
    if "\r" in mapped.text:  # \r\n and lone \r become \n
        mapped.edit([(m.start(), m.end(), "\n") for m in _CARRIAGE_RETURN.finditer(mapped.text)])
    mapped.edit([(m.start(), m.end(), "") for m in rules.removable.finditer(mapped.text)])
    mapped.translate(rules.cleanup_table, rules.cleanup_keys)
    mapped.translate(rules.fullwidth_table, rules.fullwidth_keys)


def _remove_pinyin(mapped: _Mapped, rules: _Rules) -> None:
    """Drop pinyin annotations: a Han character, then one syllable in parentheses.

    ``split`` cuts the text at every candidate (a letter run in parentheses
    after a Han character) at C speed; the pieces alternate between the
    text before a candidate and the candidate. Annotations can be half the
    text of the articles that have them, so the text is rebuilt here rather
    than through ``_Mapped.edit``: each candidate that is an annotation
    becomes "" and its offsets are left out. Both kinds of parenthesis are
    split in one pass (no candidate can overlap another: nothing in one
    opens a parenthesis), so that removing one annotation never puts a Han
    character before the next.
    """
    text = mapped.text
    pieces = rules.pinyin_in_parentheses.split(text)
    fullwidth_pieces = rules.pinyin_in_fullwidth_parentheses.split(text)
    if len(fullwidth_pieces) > 1:  # candidates of both kinds are rare
        pieces = fullwidth_pieces if len(pieces) == 1 else rules.pinyin_in_either_parentheses.split(text)
    elif len(pieces) == 1:
        return
    old_offsets = mapped.offsets
    offsets: list[int] = []
    kept_from = 0  # text[kept_from:start] is kept, its offsets not yet copied
    start = 0
    for i in range(1, len(pieces), 2):
        start += len(pieces[i - 1])
        end = start + len(pieces[i])
        if _is_parenthesized_syllable(pieces[i]):
            pieces[i] = ""
            offsets += old_offsets[kept_from:start]
            kept_from = end
        start = end
    offsets += old_offsets[kept_from:]  # with the end sentinel
    mapped.text = "".join(pieces)
    mapped.offsets = offsets


@lru_cache(maxsize=8192)
def _is_parenthesized_syllable(candidate: str) -> bool:
    """``candidate`` is a letter run in parentheses: is it one pinyin syllable?"""
    return is_pinyin_syllable(candidate[1:-1])


def _to_simplified(mapped: _Mapped) -> None:
    """Traditional → simplified, for the lines that have a traditional-only
    character, line by line so that a length change stays local.

    Every line keeps its length (characters are rewritten one for one), so
    the offsets stay as they are.
    """
    traditional_class = _script_classes()[0]
    converter = _t2s()
    text = mapped.text
    pieces = []
    done = 0  # text[:done] is in pieces
    m = traditional_class.search(text)
    while m is not None:
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        if end < 0:
            end = len(text)
        line = text[start:end]
        converted = converter.convert(line)
        if len(converted) != len(line):
            # A phrase conversion changed the length: fall back to
            # character by character so the offset map stays exact.
            converted = "".join(c if len(c := converter.convert(ch)) == 1 else ch for ch in line)
        pieces.append(text[done:start])
        pieces.append(converted)
        done = end
        m = traditional_class.search(text, end)
    pieces.append(text[done:])
    mapped.text = "".join(pieces)


def _drop_trailing_boilerplate(mapped: _Mapped, rules: _Rules, warnings: list[str]) -> None:
    """Drop the first disclaimer in the window and all after it.

    Each pattern is searched for on its own, the earliest match wins: one
    that starts with a literal skips ahead at C speed, where their
    alternation would be tried at every position.
    """
    text = mapped.text
    window_start = max(0, len(text) - rules.search_last_chars)
    starts = [m.start() for pattern in rules.trailing_boilerplate if (m := pattern.search(text, window_start))]
    if not starts:
        return
    start = min(starts)
    mapped.edit([(start, len(text), "")])
    warnings.append(f"dropped a trailing platform disclaimer ({len(text) - start} characters from '{text[start:start + 12]}')")


def _tidy_whitespace(mapped: _Mapped) -> None:
    """Trim each line, drop empty lines, collapse runs of spaces."""
    text = mapped.text
    body = text.rstrip()
    # In a tidy body only bare line breaks match, which stay as they are: just
    # the whitespace after it can need an edit. (No match can span the two,
    # as the body ends in a non-space.)
    first = len(body) if _is_tidy(body) else 0
    if first == len(text):
        return
    edits = []
    for m in _UNTIDY_SPACE.finditer(text, first):
        start, end = m.span()
        if start == 0 or end == len(text):
            edits.append((start, end, ""))
        elif "\n" in m.group():
            if end - start > 1:  # a bare line break stays as it is
                edits.append((start, end, "\n"))
        else:
            edits.append((start, end, " "))
    mapped.edit(edits)


def _is_tidy(text: str) -> bool:
    """True when ``_UNTIDY_SPACE`` finds nothing but bare line breaks in ``text``.

    It then has no edge whitespace, no double space, no space before and no
    whitespace after a line break. ``str.isspace`` covers every character
    that regex's ``\\s`` matches.
    """
    return not (
        (" " in text and ("  " in text or " \n" in text))
        or text[:1].isspace()
        or text[-1:].isspace()
        or _BREAK_THEN_SPACE.search(text)
    )


# Lone surrogates, as a class range; built from code points, because mypyc
# writes string literals as UTF-8, which cannot hold a surrogate.
_SURROGATES: Final = f"{chr(0xD800)}-{chr(0xDFFF)}"
_SURROGATE: Final = re.compile(f"[{_SURROGATES}]")
# A run of replacement characters or ASCII question marks (with at most two
# punctuation marks between them); a "?" counts only next to Chinese text,
# where a real question mark would be the full-width "？".
_GARBLED: Final = regex.compile(r"[\ufffd?](?:[^\n\p{Han}\d\w]{0,2}[\ufffd?])*|锟斤拷|烫烫烫|屯屯屯")
# Every _GARBLED match holds one of these characters; testing for them is
# far cheaper than the pattern search in the usual case of none.
_GARBLED_MARKERS: Final = ("\ufffd", "?", "锟", "烫", "屯")


def _warn_garbled(text: str, warnings: list[str]) -> None:
    if not any(marker in text for marker in _GARBLED_MARKERS):
        return
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
