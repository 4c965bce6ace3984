"""The seed article, read from the raw file as given (traditional characters,
pinyin annotations, mojibake, a platform disclaimer at the end).

The expected list was written by reading the article, paragraph by paragraph.
"""

from __future__ import annotations

import newsie

E8 = 100_000_000

# (text, kind, value, unit, currency, qualifier) in order of appearance.
SEED_QUANTITIES = [
    # 总投资（含预期总投资）10亿元及以上的产业项目
    ("10亿元及以上", "money", 10 * E8, "CNY", "CNY", "at_least"),
    # 全市争取四季度新引进2亿元以上重大项目45个以上（其中百亿项目3个、50亿元以上项目3个、10亿元以上项目9个）
    ("2亿元以上", "money", 2 * E8, "CNY", "CNY", "at_least"),
    ("45个以上", "count", 45, "个", None, "at_least"),
    ("百亿", "money", 100 * E8, "CNY", "CNY", "exact"),
    ("3个", "count", 3, "个", None, "exact"),
    ("50亿元以上", "money", 50 * E8, "CNY", "CNY", "at_least"),
    ("3个", "count", 3, "个", None, "exact"),
    ("10亿元以上", "money", 10 * E8, "CNY", "CNY", "at_least"),
    ("9个", "count", 9, "个", None, "exact"),
    # "三类500强"企业投资项目30个以上
    ("30个以上", "count", 30, "个", None, "at_least"),
    # 北京、上海、广州、深圳4个招引工作专班……各提供企业投资意向信息200条以上，引进项目10个以上
    ("4个", "count", 4, "个", None, "exact"),
    ("200条以上", "count", 200, "条", None, "at_least"),
    ("10个以上", "count", 10, "个", None, "at_least"),
    # 湘商回归新注册企业数达29家，到位资金235亿元，落地企业研发中心项目100个
    ("29家", "count", 29, "家", None, "exact"),
    ("235亿元", "money", 235 * E8, "CNY", "CNY", "exact"),
    ("100个", "count", 100, "个", None, "exact"),
    # 前8个月招商引资硕果累累: 前8个月 is January to August, a period, not a quantity
    # 截至8月底，全市新引进重大项目75个、"三类500强"企业投资项目30个、百亿以上项目6个
    ("75个", "count", 75, "个", None, "exact"),
    ("30个", "count", 30, "个", None, "exact"),
    ("百亿以上", "money", 100 * E8, "CNY", "CNY", "at_least"),
    ("6个", "count", 6, "个", None, "exact"),
    # 湘商回归新注册企业91家，累计到位资金604.9亿元
    ("91家", "count", 91, "家", None, "exact"),
    ("604.9亿元", "money", 60_490_000_000, "CNY", "CNY", "exact"),
    # 梳理了17条产业链……客商清单1354家
    ("17条", "count", 17, "条", None, "exact"),
    ("1354家", "count", 1354, "家", None, "exact"),
    # 签约项目20个，带动投资124亿元
    ("20个", "count", 20, "个", None, "exact"),
    ("124亿元", "money", 124 * E8, "CNY", "CNY", "exact"),
    # 在建项目372个、年度计划投资658.9亿元；在谈项目798个，签约270个，投资额1009.2亿元，实现动工项目173个
    ("372个", "count", 372, "个", None, "exact"),
    ("658.9亿元", "money", 65_890_000_000, "CNY", "CNY", "exact"),
    ("798个", "count", 798, "个", None, "exact"),
    ("270个", "count", 270, "个", None, "exact"),
    ("1009.2亿元", "money", 100_920_000_000, "CNY", "CNY", "exact"),
    ("173个", "count", 173, "个", None, "exact"),
    # 湘江新区……赴外地招商303次，共引进产业项目175个，总投资564亿元
    ("303次", "count", 303, "次", None, "exact"),
    ("175个", "count", 175, "个", None, "exact"),
    ("564亿元", "money", 564 * E8, "CNY", "CNY", "exact"),
    # 浏阳……新引进项目89个，其中100亿元项目1个、10亿元以上项目5个，投资102亿元的海四达30gwh……项目
    ("89个", "count", 89, "个", None, "exact"),
    ("100亿元", "money", 100 * E8, "CNY", "CNY", "exact"),
    ("1个", "count", 1, "个", None, "exact"),
    ("10亿元以上", "money", 10 * E8, "CNY", "CNY", "at_least"),
    ("5个", "count", 5, "个", None, "exact"),
    ("102亿元", "money", 102 * E8, "CNY", "CNY", "exact"),
    ("30gwh", "measure", 30, "gwh", None, "exact"),
    # 长沙经开区引进了……优质项目124个，总投资额约420亿元，其中100亿元以上项目1个、10亿元以上项目13个
    ("124个", "count", 124, "个", None, "exact"),
    ("约420亿元", "money", 420 * E8, "CNY", "CNY", "approx"),
    ("100亿元以上", "money", 100 * E8, "CNY", "CNY", "at_least"),
    ("1个", "count", 1, "个", None, "exact"),
    ("10亿元以上", "money", 10 * E8, "CNY", "CNY", "at_least"),
    ("13个", "count", 13, "个", None, "exact"),
    # 天心区举办、参与招商考察活动30余场，引进外资4099万美元、湘商回归企业8家、10亿元以上重大项目4个
    ("30余场", "count", 30, "场", None, "more_than"),
    ("4099万美元", "money", 40_990_000, "USD", "USD", "exact"),
    ("8家", "count", 8, "家", None, "exact"),
    ("10亿元以上", "money", 10 * E8, "CNY", "CNY", "at_least"),
    ("4个", "count", 4, "个", None, "exact"),
]


def test_every_seed_quantity_from_the_raw_file(seed_path):
    doc = newsie.extract_file(seed_path).to_dict()
    got = [(q["text"], q["kind"], q["value"], q["unit"], q["currency"], q["qualifier"]) for q in doc["quantities"]]
    assert got == SEED_QUANTITIES


def test_seed_is_normalized_and_grounded(seed_path):
    raw = seed_path.read_text(encoding="utf-8")
    doc = newsie.extract_file(seed_path).to_dict()
    text = doc["text"]
    assert doc["meta"]["script"] == "traditional"
    assert doc["meta"]["encoding"] == "utf-8"
    assert "經(jīng)濟(jì)" in raw and "经济" in text and "(jīng)" not in text
    assert "(含預(yù)期總投資)" in raw and "(含预期总投资)" in text  # a real parenthesis stays
    assert "(文/张福芳)" in text
    assert "特别声明" not in text and "Notice:" not in text
    assert any("disclaimer" in w for w in doc["warnings"])
    assert any("garbled" in w for w in doc["warnings"])
    for q in doc["quantities"]:
        assert text[q["start"] : q["end"]] == q["text"]
        # the source span is the same figure in traditional characters
        source = raw[q["source_start"] : q["source_end"]]
        assert newsie.extract(source).text == q["text"]
