"""Facts: the seed article's three key paragraphs, and each rule on small
sentences. Expected values are read off the Chinese by hand."""

from __future__ import annotations

import pytest

import newsie

E8 = 100_000_000
CHANGSHA = ("长沙市", "430100")


@pytest.fixture(scope="module")
def seed(seed_path):
    return newsie.extract_file(seed_path).to_dict()


def facts_of(d, text, occurrence=1):
    """Facts on the n-th quantity whose text is ``text``."""
    indexes = [i for i, q in enumerate(d["quantities"]) if q["text"] == text]
    index = indexes[occurrence - 1]
    return [f for f in d["facts"] if f["quantity"] == index]


def one(d, text, occurrence=1):
    (fact,) = facts_of(d, text, occurrence)
    return fact


def region(fact):
    return (fact["region"]["name"], fact["region"]["adcode"]) if fact["region"] else None


def threshold(fact):
    t = fact["threshold"]
    return (t["value"], t["currency"], t["qualifier"]) if t else None


def parent_text(d, fact):
    if fact["parent"] is None:
        return None
    return d["quantities"][d["facts"][fact["parent"]]["quantity"]]["text"]


# 全市争取四季度新引进2亿元以上重大项目45个以上（其中百亿项目3个、50亿元以上项目3个、10亿元以上项目9个），
# “三类500强”企业投资项目30个以上；……湘商回归新注册企业数达29家，到位资金235亿元，落地企业研发中心项目100个。
TARGETS = [
    # text, occurrence, category, threshold, parent
    ("45个以上", 1, "projects", (2 * E8, "CNY", "at_least"), None),
    ("3个", 1, "projects", (100 * E8, "CNY", "exact"), "45个以上"),
    ("3个", 2, "projects", (50 * E8, "CNY", "at_least"), "45个以上"),
    ("9个", 1, "projects", (10 * E8, "CNY", "at_least"), "45个以上"),
    ("30个以上", 1, "projects", None, None),
    ("29家", 1, "enterprises", None, None),
    ("235亿元", 1, "funds_in_place", None, None),
    ("100个", 1, "projects", None, None),
]


@pytest.mark.parametrize("text, occurrence, category, expected_threshold, parent", TARGETS)
def test_seed_targets_for_the_fourth_quarter(seed, text, occurrence, category, expected_threshold, parent):
    fact = one(seed, text, occurrence)
    assert fact["category"] == category
    assert fact["status"] == "target"
    assert region(fact) == CHANGSHA
    assert fact["period"] == "四季度"
    assert threshold(fact) == expected_threshold
    assert parent_text(seed, fact) == parent


def test_seed_threshold_amounts_are_not_facts(seed):
    for text in ["2亿元以上", "百亿", "50亿元以上"]:
        assert facts_of(seed, text) == []
    # 总投资（含预期总投资）10亿元及以上的产业项目: a size class, not a figure
    assert facts_of(seed, "10亿元及以上") == []


# 截至8月底，全市新引进重大项目75个、“三类500强”企业投资项目30个、百亿以上项目6个；湘商回归新注册企业91家，累计到位资金604.9亿元
RESULTS = [
    ("75个", 1, "projects", None),
    ("30个", 2, "projects", None),  # the first "30个" is inside 30个以上
    ("6个", 1, "projects", (100 * E8, "CNY", "at_least")),
    ("91家", 1, "enterprises", None),
    ("604.9亿元", 1, "funds_in_place", None),
]


@pytest.mark.parametrize("text, occurrence, category, expected_threshold", RESULTS)
def test_seed_results_to_end_of_august(seed, text, occurrence, category, expected_threshold):
    matches = [f for i, q in enumerate(seed["quantities"]) if q["text"] == text for f in seed["facts"] if f["quantity"] == i]
    fact = matches[-1] if text == "30个" else one(seed, text, occurrence)
    assert fact["category"] == category
    assert fact["status"] == "actual"
    assert fact["period"] == "截至8月底"
    assert region(fact) == CHANGSHA
    assert threshold(fact) == expected_threshold


