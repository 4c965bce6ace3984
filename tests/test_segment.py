"""Segmentation with jieba and pkuseg, and newsie's stages as spaCy components."""

from __future__ import annotations

import os

import pytest
import spacy

import newsie
from newsie.segment import DEFAULT_PKUSEG_MODEL, SegmenterError, blank, pkuseg_model_path


def test_jieba_knows_the_domain_words():
    nlp = blank("jieba")
    words = [t.text for t in nlp("湘商回归新注册企业数达29家，到位资金235亿元，三类500强企业投资项目")]
    for word in ["湘商回归", "到位资金", "三类500强"]:
        assert word in words


def test_unknown_segmenter_is_a_clear_error():
    with pytest.raises(SegmenterError, match="segmenter must be one of"):
        blank("thulac")


def test_pkuseg_without_a_model_says_how_to_get_one(monkeypatch, tmp_path):
    monkeypatch.delenv("NEWSIE_PKUSEG_MODEL", raising=False)
    monkeypatch.setattr("newsie.segment.DEFAULT_PKUSEG_MODEL", tmp_path / "absent")
    with pytest.raises(SegmenterError, match="get_pkuseg_model.py"):
        pkuseg_model_path()
    with pytest.raises(SegmenterError, match="not a pkuseg model folder"):
        pkuseg_model_path(tmp_path)


@pytest.fixture(scope="module")
def pkuseg_model():
    path = os.environ.get("NEWSIE_PKUSEG_MODEL") or (str(DEFAULT_PKUSEG_MODEL) if DEFAULT_PKUSEG_MODEL.is_dir() else None)
    if not path:
        if os.environ.get("CI"):
            pytest.fail("CI must run the pkuseg path: .ci/run puts the model in the venv's share/newsie/pkuseg-default")
        pytest.skip("no pkuseg model: run scripts/get_pkuseg_model.py DIR and set NEWSIE_PKUSEG_MODEL=DIR")
    return path


def test_pkuseg_segments_with_the_real_model_and_domain_words(pkuseg_model):
    nlp = blank("pkuseg", pkuseg_model=pkuseg_model)
    words = [t.text for t in nlp("长沙经开区引进了广汽埃安，到位资金235亿元")]
    assert words[:4] == ["长沙", "经开区", "引进", "了"]
    assert "到位资金" in words  # from patterns/user_dict.txt


def test_whole_pipeline_with_pkuseg(pkuseg_model):
    nlp = newsie.load("pkuseg", pkuseg_model=pkuseg_model)
    doc = nlp("天心区引进外资4099万美元。")
    assert [(f.category, f.region.name) for f in doc._.newsie_facts] == [("foreign_investment", "天心区")]


def test_components_in_a_users_own_pipeline():
    nlp = spacy.blank("zh")
    nlp.add_pipe("newsie_quantities")
    nlp.add_pipe("newsie_regions")
    nlp.add_pipe("newsie_facts")
    doc = nlp("长沙经开区引进了广汽埃安等优质项目124个，总投资额约420亿元。")
    assert [q.text for q in doc._.newsie_quantities] == ["124个", "约420亿元"]
    assert [(e.text, e.label_) for e in doc.ents] == [("长沙经开区", "ZONE")]
    assert [(f.category, f.region.name) for f in doc._.newsie_facts] == [
        ("projects", "长沙经济技术开发区"),
        ("investment", "长沙经济技术开发区"),
    ]
    assert [s.text for s in doc.spans["newsie_quantities"]] == ["124个", "约420亿元"]


def test_facts_component_needs_the_others():
    nlp = spacy.blank("zh")
    nlp.add_pipe("newsie_facts")
    with pytest.raises(ValueError, match="needs newsie_quantities"):
        nlp("引进项目5个")


def test_load_gives_the_same_facts_as_extract():
    text = "全市争取四季度新引进2亿元以上重大项目45个以上（其中百亿项目3个）。"
    doc = newsie.load()(text)
    expected = newsie.extract(text)
    assert doc._.newsie_facts == expected.facts


def test_the_facts_component_reads_periods_from_the_taggers_time_phrases():
    text = "今年以来，长沙市新签约项目120个。截至9月底，浏阳市到位资金85亿元。"
    doc = newsie.load()(text)
    assert [text[s:e] for s, e in doc._.newsie_time_phrases] == ["今年以来", "截至9月底"]
    assert [f.period for f in doc._.newsie_facts] == ["今年以来", "截至9月底"]
    assert doc._.newsie_facts == newsie.extract(text).facts
