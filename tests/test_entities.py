"""Entities on the seed article read from the raw file, and the overlap rule."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import newsie
from newsie.entities import tag


@pytest.fixture(scope="module")
def seed(seed_path):
    return newsie.extract_file(seed_path).to_dict()


def norms(d, text):
    return [(e["label"], e["norm"]["name"] if e["norm"] else None, e["norm"]["adcode"] if e["norm"] else None) for e in d["entities"] if e["text"] == text]


PLACES = [
    # surface text, label, official name, adcode
    ("长沙市", "GPE", "长沙市", "430100"),
    ("湘江新区", "ZONE", "湘江新区", None),
    ("浏阳", "GPE", "浏阳市", "430181"),
    ("长沙经开区", "ZONE", "长沙经济技术开发区", None),
    ("天心区", "GPE", "天心区", "430103"),
    ("广东", "GPE", "广东省", "440000"),
    ("江西", "GPE", "江西省", "360000"),
    ("湖北", "GPE", "湖北省", "420000"),
    ("北京", "GPE", "北京市", "110000"),
    ("上海", "GPE", "上海市", "310000"),
    ("广州", "GPE", "广州市", "440100"),
    ("深圳", "GPE", "深圳市", "440300"),
]


@pytest.mark.parametrize("text, label, name, adcode", PLACES)
def test_seed_places(seed, text, label, name, adcode):
    assert (label, name, adcode) in norms(seed, text)


def test_seed_zone_path_and_offsets(seed, seed_path):
    raw = seed_path.read_text(encoding="utf-8")
    (zone,) = [e for e in seed["entities"] if e["text"] == "长沙经开区"]
    assert zone["norm"]["path"] == ["湖南省", "长沙市", "长沙经济技术开发区"]
    assert zone["norm"]["level"] == "zone"
    assert raw[zone["source_start"] : zone["source_end"]].startswith("長沙經")
    for e in seed["entities"]:
        assert seed["text"][e["start"] : e["end"]] == e["text"]


def test_seed_people_and_government_bodies(seed):
    labelled = {(e["text"], e["label"]) for e in seed["entities"]}
    assert ("沈晓明", "PERSON") in labelled
    assert ("张福芳", "PERSON") in labelled  # (文/张福芳)
    assert ("长沙市委", "GOV") in labelled  # a body, not the city: GOV wins over the GPE inside it
    assert ("市政府", "GOV") in labelled
    assert ("长沙市", "GPE") in labelled  # elsewhere the city itself


@pytest.mark.parametrize("ner", ["off", "full"])
def test_seed_companies(seed_path, ner):
    """广汽埃安 and 海四达 are companies named as projects: the [org] patterns
    find them with or without the statistical model, at their exact offsets."""
    d = newsie.extract_file(seed_path, ner=ner).to_dict()
    orgs = [e for e in d["entities"] if e["label"] == "ORG"]
    by_text = {e["text"]: e for e in orgs}
    assert {"广汽埃安", "海四达"} <= set(by_text)
    for name in ("广汽埃安", "海四达"):
        e = by_text[name]
        assert d["text"][e["start"] : e["end"]] == name
    assert d["text"][by_text["海四达"]["end"] :].startswith("30gwh")


COMPANIES = [
    # a list of what was brought in, closed by 等 + 项目/企业/公司
    ("长沙经开区引进了广汽埃安、汽车零部件产业园等优质项目124个。", ["广汽埃安"]),
    ("今年新签约比亚迪、宁德时代、中联重科等重点企业。", ["比亚迪", "宁德时代", "中联重科"]),
    ("引进了湖南大学、中南大学等高校合作项目。", ["湖南大学", "中南大学"]),
    # near misses: industries, parks, generic words are not companies
    ("引进了新能源、新材料等产业项目。", []),
    ("引进了汽车零部件产业园、智能制造基地等项目。", []),
    ("引进了比亚迪、宁德时代。", []),  # no 等…项目: not a list of projects
    ("比亚迪、宁德时代等企业参加了推介会。", []),  # no verb of bringing in
    # the name that opens a project's name, before a capacity in Latin units
    ("投资102亿元的海四达30gwh先进储能电池项目落户浏阳。", ["海四达"]),
    ("签约的隆基5GW光伏组件项目。", ["隆基"]),
    ("总投资25亿元的地铁3号线配套商业综合体项目。", []),  # 3号线: no Latin unit
    ("投资50亿元的某5GW光伏项目。", []),  # a determiner, not a name
    ("投资10亿元的重点5MW项目。", []),  # a generic word
    ("投资10亿元的长沙5GW项目。", []),  # a place: the gazetteer's GPE wins
]


@pytest.mark.parametrize("text, expected", COMPANIES, ids=[c[0][:14] for c in COMPANIES])
def test_companies_named_as_projects(text, expected):
    d = newsie.extract(text).to_dict()
    assert [e["text"] for e in d["entities"] if e["label"] == "ORG"] == expected


def test_seed_dates_skip_the_garbled_one(seed):
    dates = [e["text"] for e in seed["entities"] if e["label"] == "DATE"]
    assert "10月7日" in dates and "截至8月底" in dates and "四季度" in dates
    assert "0月7日" not in dates  # 来抓?!?0月7日: its first digit was lost to mojibake


AMBIGUOUS = [
    # 鼓楼区 is in 南京, 徐州, 福州 and 开封
    ("鼓楼区召开招商大会。", None),
    ("福州市鼓楼区召开招商大会。", "350102"),
    ("南京日报讯 南京市今年招商成效明显，鼓楼区引进项目5个，秦淮区引进项目3个，南京各区齐头并进。", "320106"),
    ("徐州鼓楼区：小分队跑出加速度\n本报讯 徐州市鼓楼区组建6支产业招商小分队。", "320302"),
]


@pytest.mark.parametrize("text, adcode", AMBIGUOUS)
def test_ambiguous_names_resolve_from_context_or_stay_open(text, adcode):
    tagged = tag(text, ner="off")
    (gulou,) = {e.norm.adcode for e in tagged.entities if e.text.endswith("鼓楼区") and e.norm}
    assert gulou == adcode


def test_ner_mode_is_checked():
    with pytest.raises(ValueError, match="ner must be one of"):
        tag("文本", ner="sometimes")


def test_the_fast_entity_constructor_sets_every_field_like_the_dataclass():
    import dataclasses

    from newsie._construct import new_entity
    from newsie.model import Entity, Region

    region = Region("长沙市", "430100", "city", ("湖南省", "长沙市"))
    values = ("长沙", "GPE", 3, 5, region)
    assert [f.name for f in dataclasses.fields(Entity)] == ["text", "label", "start", "end", "norm"]
    built = new_entity(*values)
    assert built == Entity(*values)
    assert dataclasses.astuple(built) == dataclasses.astuple(Entity(*values))
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.start = 0  # type: ignore[misc]
    assert hash(built) == hash(Entity(*values))


def _person_in_regex():
    """The person pattern as it was written for the ``regex`` module, before
    it moved to ``re`` with explicit classes."""
    import tomllib

    import regex

    from newsie._prefilter import alternation
    from newsie.resources import pattern_path

    with open(pattern_path("entities.toml"), "rb") as f:
        person = tomllib.load(f)["person"]
    not_in_name = regex.escape(person["not_in_name"])
    return regex.compile(
        rf"(?:{alternation(person['titles'])})\s?(?P<name>[^\P{{Han}}{not_in_name}]{{2,3}}?)(?=[{not_in_name}]|[^\p{{Han}}]|$)"
    )


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="书记市长者文/摄沈晓明孙蕾张福芳在的强调说表示 \t\n\x1c\u3000\xa0〇々𠮷a1，。", max_size=30))
@example(text="记者\x1c沈晓明")  # re's \s takes \x1c, regex's does not: no name here
@example(text="记者\u3000孙蕾，市长𠮷晓强调")  # ideographic space; an astral Han character in a name
def test_the_person_pattern_finds_what_the_regex_version_found(text):
    from newsie.entities import _patterns

    person = _patterns().person
    assert [m.span("name") for m in person.finditer(text)] == [m.span("name") for m in _person_in_regex().finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="省市区县州镇乡自治委政府人民大常会发改商务局员托长沙 ,a1\n（", max_size=30))
def test_bare_gov_pattern_is_the_regex_definition(text: str) -> None:
    # the re pattern with its look-behind after each level word finds what the regex one with a leading look-behind does
    import tomllib

    import regex

    from newsie._prefilter import alternation
    from newsie.entities import _patterns
    from newsie.resources import pattern_path

    with open(pattern_path("entities.toml"), "rb") as f:
        gov = tomllib.load(f)["gov"]
    defined = regex.compile(
        rf"(?<![\p{{Han}}])(?:{alternation(gov['levels'])})(?:{alternation(gov['bodies'])})(?![{regex.escape(gov['not_followed_by'])}])"
    )
    found = [(m.start(), m.end()) for m in _patterns().gov_bare.finditer(text)]
    assert found == [(m.start(), m.end()) for m in defined.finditer(text)]
