"""Document.to_dict: every key of the contract's objects for a hand-built
document, the expected values written out by hand from the contract."""

from __future__ import annotations

from decimal import Decimal

import orjson

from newsie.model import Document, Entity, Fact, Quantity, ReadError, Region, Threshold

CHANGSHA = Region("长沙市", "430100", "city", ("湖南省", "长沙市"))


def _doc() -> Document:
    # source "长沙市　签约项目2.5亿元，约3-5个。": one full-width space the text dropped at 3
    text = "长沙市签约项目2.5亿元，约3-5个。"
    offsets = list(range(3)) + list(range(4, len(text) + 2))
    return Document(
        id="a1",
        meta={"path": "a1.txt"},
        text=text,
        source_offsets=offsets,
        entities=[Entity("长沙市", "GPE", 0, 3, CHANGSHA)],
        quantities=[
            Quantity("2.5亿元", 7, 12, "money", Decimal("250000000.0"), "元", "CNY"),
            Quantity("约3-5个", 13, 18, "count", Decimal("4"), "个", None, "range", Decimal("3"), Decimal("5")),
            Quantity("0.5个", 0, 0, "count", Decimal("0.5"), "个"),
        ],
        facts=[
            Fact("investment", "签约", 0, "项目", CHANGSHA, Threshold(Decimal("2E+8"), "CNY", "at_least"), "2023", "actual", None, (3, 19)),
            Fact("projects", None, 1, None, None, None, None, "target", 0, (3, 19)),
        ],
        warnings=["w"],
    )


def test_entities_carry_source_offsets_and_the_region():
    d = _doc().to_dict()
    assert d["entities"] == [
        {
            "text": "长沙市", "label": "GPE", "start": 0, "end": 3, "source_start": 0, "source_end": 3,
            "norm": {"name": "长沙市", "adcode": "430100", "level": "city", "path": ["湖南省", "长沙市"]},
        }
    ]


def test_quantities_whole_decimals_become_ints_and_others_floats():
    q = _doc().to_dict()["quantities"]
    assert q[0] == {
        "text": "2.5亿元", "start": 7, "end": 12, "source_start": 8, "source_end": 13, "kind": "money",
        "value": 250000000, "unit": "元", "currency": "CNY", "qualifier": "exact", "low": None, "high": None,
    }
    assert type(q[0]["value"]) is int
    assert (q[1]["value"], q[1]["low"], q[1]["high"], q[1]["qualifier"]) == (4, 3, 5, "range")
    assert (q[1]["source_start"], q[1]["source_end"]) == (14, 19)
    assert q[2]["value"] == 0.5 and type(q[2]["value"]) is float
    assert (q[2]["source_start"], q[2]["source_end"]) == (0, 0)  # empty span: both at its start


def test_facts_with_and_without_region_and_threshold():
    f = _doc().to_dict()["facts"]
    assert f[0] == {
        "category": "investment", "metric": "签约", "quantity": 0, "subject": "项目",
        "region": {"name": "长沙市", "adcode": "430100", "level": "city", "path": ["湖南省", "长沙市"]},
        "threshold": {"value": 200000000, "currency": "CNY", "qualifier": "at_least"},
        "period": "2023", "status": "actual", "parent": None, "evidence": [3, 19],
    }
    assert f[1] == {
        "category": "projects", "metric": None, "quantity": 1, "subject": None, "region": None, "threshold": None,
        "period": None, "status": "target", "parent": 0, "evidence": [3, 19],
    }


def test_document_keys_in_contract_order_and_json_round_trip():
    doc = _doc()
    d = doc.to_dict()
    assert list(d) == ["schema", "id", "ok", "meta", "text", "entities", "quantities", "facts", "warnings"]
    assert (d["schema"], d["id"], d["ok"], d["meta"], d["warnings"]) == ("newsie/1", "a1", True, {"path": "a1.txt"}, ["w"])
    assert orjson.loads(doc.to_json()) == d
    d["meta"]["path"] = "changed"  # the dict is a copy: the document is untouched
    assert doc.meta == {"path": "a1.txt"}


def test_failed_document_has_error_and_no_content_keys():
    d = Document(id="b", ok=False, error=ReadError("no_text", "b.txt: no article text"), meta={"path": "b.txt"}, warnings=[]).to_dict()
    assert d == {
        "schema": "newsie/1", "id": "b", "ok": False, "error": {"type": "no_text", "message": "b.txt: no article text"},
        "meta": {"path": "b.txt"}, "warnings": [],
    }


def test_source_span_without_offsets_is_the_span_itself():
    assert Document(id=None, text="abc").source_span(1, 3) == (1, 3)
    assert _doc().source_span(3, 5) == (4, 6)