# 其中，湘江新区截至今年9月赴外地招商303次，共引进产业项目175个，总投资564亿元；浏阳……新引进项目89个，其中100亿元项目1个、
# 10亿元以上项目5个，投资102亿元的海四达30gwh先进储能电池项目……；长沙经开区引进了……优质项目124个，总投资额约420亿元，
# 其中100亿元以上项目1个、10亿元以上项目13个；天心区……招商考察活动30余场，引进外资4099万美元、湘商回归企业8家、10亿元以上重大项目4个
XIANGJIANG = ("湘江新区", None)
LIUYANG = ("浏阳市", "430181")
JINGKAI = ("长沙经济技术开发区", None)
TIANXIN = ("天心区", "430103")
DISTRICTS = [
    ("303次", "activities", XIANGJIANG, None, None),
    ("175个", "projects", XIANGJIANG, None, None),
    ("564亿元", "investment", XIANGJIANG, None, None),
    ("89个", "projects", LIUYANG, None, None),
    ("1个", "projects", LIUYANG, (100 * E8, "CNY", "exact"), "89个"),
    ("5个", "projects", LIUYANG, (10 * E8, "CNY", "at_least"), "89个"),
    ("102亿元", "investment", LIUYANG, None, None),
    ("124个", "projects", JINGKAI, None, None),
    ("约420亿元", "investment", JINGKAI, None, None),
    ("13个", "projects", JINGKAI, (10 * E8, "CNY", "at_least"), "124个"),
    ("30余场", "activities", TIANXIN, None, None),
    ("4099万美元", "foreign_investment", TIANXIN, None, None),
    ("8家", "enterprises", TIANXIN, None, None),
]


@pytest.mark.parametrize("text, category, expected_region, expected_threshold, parent", DISTRICTS)
def test_seed_districts_each_own_their_figures(seed, text, category, expected_region, expected_threshold, parent):
    # the district paragraph is the last place each of these figures appears,
    # except 浏阳's 1个, which 长沙经开区's 1个 follows
    occurrence = 1 if (text, expected_region) == ("1个", LIUYANG) else len([q for q in seed["quantities"] if q["text"] == text])
    fact = one(seed, text, occurrence=occurrence)
    assert fact["category"] == category
    assert region(fact) == expected_region
    assert fact["status"] == "actual"
    assert threshold(fact) == expected_threshold
    assert parent_text(seed, fact) == parent


def test_seed_district_periods(seed):
    assert one(seed, "303次")["period"] == "截至今年9月"
    # 浏阳 does not inherit 湘江新区's own 截至今年9月; the section's 今年以来 governs
    assert one(seed, "89个")["period"] == "今年以来"
    assert one(seed, "4099万美元")["period"] == "今年以来"
    # a named project's investment has no period of its own
    assert one(seed, "102亿元")["subject"] == "海四达30gwh先进储能电池项目"
    assert one(seed, "102亿元")["period"] is None


def test_seed_foreign_investment_example_from_the_contract(seed):
    fact = one(seed, "4099万美元")
    assert fact["metric"] == "引进外资"
    assert fact["region"] == {"name": "天心区", "adcode": "430103", "level": "county", "path": ["湖南省", "长沙市", "天心区"]}
    start, end = fact["evidence"]
    assert "天心区" in seed["text"][start:end] and "4099万美元" in seed["text"][start:end]


