"""newsie.render / Document._repr_html_: spans, attributes, escaping, self-containedness."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

import newsie
from newsie.model import Document, Entity, Fact, ReadError
from gold_facts import CHANGSHA, TEXT, handmade


def marks(html: str):
    return HTMLParser(html).css("mark.newsie-span")


def test_every_span_is_marked_with_its_values():
    doc = handmade()
    d = doc.to_dict()
    html = newsie.render(doc)
    found = marks(html)
    assert len(found) == len(d["quantities"]) + len(d["entities"])
    by_quantity = {int(m.attributes["data-quantity"]): m for m in found if "data-quantity" in m.attributes}
    assert set(by_quantity) == set(range(len(d["quantities"])))
    fact_quantities = {f["quantity"]: i for i, f in enumerate(d["facts"])}
    for i, q in enumerate(d["quantities"]):
        m = by_quantity[i]
        a = m.attributes
        assert m.text() == q["text"] == TEXT[int(a["data-start"]) : int(a["data-end"])]
        assert (a["data-kind"], a["data-value"], a["data-qualifier"]) == (q["kind"], str(q["value"]), q["qualifier"])
        if i in fact_quantities:
            f = d["facts"][fact_quantities[i]]
            assert a["data-span"] == "fact"
            assert (a["data-category"], a["data-status"], a["data-region"], a["data-adcode"]) == (
                f["category"], f["status"], f["region"]["name"], f["region"]["adcode"])
            title = a["title"]
            for needed in (f["category"], f["region"]["name"], f["status"], str(q["value"])):
                assert needed in title
        else:
            assert a["data-span"] == "quantity" and "data-category" not in a
    ents = [m for m in found if m.attributes["data-span"] == "entity"]
    assert [(m.text(), m.attributes["data-label"], m.attributes["data-adcode"]) for m in ents] == [
        ("长沙市", "GPE", "430100"), ("天心区", "GPE", "430103")]


def test_fact_tooltip_reads_like_the_article():
    html = newsie.render(handmade())
    (fdi,) = [m for m in marks(html) if m.attributes.get("data-category") == "foreign_investment"]
    assert fdi.attributes["title"].splitlines() == [
        "fact 2 · foreign_investment (引进外资)",
        "value: 4099万 USD = 40990000",
        "region: 天心区 [430103] 湖南省/长沙市/天心区",
        "status: actual",
    ]
    (child,) = [m for m in marks(html) if m.attributes.get("data-fact") == "1"]
    assert "threshold: ≥100亿 CNY" in child.attributes["title"] and "part of fact 0" in child.attributes["title"]
    assert "newsie-target" in child.attributes["class"]


def test_text_content_is_exactly_the_document_text():
    doc = handmade()
    (text,) = HTMLParser(newsie.render(doc)).css(".newsie-text")
    assert text.text() == doc.text  # labels are CSS-drawn, not text


def test_text_and_attributes_are_escaped():
    nasty = '<script>alert("x")</script> & 引进项目10个 <b>'
    doc = newsie.extract(nasty, id='a"b<c>')
    doc.facts = [Fact("projects", 'metric"><img src=x onerror=alert(1)>', 0, None, None, None, None, "actual", None, (0, len(doc.text)))]
    html = newsie.render(doc, page=True)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    tree = HTMLParser(html)
    assert tree.css_first(".newsie-text").text() == doc.text
    assert tree.css_first(".newsie-doc").attributes["data-doc-id"] == 'a"b<c>'
    assert tree.css_first("mark").attributes["data-metric"] == 'metric"><img src=x onerror=alert(1)>'


def test_self_contained():
    html = newsie.render(handmade(), page=True)
    assert not re.search(r"https?:|//[a-z]|url\(|@import|<script|<link|<img|src=", html, re.I)
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html


def test_repr_html_is_render():
    doc = handmade()
    assert doc._repr_html_() == newsie.render(doc)
    assert newsie.render(doc.to_dict()) == newsie.render(doc)
    assert not doc._repr_html_().lstrip().startswith("<!DOCTYPE")


def test_facts_table():
    tree = HTMLParser(newsie.render(handmade()))
    rows = tree.css("table.newsie-facts tbody tr")
    assert [r.attributes["data-category"] for r in rows] == ["projects", "projects", "foreign_investment"]
    assert "天心区引进外资4099万美元。" in rows[2].text()
    assert not HTMLParser(newsie.render(handmade(), facts_table=False)).css("table")


def test_crossing_spans_are_skipped_nested_ones_kept():
    doc = newsie.extract("新引进重大项目45个", id="x")
    (q,) = doc.quantities
    doc.facts = []
    doc.entities = [
        Entity("新引进重大项目45个", "ORG", 0, q.end, None),  # contains the quantity: drawn around it
        Entity("目45", "ORG", q.start - 1, q.start + 2, None),  # crosses it: skipped
        Entity("新引", "ORG", 0, 2, CHANGSHA),  # inside the first entity
    ]
    tree = HTMLParser(newsie.render(doc))
    spans = [(m.attributes["data-span"], m.text()) for m in tree.css("mark.newsie-span")]
    assert spans == [("entity", "新引进重大项目45个"), ("entity", "新引"), ("quantity", "45个")]
    assert tree.css_first(".newsie-text").text() == doc.text


def test_bad_offsets_do_not_break_rendering():
    d = newsie.extract("引进项目10个", id="x").to_dict()
    d["entities"] = [{"text": "?", "label": "ORG", "start": 5, "end": 500}, {"text": "?", "label": "ORG", "start": 3, "end": 3},
                     {"text": "?", "label": "ORG", "start": None, "end": None}]
    d["facts"] = [{"category": "projects", "quantity": 99, "status": "actual", "evidence": [0, 1]}]
    html = newsie.render(d)
    assert HTMLParser(html).css_first(".newsie-text").text() == d["text"]
    assert len(marks(html)) == 1


def test_failed_document():
    doc = Document(id="x.bin", ok=False, error=ReadError("binary", "this file is <binary>"))
    tree = HTMLParser(newsie.render(doc))
    assert tree.css_first(".newsie-error").text() == "binary: this file is <binary>"
    assert not tree.css("mark")


@pytest.mark.parametrize("name", ["000_seed", "002_nanjing_gulou", "010_wuhan_targets"])
def test_real_articles(name):
    from gold_facts import ARTICLES, gold_document

    for doc in (newsie.extract_file(ARTICLES / f"{name}.txt", id=name), gold_document(name)):
        tree = HTMLParser(newsie.render(doc))
        assert tree.css_first(".newsie-text").text() == doc.text
        facts = [m for m in tree.css("mark") if m.attributes["data-span"] == "fact"]
        assert {int(m.attributes["data-quantity"]) for m in facts} == {f.quantity for f in doc.facts}
