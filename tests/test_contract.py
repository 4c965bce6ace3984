"""Every output validates against the JSON Schema shipped in the package."""

from __future__ import annotations

import jsonschema
import orjson
import pytest

import newsie
from newsie.resources import contract_schema

INPUTS = [
    "天心区引进外资4099万美元。",
    "新引进2亿元以上重大项目45个以上（其中百亿项目3个）",
    "10—20亿元",
    "",
    b"%PDF",
    "<html><body><p>签约项目20个</p></body></html>",
]


@pytest.fixture(scope="module")
def validator():
    schema = contract_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("source", INPUTS)
def test_output_matches_schema(source, validator):
    doc = newsie.extract(source, id="x")
    validator.validate(doc.to_dict())
    assert orjson.loads(doc.to_json()) == doc.to_dict()


def test_seed_matches_schema(seed_path, validator):
    d = newsie.extract_file(seed_path).to_dict()
    validator.validate(d)
    assert d["schema"] == "newsie/1"
    assert d["entities"] == [] or all("label" in e for e in d["entities"])


def test_money_values_are_plain_json_numbers():
    d = newsie.extract("累计到位资金604.9亿元").to_dict()
    (q,) = d["quantities"]
    assert q["value"] == 60_490_000_000 and isinstance(q["value"], int)
    assert q["currency"] == "CNY" and q["unit"] == "CNY"
    assert q["low"] is None and q["high"] is None


def test_schema_rejects_a_broken_document(validator):
    d = newsie.extract("引进项目10个").to_dict()
    d["quantities"][0]["kind"] = "amount"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(d)