# Each rule on a small sentence: (text, quantity, expected fields)
RULES = [
    # 全市 resolves to the article's own place (the dateline's city)
    ("新华社长沙10月7日电 全市新引进项目12个。", "12个", {"region": ("长沙市", "430100"), "category": "projects"}),
    # a list of peers separated by ；each owns its clauses
    ("长沙市今年招商成效明显。天心区引进项目5个；雨花区引进项目7个，总投资30亿元。", "30亿元", {"region": ("雨花区", "430111"), "category": "investment"}),
    # 各 over a list of regions: one fact per region
    ("武汉市下达任务。蔡甸区、新洲区各招引亿元以上项目70个。", "70个", {"regions": [("蔡甸区", "420114"), ("新洲区", "420117")]}),
    # 分别 distributes in order
    ("浙江省前三季度成绩单。嘉兴市、湖州市分别引进项目386个和301个。", "301个", {"region": ("湖州市", "330500")}),
    # target cues and reported results
    ("长沙市力争全年引进项目100个。", "100个", {"status": "target", "period": "全年"}),
    ("长沙市今年以来已引进项目80个。", "80个", {"status": "actual", "period": "今年以来"}),
    # periods: 全年 after a part of the year is the whole year; after a named year, that year
    ("四季度鼓楼区将开展走访活动，力争全年新招引项目80个。", "80个", {"period": "全年"}),
    ("下半年新区将精准招商，全年确保引进重大项目90个以上。", "90个以上", {"period": "全年"}),
    ("回顾2023年，武汉市全年举办招商活动150场。", "150场", {"period": "2023年"}),
    # …while 今年 after a cut-off date is that cut-off
    ("截至9月底，和平区今年新引进企业76家。", "76家", {"period": "截至9月底"}),
    ("长沙市完成年度目标任务589亿元的37.22%。", "589亿元", {"status": "target"}),
    # a quoted goal named after the figures; a quotation that is no goal stays actual
    ("按照“全年签约项目200个、签约额500亿元”的目标，和平区将开展行动。", "500亿元", {"status": "target"}),
    ("和平区“十四五”以来引进项目200个，被评为“招商引资先进区”。", "200个", {"status": "actual"}),
    # categories from the wording
    ("天心区实际使用外资3亿美元。", "3亿美元", {"category": "foreign_investment"}),
    ("天心区实际到位资金50亿元。", "50亿元", {"category": "funds_in_place"}),
    ("天心区签约项目协议引资80亿元。", "80亿元", {"category": "investment"}),
    ("天心区新注册企业120家。", "120家", {"category": "enterprises"}),
    ("天心区举办招商推介会8场。", "8场", {"category": "activities"}),
    ("天心区新建5G基站300座。", "300座", {"category": "other"}),
    # cue words: 台资 is foreign capital; 省外资金 is domestic capital though it holds 外资
    ("思明区合同利用台资1.6亿美元。", "1.6亿美元", {"category": "foreign_investment"}),
    ("全省到位省外资金7216.5亿元。", "7216.5亿元", {"category": "funds_in_place"}),
    # an amount with no words of its own goes on the list before it, or restates it
    ("全省实际使用外资1205.6亿元人民币，折合约171亿美元。", "约171亿美元", {"category": "foreign_investment"}),
    ("湖南省实际使用外资14.1亿美元；岳阳市、衡阳市分别为2.3亿美元和1.9亿美元。", "1.9亿美元",
     {"category": "foreign_investment", "region": ("衡阳市", "430400")}),
    ("贵阳市观山湖区签约金额48亿元、白云区32亿元。", "32亿元", {"category": "investment", "region": ("白云区", "520113")}),
    # …but not when it has words of its own
    ("长沙市实际使用外资14.1亿美元，营业收入5亿元。", "5亿元", {"category": "other"}),
    # people are people, whoever they are
    ("本届展会共接待客商3100余人次。", "3100余人次", {"category": "other"}),
    # the counted noun after the count, a size class in between allowed; it must end the noun
    ("年底前全区将推动在谈的9个亿元以上项目完成注册。", "9个", {"category": "projects", "threshold": (E8, "CNY", "at_least")}),
    ("每个板块每季度引进5至8个重大项目。", "5至8个", {"category": "projects"}),
    ("全市组建了12个产业链招商小分队。", "12个", {"category": "other"}),
    # a place that only describes the noun after the count is not the figure's place
    ("长沙市政府驻北京、上海、广州、深圳4个招引工作专班各提交项目。", "4个", {"region": ("长沙市", "430100")}),
    # a money amount inside a count's wording is its threshold
    ("天心区引进亿元以上项目12个。", "12个", {"threshold": (E8, "CNY", "at_least")}),
    ("全区亿元楼宇总数达到39幢。", "39幢", {"threshold": (E8, "CNY", "exact")}),
    ("全区引进亿元以上项目12个，签约企业8家。", "8家", {"threshold": None}),
    # the subject is the thing counted: no verb, no threshold (the fact carries it)
    ("全市新引进2亿元以上重大项目45个以上。", "45个以上", {"subject": "重大项目", "metric": "新引进2亿元以上重大项目"}),
    ("其中百亿项目3个。", "3个", {"subject": "项目", "threshold": (100 * E8, "CNY", "exact")}),
    ("新设投资总额1000万美元以上的外资企业6家。", "6家", {"subject": "外资企业", "threshold": (10_000_000, "USD", "at_least")}),
    ("天心区新注册企业120家。", "120家", {"subject": "企业"}),  # 新注册 is a verb (patterns/facts.toml count_verbs)
    # a project's investment belongs where it lands
    ("长沙市举行签约仪式。投资50亿元的某新能源项目落户浏阳市。", "50亿元", {"region": ("浏阳市", "430181"), "subject": "某新能源项目"}),
]


