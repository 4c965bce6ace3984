"""The first-character lookahead in newsie._prefilter changes speed, never matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsie import entities, facts
from newsie._prefilter import Scanner, alternation, dispatched, first_char_class, lookahead, prefiltered


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("abc", "[a]"),
        ("a?b", "[ab]"),
        ("(?:x|y)?z", "[xyz]"),
        (r"\d+", r"[\d]"),
        ("[a-c]d", "[a-c]"),
        (r"\bfoo", "[f]"),  # anchors are zero-width
        (r"(?<=a)b", "[b]"),  # and so are lookarounds
        ("前(?:个)?月", "[前]"),
        (r"(a)\1", "[a]"),  # a back-reference after the first character is fine
        ("(?:今年|去年)?前[一二]季度", "[今前去]"),  # 前 is required: 一二 never start a match
    ],
)
def test_first_characters(pattern, expected):
    assert first_char_class(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        "a*",  # can match the empty string: every position is a candidate
        "(?:ab)?",
        ".b",  # any character
        "[^a]b",  # a negated class
        r"(a)?\1",  # a back-reference that may come first is not
        r"\Wx",  # a negated category
    ],
)
def test_unbounded_patterns_are_left_alone(pattern):
    assert first_char_class(pattern) is None
    assert prefiltered(pattern).pattern == pattern


def _class_scanner(pattern: re.Pattern[str]) -> Scanner:
    """A scanner proposing every character the pattern can start with."""
    return Scanner(pattern, [re.compile(f"({first_char_class(pattern.pattern, pattern.flags)})", pattern.flags & re.IGNORECASE)])


def test_case_is_left_to_the_flag():
    assert first_char_class("abc", re.IGNORECASE) == "[a]"  # compiled with IGNORECASE: a or A
    assert [m.span() for m in _class_scanner(re.compile("abc", re.IGNORECASE)).matches("xABC abc")] == [(1, 4), (5, 8)]


@pytest.mark.parametrize(
    "pattern",
    [r"\d+[年月]", r"(?<![0-9])\d+个", "目前|截至目前", r"a*b", r"(?:约)?\d+(?:亿元|个)", r"(?:今年|\d{4}年)?前\d个月"],
)
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="0123456789年月个约亿元目前截至今abx", max_size=40))
def test_the_scanner_finds_what_finditer_finds(pattern, text):
    compiled = re.compile(pattern)
    assert [m.span() for m in _class_scanner(compiled).matches(text)] == [m.span() for m in compiled.finditer(text)]


@pytest.mark.parametrize("pattern", [r"\d+[年月]", r"(?:约)?\d+(?:亿元|个)", r"\d个|\d{2}", r"(?<![0-9])\d+个", "目前|截至目前"])
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="0123456789年月个约亿元目前截至ab", max_size=40))
def test_every_position_of_a_proposed_run_is_tried(pattern, text):
    # one starts pattern whose group spans whole runs: the scanner walks each
    # run position by position, skipping what a match has consumed
    compiled = re.compile(pattern)
    scanner = Scanner(compiled, [re.compile("([0-9约目截]+)")])
    assert [m.span() for m in scanner.matches(text)] == [m.span() for m in compiled.finditer(text)]


def test_candidates_from_several_patterns_are_tried_in_text_order():
    pattern = re.compile(r"目前|\d+月")
    scanner = Scanner(pattern, [re.compile(r"(\d+)月"), re.compile("(目)")])
    assert [m.group() for m in scanner.matches("3月目前12月")] == ["3月", "目前", "12月"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # a match starting with digits goes on, after exactly so many of them,
        # with 年 (or what else the pattern allows there); the first digit is
        # read before the alternatives
        (r"\d{4}年", r"(?=\d\d{3}[年])"),
        (r"(?:今年|\d{4}年)?前\d个月", r"(?=[今前][\d年]|\d\d{3}[年])"),  # 个 follows digits only after 前
        (r"(?:19|20)\d{2}[-/.]\d{1,2}", r"(?=\d\d{3}[/\-\.])"),  # four digits; later digits do not matter
        (r"[\d一]{1,3}月", r"(?=[一][\d一月]|\d(?:\d?[一]|\d{0,2}[月]))"),  # the class goes on after its digits
        # other starts must go on with what can come second: 目前 and 全年, not 项目 or 全市
        (r"目前|全年|\d{1,2}月", r"(?=[全目][前年]|\d\d?[月])"),
        (r"\d{1,2}[-至]|\d{4}-", r"(?=\d(?:\d?[至]|(?:\d?|\d{3})[\-]))"),  # 12.5 or 2023年 are no candidates
        (r"\d+(?:年|个月)", r"(?=[\d])"),  # unbounded: no digit test (it would read whole runs)
    ],
)
def test_digit_starts_must_be_followed_by_what_the_pattern_allows(pattern, expected):
    assert lookahead(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\d+", r"(?=[\d])"),  # digits alone are a match: no test after them
        (r"\d{2}(?:年)?", r"(?=[\d])"),
        (r"年\d+", r"(?=[年])"),  # no match starts with a digit
        (r"\w+x", r"(?=[\w])"),  # \w is not only digits: left to the class test
    ],
)
def test_no_digit_test_where_it_could_drop_a_match(pattern, expected):
    assert lookahead(pattern) == expected


TRICKY = [
    r"\d{4}年",
    r"[\d一]{1,3}月",
    r"(?:19|20)\d{2}[-/.]\d{1,2}",
    r"\d+(?:年|个月)",
    r"\d*年内|\d{2}月",
    r"\d+\w",
    r"\d{1,2}[-至]|\d{4}-",
    r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?",
]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789年月日个一-/.内至x", max_size=40))
def test_the_digit_test_never_changes_matches(text):
    for pattern in TRICKY:
        expected = [m.span() for m in re.compile(pattern).finditer(text)]
        assert [m.span() for m in prefiltered(pattern).finditer(text)] == expected


def _shipped_and_plain() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """The date and period patterns as newsie compiles them, and as plain alternations of the data."""
    local, section = facts.period_alternatives()
    plain_periods = "|".join(
        [f"(?P<local>{'|'.join(f'(?:{p})' for p in local)})", f"(?P<section>{'|'.join(f'(?:{p})' for p in section)})"]
    )
    plain_dates = "|".join(f"(?:{p})" for p in entities.date_alternatives())
    return [(entities._patterns().dates, re.compile(plain_dates)), (facts._rules().periods, re.compile(plain_periods))]


def test_the_shipped_date_patterns_are_prefiltered_and_dispatched():
    for shipped, _plain in _shipped_and_plain():
        assert shipped.pattern.startswith("(?=["), shipped.pattern[:40]
        assert "(?=[目])" in shipped.pattern or "(?=[目" in shipped.pattern, "目前 has a branch of its own"


ALPHABET = "0123456789年月日底末初前第一二三四五六七八九十季度上下半今去本全内截至止以来目“”十五个份旬号-/.至到—~，。\n项目亿元"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_shipped_date_patterns_match_exactly_like_the_plain_alternations(text):
    for shipped, plain in _shipped_and_plain():
        expected = [(m.span(), m.lastgroup) for m in plain.finditer(text)]
        assert [(m.span(), m.lastgroup) for m in shipped.finditer(text)] == expected


PARTS = ["目前", "截至目前", r"(?:今年|\d{4}年)?前\d个月", r"\d{1,2}月", r"[一二]月", "前[一二]季度", r"(?:19|20)\d{2}年"]


def test_dispatch_gives_each_start_character_its_parts_in_order():
    pattern = dispatched(PARTS)
    assert "(?=[目])(?:(?:目前))" in pattern
    assert r"(?=[前])(?:(?:(?:今年|\d{4}年)?前\d个月)|(?:前[一二]季度))" in pattern  # order kept


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789年月个一二前今目截至季度", max_size=40))
def test_dispatch_never_changes_matches(text):
    plain = re.compile("|".join(f"(?:{p})" for p in PARTS))
    assert [m.span() for m in re.compile(dispatched(PARTS)).finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_dispatch_falls_back_to_the_plain_alternation_when_a_start_is_unbounded():
    assert dispatched(["目前", ".年"]) == "(?:目前)|(?:.年)"


def test_char_class_lists_every_character_a_match_can_hold():
    from newsie._prefilter import char_class

    assert char_class("其中|中有") == "[中其有]"
    assert char_class(r"(?=今)截[至止]\d+月") == r"[\d截月止至]"  # sorted
    assert char_class(r"(?<!a)b(?!c)") == "[b]"  # lookarounds consume nothing
    assert char_class(r"(?:百分之)?\d{1,3}%") == r"[%\d之分百]"


def test_char_class_gives_up_on_what_it_cannot_bound():
    from newsie._prefilter import char_class

    assert char_class(".年") is None
    assert char_class("[^，]+看") is None
    assert char_class(r"(a)\1") is None
    assert char_class("") is None


# --- alternation: word lists as a prefix tree -------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["亿元", "亿美元", "亿", "万"], "亿(?:美元|元)?|万"),  # the longer branch first, then the word itself
        (["a", "ab", "abc"], "a(?:bc?)?"),
        (["招商", "招商引资", "引资"], "招商(?:引资)?|引资"),
        ([".", "..", "("], r"\.\.?|\("),  # every character escaped
        (["x", "x", "y"], "x|y"),  # duplicates once
    ],
)
def test_alternation_is_a_prefix_tree(words, expected):
    assert alternation(words) == expected


def test_alternation_ignorecase_merges_words_that_differ_in_case():
    assert alternation(["GWh", "gwh", "MW"], ignorecase=True) == "gwh|mw"
    assert re.fullmatch(alternation(["GWh"], ignorecase=True), "GWH", re.IGNORECASE)
    # a cased letter outside ASCII: the flat list, case folding left to the engine
    assert alternation(["Ωm", "Ω"], ignorecase=True) == "Ωm|Ω"


def test_alternation_refuses_an_empty_word():
    with pytest.raises(ValueError, match="empty word"):
        alternation(["亿", ""])


def _flat(words):
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


WORD = st.text(alphabet="亿万元美ab.A", min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORD, min_size=1, max_size=12), st.text(alphabet="亿万元美ab.A,", max_size=40), st.booleans())
def test_alternation_matches_like_the_longest_first_list(words, text, ignorecase):
    # The same matches everywhere, also where the engine has to backtrack
    # into the alternation (a word followed by more pattern: the shorter word
    # is tried only after the longer fails, in both forms).
    flags = re.IGNORECASE if ignorecase else 0
    tree, flat = alternation(words, ignorecase=ignorecase), _flat(words)
    for template in ("(?:{})", "(?:{})a", "(?:{})+万", "^(?:{})$"):
        got = [m.span() for m in re.finditer(template.format(tree), text, flags)]
        want = [m.span() for m in re.finditer(template.format(flat), text, flags)]
        assert got == want, (template, tree, flat)


@pytest.mark.parametrize("regex_class", [r"\p{Han}", r"\s", r"\d", r"[^\P{Han}在的]", r"[\p{Han}A-Za-z]"])
def test_re_classes_match_exactly_what_regex_matches(regex_class):
    # over every code point: the runs of the re class are the runs of the regex class
    import regex

    from newsie._prefilter import _code_points, as_re_classes

    (re_class,) = as_re_classes(regex_class)
    chars = _code_points()
    assert len(chars) == 0x110000 - 0x800  # all but the surrogates
    assert [m.span() for m in re.finditer(f"[{re_class}]+", chars)] == [m.span() for m in regex.finditer(f"(?:{regex_class})+", chars)]


def test_regex_whitespace_is_not_re_whitespace():
    # why the person pattern takes \s from regex: re's \s also matches the
    # information separators \x1c-\x1f, regex's does not
    from newsie._prefilter import as_re_classes

    (space,) = as_re_classes(r"\s")
    assert re.fullmatch(r"\s", "\x1c") and not re.fullmatch(f"[{space}]", "\x1c")
    assert all(re.fullmatch(f"[{space}]", c) for c in " \t\n\u3000\xa0")
    (han,) = as_re_classes(r"\p{Han}")
    assert all(re.fullmatch(f"[{han}]", c) for c in "汉〇々𠮷") and not any(re.fullmatch(f"[{han}]", c) for c in "aの，1")
