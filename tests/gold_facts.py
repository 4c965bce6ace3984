"""Documents with facts and entities made by hand, for the tests.

:func:`handmade` is one short article with real quantities and hand-made
entities and facts; :func:`failed` a document that could not be read.

:func:`gold_document` takes newsie's real output for a corpus article and
replaces its facts with the gold file's (matched to the extracted quantities
by text and occurrence) and its entities with a GPE entity for every mention
of a gold region, so the render, DataFrame and browser tests (and
``scripts/screenshot_render.py``) have realistic facts that do not change
with the facts stage's accuracy.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import newsie
from newsie.model import Document, Entity, Fact, ReadError, Region, Threshold

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO / "corpus" / "articles"
GOLD = REPO / "corpus" / "gold"

TEXT = "长沙市新引进2亿元以上重大项目45个，其中百亿项目3个；天心区引进外资4099万美元。"
CHANGSHA = Region("长沙市", "430100", "city", ("湖南省", "长沙市"))
TIANXIN = Region("天心区", "430103", "county", ("湖南省", "长沙市", "天心区"))


def handmade() -> Document:
    """Real quantities, hand-made entities and facts in the contract's shape."""
    doc = newsie.extract(TEXT, id="demo")
    q = {x.text: i for i, x in enumerate(doc.quantities)}
    assert set(q) >= {"2亿元以上", "45个", "3个", "4099万美元"}, q
    first_clause = (0, TEXT.index("；") + 1)
    doc.entities = [
        Entity("长沙市", "GPE", 0, 3, CHANGSHA),
        Entity("天心区", "GPE", TEXT.index("天心区"), TEXT.index("天心区") + 3, TIANXIN),
    ]
    doc.facts = [
        Fact("projects", "新引进重大项目", q["45个"], "重大项目", CHANGSHA,
             Threshold(Decimal(200000000), "CNY", "at_least"), "四季度", "target", None, first_clause),
        Fact("projects", "百亿项目", q["3个"], "百亿项目", CHANGSHA,
             Threshold(Decimal(10000000000), "CNY", "at_least"), None, "target", 0, first_clause),
        Fact("foreign_investment", "引进外资", q["4099万美元"], None, TIANXIN, None, None, "actual", None,
             (first_clause[1], len(TEXT))),
    ]
    return doc


def failed() -> Document:
    return Document(id="broken.txt", ok=False, error=ReadError("binary", "this file is not text"),
                    meta={"path": "broken.txt"})


def region_of(gold_region: dict | None) -> Region | None:
    if not gold_region:
        return None
    adcode = gold_region.get("adcode")
    if adcode is None:
        level = "zone"
    elif adcode.endswith("0000"):
        level = "province"
    elif adcode.endswith("00"):
        level = "city"
    else:
        level = "county"
    return Region(gold_region["name"], adcode, level, (gold_region["name"],))


def _nth(text: str, needle: str, occurrence: int) -> int:
    pos = -1
    for _ in range(occurrence):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return -1
    return pos


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    stops = "。；！？\n"
    left = max(text.rfind(c, 0, start) for c in stops) + 1
    rights = [i for i in (text.find(c, end) for c in stops) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return left, right


def gold_document(name: str, doc: Document | None = None) -> Document:
    """newsie's output for ``corpus/articles/NAME.txt`` plus the gold facts and GPE entities."""
    if doc is None:
        doc = newsie.extract_file(ARTICLES / f"{name}.txt", id=f"{name}.txt")
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
    by_start = {q.start: i for i, q in enumerate(doc.quantities)}
    facts: list[Fact] = []
    index_of_key: dict[str, int] = {}
    for g in gold["facts"]:
        start = _nth(doc.text, g["quantity"], g["occurrence"])
        qi = by_start.get(start)
        if qi is None or doc.quantities[qi].text != g["quantity"]:
            continue  # the extractor missed or cut this quantity differently
        q = doc.quantities[qi]
        threshold = g.get("threshold")
        facts.append(
            Fact(
                category=g["category"],
                metric=g.get("metric"),
                quantity=qi,
                subject=g.get("subject"),
                region=region_of(g.get("region")),
                threshold=Threshold(Decimal(str(threshold["value"])), threshold.get("currency"), threshold["qualifier"]) if threshold else None,
                period=g.get("period"),
                status=g["status"],
                parent=index_of_key.get(g["parent"]) if g.get("parent") else None,
                evidence=_clause(doc.text, q.start, q.end),
            )
        )
        index_of_key[g["key"]] = len(facts) - 1
    taken = [(q.start, q.end) for q in doc.quantities]
    entities: list[Entity] = []
    regions = {f.region.name: f.region for f in facts if f.region}
    if gold.get("home"):
        regions.setdefault(gold["home"]["name"], region_of(gold["home"]))
    for name, region in regions.items():
        for m in re.finditer(re.escape(name), doc.text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            entities.append(Entity(name, "GPE", m.start(), m.end(), region))
            taken.append((m.start(), m.end()))
    entities.sort(key=lambda e: e.start)
    doc.facts = facts
    doc.entities = entities
    return doc