@pytest.mark.parametrize("text, quantity, expected", RULES, ids=[r[0][:18] for r in RULES])
def test_fact_rules(text, quantity, expected):
    d = newsie.extract(text).to_dict()
    facts = facts_of(d, quantity)
    assert facts, f"no fact on {quantity}"
    if "regions" in expected:
        assert [region(f) for f in facts] == expected.pop("regions")
    fact = facts[0]
    for key, value in expected.items():
        got = region(fact) if key == "region" else threshold(fact) if key == "threshold" else fact[key]
        assert got == value, key


def test_percent_of_target_is_not_a_fact():
    d = newsie.extract("长沙市完成年度目标任务589亿元的37.22%。").to_dict()
    assert [q["kind"] for q in d["quantities"]] == ["money", "percent"]
    assert len(d["facts"]) == 1


# patterns/dates.toml [periods]: the phrase found in a clause, or None (near misses)
PERIOD_PHRASES = [
    ("今年1至9月，全省", "今年1至9月"),
    ("1—9月，全省", "1—9月"),
    ("截至9月底，全市", "截至9月底"),
    ("截至目前，全区", "截至目前"),
    ("前三季度，全省", "前三季度"),
    ("三季度以来，和平区", "三季度以来"),
    ("下半年以来，新区", "下半年以来"),
    ("9月以来，全市", "9月以来"),
    ("四季度全市将", "四季度"),
    ("下半年新区将", "下半年"),
    ("今年以来，全市", "今年以来"),
    ("“十四五”以来，新区", "“十四五”以来"),
    ("力争全年引进", "全年"),
    ("回顾2023年，武汉", "2023年"),
    ("前8个月，全市", "前8个月"),
    # near misses: a duration, a bare word, a classifier phrase
    ("建设周期为8个月", None),
    ("按季度通报", None),
    ("以来自日本的投资为主", None),
]


@pytest.mark.parametrize("text, phrase", PERIOD_PHRASES, ids=[p[0] for p in PERIOD_PHRASES])
def test_period_phrases(text, phrase):
    from newsie.facts import _rules

    m = _rules().periods.search(text)
    assert (m.group() if m else None) == phrase


# ------------------------------------------------- periods from the tagger's time phrases

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsie.entities import tag  # noqa: E402
from newsie.facts import FactBuilder  # noqa: E402

TIME_ALPHABET = "0123456789年月日底末初前第一二三四季度上下半今去本全内截至止以来目“”十五个份旬号-—~，。\n项目亿元重大签约活动举行"


def _periods(text: str, time_phrases):
    return FactBuilder(text, [], [], None, time_phrases=time_phrases).periods


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=TIME_ALPHABET, max_size=80))
def test_periods_found_in_the_time_phrases_are_those_of_a_full_scan(text):
    assert _periods(text, tag(text).time_phrases) == _periods(text, None)


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("截至今年9月底，签约项目20个", ["截至今年9月底"]),
        ("1至8月引进12个", ["1至8月"]),
        ("未来3年内投资", ["年内"]),
        ("2023年四季度重大项目集中签约活动举行", []),  # the event's date governs nothing
        ("今年以来，上半年以来", ["今年以来", "上半年以来"]),
    ],
)
def test_periods_from_time_phrases_on_examples(text, phrases):
    found = _periods(text, tag(text).time_phrases)
    assert [p[3] for p in found] == phrases
    assert found == _periods(text, None)


# ---------------------------------------------------------------- helpers written for speed

import bisect  # noqa: E402

from newsie.facts import _rules, _unquoted  # noqa: E402
from newsie.facts import bisect_left as facts_bisect_left  # noqa: E402
from newsie.facts import bisect_right as facts_bisect_right  # noqa: E402


@given(st.lists(st.integers(-5, 40)).map(sorted), st.integers(-10, 50))
def test_facts_bisection_agrees_with_the_bisect_module(values, x):
    assert facts_bisect_left(values, x) == bisect.bisect_left(values, x)
    assert facts_bisect_right(values, x) == bisect.bisect_right(values, x)


def test_facts_bisection_on_duplicates_and_ends():
    assert facts_bisect_left([1, 3, 3, 3, 7], 3) == 1
    assert facts_bisect_right([1, 3, 3, 3, 7], 3) == 4
    assert facts_bisect_left([], 5) == 0 and facts_bisect_right([], 5) == 0
    assert facts_bisect_left([1, 2], 9) == 2 and facts_bisect_right([1, 2], 0) == 0


