"""Document.to_dict builds its lists in inlined loops: the spans must still be
what source_span says, and no object may be shared between two results or
two places of one result (callers mutate them)."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from newsie.model import Document, Entity, Fact, Quantity, Region, number

CHANGSHA = Region("长沙市", "430100", "city", ("湖南省", "长沙市"))


def _doc(offsets: list[int]) -> Document:
    return Document(
        id="a",
        text="长沙市签约项目2.5亿元。",
        source_offsets=offsets,
        entities=[Entity("长沙市", "GPE", 0, 3, CHANGSHA), Entity("", "ORG", 4, 4)],
        quantities=[Quantity("2.5亿元", 7, 12, "money", Decimal("2.5E+8"), "元", "CNY"), Quantity("", 5, 5, "count", Decimal("0.5"), None)],
        facts=[Fact("investment", None, 0, None, CHANGSHA, None, None, "actual", None, (0, 13))],
    )


def test_spans_match_source_span_with_and_without_offsets():
    for offsets in ([], [i * 2 for i in range(14)]):
        doc = _doc(offsets)
        d = doc.to_dict()
        for item, source in zip(d["entities"] + d["quantities"], doc.entities + doc.quantities):
            assert (item["source_start"], item["source_end"]) == doc.source_span(source.start, source.end)


def test_results_share_no_mutable_objects():
    doc = _doc([])
    first, second = doc.to_dict(), doc.to_dict()
    assert first == second
    first["entities"][0]["norm"]["path"].append("x")
    first["facts"][0]["region"]["name"] = "x"
    assert second == doc.to_dict()
    assert first["entities"][0]["norm"] is not first["facts"][0]["region"]


def test_quantity_numbers_are_ints_when_whole():
    q = _doc([]).to_dict()["quantities"]
    assert (q[0]["value"], type(q[0]["value"])) == (250000000, int)
    assert (q[1]["value"], q[1]["low"], q[1]["high"]) == (0.5, None, None)


@settings(max_examples=500, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False) | st.integers(-(10**20), 10**20).map(Decimal))
def test_number_is_what_comparing_with_the_integral_value_gives(value):
    expected = int(value) if value == value.to_integral_value() else float(value)
    got = number(value)
    assert (got, type(got)) == (expected, type(expected))


def test_number_of_nan_is_a_float_nan():
    assert math.isnan(number(Decimal("NaN")))
