"""Properties that hold for any input: extraction never raises, every span is
grounded in the text, and adversarial input costs linear time."""

from __future__ import annotations

import gc
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsie

# Characters that exercise every path: digits (both widths), Chinese numerals
# and magnitudes, units, qualifiers, separators, pinyin, parentheses, garbage.
ALPHABET = st.sampled_from(
    list("0123456789０１２３４５.．,，%％亿万千百十元个家次场项条批美欧港日约近超逾余多以上下至到—-~（()）")
    + list("零一二两三四五六七八九〇第号强年月日个月吨亩米")
    + ["jīng", "(jì)", "經", "濟", "\ufffd", "?", "\u200b", "\u3000", "\n", "百分之", "及以上", "个百分点", "GWh", "万美元"]
    + ["\ud800", "\udfff"]  # lone surrogates: half a UTF-16 pair, as broken JSON escapes leave them
)
chinese_soup = st.lists(ALPHABET, max_size=60).map("".join)


def _check(doc: newsie.Document) -> None:
    d = doc.to_dict()
    if not d["ok"]:
        assert d["error"]["message"]
        assert d["error"]["type"] != "internal_error", d["error"]  # a bug, not bad input
        return
    text = d["text"]
    for item in d["quantities"] + d["entities"]:
        assert text[item["start"] : item["end"]] == item["text"]
        assert 0 <= item["source_start"] <= item["source_end"]
    for f in d["facts"]:
        assert 0 <= f["quantity"] < len(d["quantities"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chinese_soup)
def test_grounded_on_chinese_soup(text):
    _check(newsie.extract(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_grounded_on_random_unicode(text):
    _check(newsie.extract(text))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_never_raises_on_random_bytes(data):
    _check(newsie.extract(data))


@settings(max_examples=50, deadline=None)
@given(chinese_soup)
def test_source_spans_point_at_the_source(text):
    doc = newsie.extract(text)
    for q in doc.to_dict().get("quantities", []):
        # normalizing the source stretch gives back the quantity's text
        assert newsie.extract(text[q["source_start"] : q["source_end"]]).text == q["text"]


MB = 1_000_000
ADVERSARIAL = {
    "dense_facts": lambda n: "全市引进项目1个，" * (n // 9),
    "places": lambda n: "长沙市天心区" * (n // 6),
    "yi": lambda n: "亿" * n,
    "digits": lambda n: "1" * n,
    "digits_then_unit": lambda n: "1" * n + "亿元",
    "parentheses": lambda n: "(" * (n // 2) + "经" + ")" * (n // 2),
    "pinyin_like": lambda n: "經(jīng)" * (n // 7),
    "number_soup": lambda n: "1.2万亿元以上，" * (n // 8),
    "separators": lambda n: "1—" * (n // 2),
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_megabyte_input_in_linear_time(name):
    make = ADVERSARIAL[name]
    # 100,000 digits and 10,000 nested parentheses are inside these sizes.
    doc = newsie.extract(make(MB))
    _check(doc)

    # Linear, not quadratic: 4× the input may cost about 4× the time, never 16×.
    # CPU time of this process, not wall time: on a busy machine waiting for
    # a core made a linear run look quadratic.
    # The objects earlier tests leave alive (models, caches) are frozen out of
    # the collector's way: its full passes over them grow with the number of
    # passes, which grows with the input, and made a linear run read 12x in
    # the full suite (alone it read 5x).
    def best_of(n: int) -> float:
        times = []
        gc.collect()
        gc.freeze()
        try:
            for _ in range(3):
                started = time.process_time()
                newsie.extract(make(n))
                times.append(time.process_time() - started)
        finally:
            gc.unfreeze()
        return min(times)

    small, large = best_of(MB // 16), best_of(MB // 4)
    if large >= small * 10 + 0.05:
        # Measured once more before failing: on this shared machine one slow
        # stretch (another job's cache traffic) once made a linear run read
        # 10x. A quadratic run stays about 16x however often it is timed.
        small, large = min(small, best_of(MB // 16)), min(large, best_of(MB // 4))
    assert large < small * 10 + 0.05, f"{name}: {small:.3f}s for 62 kB but {large:.3f}s for 250 kB"
