"""Score newsie against the gold annotations in a corpus folder.

Layout (see ``corpus/README.md``): ``gold/ID.json`` annotates
``articles/ID.txt``; ``renderings/ID.trad.txt``, ``ID.gbk.txt`` and
``ID.html`` are the same article as scrapers find it and share its gold.

Gold items name their quantity by text and occurrence (the n-th appearance
of that string in the article, overlapping matches counted). The same rule
finds them in newsie's normalized text, so every rendering is scored against
the one gold file.

Measures:

* quantities — precision/recall/F1 of spans, and of spans with kind, value,
  unit, currency and qualifier all right;
* facts — precision/recall/F1 of (quantity span, category) pairs, and, over
  the matched facts, the accuracy of region, threshold, parent, period and
  status;
* consistency — renderings whose facts differ from the plain article's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from newsie.model import Document
from newsie.pipeline import extract_file

RENDERINGS = {"plain": "articles/{id}.txt", "trad": "renderings/{id}.trad.txt", "gbk": "renderings/{id}.gbk.txt", "html": "renderings/{id}.html"}
ATTRIBUTES = ("region", "threshold", "parent", "period", "status")


def _occurrence(text: str, needle: str, n: int) -> int | None:
    """Start of the n-th (1-based) appearance of ``needle``, overlaps counted."""
    position = -1
    for _ in range(n):
        position = text.find(needle, position + 1)
        if position < 0:
            return None
    return position


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Score:
    """Scores of one rendering (or of all) over the corpus."""

    quantity_spans: Counts = field(default_factory=Counts)
    quantities: Counts = field(default_factory=Counts)
    facts: Counts = field(default_factory=Counts)
    attribute_right: Counter[str] = field(default_factory=Counter)
    attribute_total: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.quantity_spans.add(other.quantity_spans)
        self.quantities.add(other.quantities)
        self.facts.add(other.facts)
        self.attribute_right.update(other.attribute_right)
        self.attribute_total.update(other.attribute_total)
        self.errors.extend(other.errors)

    def accuracy(self, attribute: str) -> float:
        total = self.attribute_total[attribute]
        return self.attribute_right[attribute] / total if total else 1.0

    def as_dict(self) -> dict[str, Any]:
        def prf(c: Counts) -> dict[str, float]:
            return {"precision": round(c.precision, 4), "recall": round(c.recall, 4), "f1": round(c.f1, 4), "tp": c.tp, "fp": c.fp, "fn": c.fn}

        return {
            "quantity_spans": prf(self.quantity_spans),
            "quantities": prf(self.quantities),
            "facts": prf(self.facts),
            "attributes": {a: round(self.accuracy(a), 4) for a in ATTRIBUTES},
        }


def _quantity_key(q: dict[str, Any]) -> tuple:
    return (q["kind"], _num(q["value"]), q["unit"], q["currency"], q["qualifier"])


def _num(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return round(value, 6) if isinstance(value, float) else value


def score_document(doc: Document, gold: dict[str, Any]) -> tuple[Score, list[tuple]]:
    """Score one document against its gold; also return its facts in a rendering-independent form."""
    score = Score()
    d = doc.to_dict()
    if not d["ok"]:
        score.errors.append(f"{gold['id']}: {d['error']['type']}: {d['error']['message']}")
        score.quantity_spans.fn += len(gold["quantities"])
        score.quantities.fn += len(gold["quantities"])
        score.facts.fn += len(gold["facts"])
        return score, []
    text = d["text"]
    predicted_quantities = {(q["start"], q["end"]): q for q in d["quantities"]}

    gold_quantities: dict[tuple[int, int], dict[str, Any]] = {}
    for g in gold["quantities"]:
        start = _occurrence(text, g["text"], g["occurrence"])
        if start is None:
            score.errors.append(f"{gold['id']}: gold quantity {g['text']!r} #{g['occurrence']} not in the text")
            score.quantity_spans.fn += 1
            score.quantities.fn += 1
            continue
        gold_quantities[(start, start + len(g["text"]))] = g
    for span, g in gold_quantities.items():
        p = predicted_quantities.get(span)
        if p is None:
            score.quantity_spans.fn += 1
            score.quantities.fn += 1
            score.errors.append(f"{gold['id']}: missed quantity {g['text']!r}")
            continue
        score.quantity_spans.tp += 1
        if _quantity_key(p) == _quantity_key(g):
            score.quantities.tp += 1
        else:
            score.quantities.fn += 1
            score.quantities.fp += 1
            score.errors.append(f"{gold['id']}: quantity {g['text']!r}: got {_quantity_key(p)}, gold {_quantity_key(g)}")
    for span, p in predicted_quantities.items():
        if span not in gold_quantities:
            score.quantity_spans.fp += 1
            score.quantities.fp += 1
            score.errors.append(f"{gold['id']}: spurious quantity {p['text']!r}")

    # Facts: keyed by the start of their quantity.
    key_to_start: dict[str, int] = {}
    gold_facts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for f in gold["facts"]:
        start = _occurrence(text, f["quantity"], f["occurrence"])
        if start is None:
            score.facts.fn += 1
            continue
        key_to_start[f["key"]] = start
        gold_facts[start].append(f)
    predicted_facts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    quantities = d["quantities"]
    for f in d["facts"]:
        predicted_facts[quantities[f["quantity"]]["start"]].append(f)

    canonical = []
    for start in sorted(set(gold_facts) | set(predicted_facts)):
        golds = list(gold_facts.get(start, []))
        predictions = list(predicted_facts.get(start, []))
        pairs = []
        for g in list(golds):  # same region first, then in order
            match = next((p for p in predictions if _region_name(p["region"]) == _region_name(g["region"]) and p["category"] == g["category"]), None)
            if match is None:
                match = next((p for p in predictions if p["category"] == g["category"]), None)
            if match is not None:
                pairs.append((g, match))
                golds.remove(g)
                predictions.remove(match)
        score.facts.tp += len(pairs)
        score.facts.fn += len(golds)
        score.facts.fp += len(predictions)
        for g in golds:
            score.errors.append(f"{gold['id']}: missed fact {g['key']} {g['quantity']!r} ({g['category']})")
        for p in predictions:
            score.errors.append(f"{gold['id']}: spurious fact on {quantities[p['quantity']]['text']!r} ({p['category']})")
        for g, p in pairs:
            got = _attributes(p, d, text)
            want = _gold_attributes(g, key_to_start)
            for attribute in ATTRIBUTES:
                score.attribute_total[attribute] += 1
                if got[attribute] == want[attribute]:
                    score.attribute_right[attribute] += 1
                else:
                    score.errors.append(f"{gold['id']}: {g['key']} {g['quantity']!r} {attribute}: got {got[attribute]!r}, gold {want[attribute]!r}")
    for f in d["facts"]:
        got = _attributes(f, d, text)
        q = quantities[f["quantity"]]
        canonical.append((q["text"], text[: q["start"]].count(q["text"]), f["category"], *(repr(got[a]) for a in ATTRIBUTES)))
    return score, sorted(canonical)


def _region_name(region: dict[str, Any] | None) -> str | None:
    return region["name"] if region else None


def _attributes(fact: dict[str, Any], d: dict[str, Any], text: str) -> dict[str, Any]:
    region = fact["region"]
    threshold = fact["threshold"]
    parent = fact["parent"]
    return {
        "region": (region["name"], region["adcode"]) if region else None,
        "threshold": (_num(threshold["value"]), threshold["qualifier"]) if threshold else None,
        "parent": d["quantities"][d["facts"][parent]["quantity"]]["start"] if parent is not None else None,
        "period": fact["period"],
        "status": fact["status"],
    }


def _gold_attributes(fact: dict[str, Any], key_to_start: dict[str, int]) -> dict[str, Any]:
    region = fact["region"]
    threshold = fact["threshold"]
    return {
        "region": (region["name"], region["adcode"]) if region else None,
        "threshold": (_num(threshold["value"]), threshold["qualifier"]) if threshold else None,
        "parent": key_to_start.get(fact["parent"]) if fact["parent"] else None,
        "period": fact["period"],
        "status": fact["status"],
    }


@dataclass(slots=True)
class Report:
    by_rendering: dict[str, Score]
    total: Score
    inconsistent: list[tuple[str, str]]  # (article id, rendering) whose facts differ from plain

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total.as_dict(),
            "by_rendering": {name: s.as_dict() for name, s in self.by_rendering.items()},
            "inconsistent_renderings": [f"{i}:{r}" for i, r in self.inconsistent],
        }

    def table(self) -> str:
        rows = [("rendering", "qty span F1", "qty F1", "fact P", "fact R", "fact F1", *ATTRIBUTES)]
        for name, s in [*self.by_rendering.items(), ("all", self.total)]:
            rows.append(
                (
                    name,
                    f"{s.quantity_spans.f1:.3f}",
                    f"{s.quantities.f1:.3f}",
                    f"{s.facts.precision:.3f}",
                    f"{s.facts.recall:.3f}",
                    f"{s.facts.f1:.3f}",
                    *(f"{s.accuracy(a):.3f}" for a in ATTRIBUTES),
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        if self.inconsistent:
            lines.append("renderings whose facts differ from the plain article: " + ", ".join(f"{i} ({r})" for i, r in self.inconsistent))
        else:
            lines.append("every rendering gives the same facts as the plain article")
        return "\n".join(lines)


def iter_gold(corpus: Path) -> Iterator[dict[str, Any]]:
    for path in sorted((corpus / "gold").glob("*.json")):
        yield orjson.loads(path.read_bytes())


def evaluate(corpus: str | Path, *, ner: str = "off") -> Report:
    """Score every rendering of every gold-annotated article under ``corpus``."""
    corpus = Path(corpus)
    by_rendering: dict[str, Score] = {}
    total = Score()
    inconsistent: list[tuple[str, str]] = []
    for gold in iter_gold(corpus):
        plain_facts = None
        for name, pattern in RENDERINGS.items():
            path = corpus / pattern.format(id=gold["id"])
            if not path.is_file():
                continue
            doc = extract_file(path, ner=ner)
            score, canonical = score_document(doc, gold)
            by_rendering.setdefault(name, Score()).add(score)
            total.add(score)
            if name == "plain":
                plain_facts = canonical
            elif plain_facts is not None and canonical != plain_facts:
                inconsistent.append((gold["id"], name))
    return Report(by_rendering=by_rendering, total=total, inconsistent=inconsistent)


__all__ = ["Report", "Score", "evaluate", "score_document"]