def test_unquoted_drops_quotation_and_title_marks_only():
    assert _unquoted("“十四五”期间《规划》「重点」'a'\"b\"") == "十四五期间规划重点ab"
    assert _unquoted("签约项目") == "签约项目"
    assert _unquoted("") == ""


def test_every_breakdown_alternative_starts_with_a_plain_character():
    # patterns/facts.toml: so that re can skip to where a breakdown can start
    # (a group or a class first makes it try every position of the text)
    import re._parser as sre_parse  # type: ignore[import-not-found]

    pattern = _rules().breakdown.pattern
    (op, (_, branches)), = sre_parse.parse(pattern).data
    assert str(op) == "BRANCH"
    for branch in branches:
        assert str(branch.data[0][0]) == "LITERAL", branch


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="其中同时在全年今年以来1至8月截9底“”《》 ，,、：市区项目", max_size=30))
def test_the_quick_clause_opener_test_agrees_with_stripping_the_openers(lead):
    builder = FactBuilder("", [], [], None)
    assert builder._opens_clause(lead) == (not builder._strip_openers(lead))


def test_clause_openers_worked_examples():
    builder = FactBuilder("", [], [], None)
    assert builder._opens_clause("今年以来，")  # a time phrase only: the mention opens its clause
    assert builder._opens_clause("其中，“")
    assert not builder._opens_clause("今年以来，全市新签约")
    assert not builder._opens_clause("项目落户")


def test_the_fast_fact_constructor_sets_every_field_like_the_dataclass():
    import dataclasses

    from newsie._construct import new_fact
    from newsie.model import Fact, Region, Threshold

    region = Region("长沙市", "430100", "city", ("湖南省", "长沙市"))
    values = ("projects", "新引进重大项目", 3, "重大项目", region, Threshold(200000000, "CNY", "at_least"), "今年以来", "target", 1, (4, 30))
    assert [f.name for f in dataclasses.fields(Fact)] == [
        "category", "metric", "quantity", "subject", "region", "threshold", "period", "status", "parent", "evidence",
    ]
    built = new_fact(*values)
    assert built == Fact(*values)
    assert dataclasses.astuple(built) == dataclasses.astuple(Fact(*values))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="新引进了招签约共累计落地开工、项目企业家", max_size=16))
def test_taking_the_count_verbs_off_is_the_regex_over_the_word_list(words):
    import re as re_module

    verbs = _rules().count_verbs
    reference = re_module.compile("^(?:" + "|".join(re_module.escape(v) for v in verbs) + ")+")
    assert FactBuilder("", [], [], None)._without_count_verbs(words) == reference.sub("", words)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="数量总共计合累达到为有了分别已各均等项目企业，", max_size=12))
def test_taking_the_fillers_off_is_the_regex_over_the_word_list(words):
    import re as re_module

    fillers = _rules().filler_words
    reference = re_module.compile("(?:" + "|".join(re_module.escape(w) for w in sorted(fillers, key=len, reverse=True)) + ")+$")
    assert FactBuilder("", [], [], None)._without_fillers(words) == reference.sub("", words)


def test_count_verbs_worked_examples():
    builder = FactBuilder("", [], [], None)
    assert builder._without_count_verbs("新引进重大项目") == "重大项目"  # 新引进, not 新 + 引进
    assert builder._without_count_verbs("共引进、签约项目") == "项目"
    assert builder._without_count_verbs("项目") == "项目"


# ------------------------------------------- word lists and scans without regex calls

import re  # noqa: E402

from newsie._prefilter import alternation  # noqa: E402
from newsie.facts import (  # noqa: E402
    _BMP,
    _QUOTE,
    _CharSet,
    _end_of_last,
    _literal_start,
    _LiteralStarts,
    _periods_from,
    _Starts,
    _Words,
)

WORDS = ["全市", "我市", "全省", "项目", "项目中", "目标", "标准", "将", "将近", "要", "要求", "中有", "其中"]
WORD_TEXT = "全市我项目中标准将近要求其中有目标准，。将全省市项目标" + "𠀀"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=WORD_TEXT, max_size=40))
def test_words_match_as_their_alternation_does(text):
    words = _Words(WORDS)
    regex = re.compile(alternation(WORDS))
    assert words.matches(text) == [(m.start(), m.end(), m.group()) for m in regex.finditer(text)]
    for position in range(len(text)):
        for end in range(position, len(text) + 1):
            m = regex.match(text[:end], position)
            assert words.longest(text, position, end) == (m.group() if m else None)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=WORD_TEXT, max_size=40))
def test_the_end_of_the_last_word_found_is_that_of_the_last_match(text):
    regex = re.compile(alternation(WORDS))
    last = [m.end() for m in regex.finditer(text)]
    assert _end_of_last(text, regex.findall(text)) == (last[-1] if last else 0)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="其中有从分行业看，,。项目中企业；\n！?看中从", max_size=40))
def test_the_breakdown_scan_finds_what_finditer_finds(text):
    breakdown = _rules().breakdown
    assert [m.span() for m in _rules().breakdown_scan.matches(text)] == [m.span() for m in breakdown.finditer(text)]


def test_literal_starts_of_patterns():
    assert _literal_start("项目中[，,]") == "项目中"
    assert _literal_start("从[^，,。；\n]{1,6}看[，,]") == "从"
    assert _literal_start("ab?c") == "a"  # b is optional
    assert _literal_start("a|b") == ""
    assert _literal_start("(?i)abc") == ""
    scan = _LiteralStarts(re.compile("a|b"), ["a", ""])  # an empty start: the regex scans
    assert [m.span() for m in scan.matches("xaby")] == [(1, 2), (2, 3)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_character_tables_agree_with_the_classes(text):
    chars = _CharSet("，。、𠀀a")
    starts = _Starts([re.compile(r"\d+"), re.compile("[全我]市"), re.compile("[^x]")])
    for char in text + "，𠀀x5٣全":
        assert chars.holds(ord(char)) == (char in "，。、𠀀a")
        expected = (char.isdecimal() and 1) | (char in "全我" and 2) | 4  # [^x]: its first characters are not worked out
        assert starts.mask(ord(char)) == expected
    assert _BMP == 0x10000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="“”《》项目‘’\"'签约。", max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_whether_a_window_has_quotes_is_the_regex_search(text, start, end):
    builder = FactBuilder(text, [], [], None)
    assert builder._has_quote(start, end) == (_QUOTE.search(text[start:end]) is not None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="其中同时今年以来1至8月全市我市将争取目标力争，、 \u3000项目签约", max_size=24))
def test_metric_openers_looked_up_are_those_the_regexes_match(text):
    rules = _rules()
    builder = FactBuilder(text, [], [], None)
    for position in range(len(text)):
        for end in range(position + 1, len(text) + 1):
            rest = text[position:end]
            expected = 0
            for pattern in (rules.openers_long, rules.periods, rules.status_cues, rules.anaphora):
                m = pattern.match(rest)
                if m and m.end() > 0 and (pattern is not rules.status_cues or rules.status_kind[m.group()] == "target"):
                    expected = m.end()
                    break
            assert builder._opener_length(position, end) == expected, (rest, position)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=TIME_ALPHABET, max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_remembered_phrase_periods_are_those_found_in_the_text(text, start, stop):
    start, stop = min(start, len(text)), min(stop, len(text))
    rules = _rules()
    remembered = rules.phrase_periods.periods(text, start, stop)
    assert remembered is not None
    assert [(a + start, b + start, tier, phrase) for a, b, tier, phrase in remembered] == _periods_from(rules.periods, text, start, stop)


def test_a_phrase_followed_by_more_of_a_period_is_read_with_it():
    # the tagger's phrase is 2023年, the period 2023年以来: the words after the
    # phrase that a period can hold are part of what is remembered
    text = "2023年以来，签约项目20个。2023年，签约项目10个。"
    assert [p[3] for p in FactBuilder(text, [], [], None, time_phrases=[(0, 5), (16, 21)]).periods] == ["2023年以来", "2023年"]
    assert FactBuilder(text, [], [], None, time_phrases=[(0, 5), (16, 21)]).periods == FactBuilder(text, [], [], None).periods


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="截至目前将近要求争取力争已经回顾去年上年计划投资预计，。", max_size=40))
def test_status_cues_are_found_where_finditer_finds_them(text):
    rules = _rules()
    expected = [(m.start(), m.end(), rules.status_kind[m.group()]) for m in rules.status_cues.finditer(text)]
    assert FactBuilder(text, [], [], None).cues == expected
