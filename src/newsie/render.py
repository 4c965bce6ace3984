"""The article as HTML with entities, quantities and facts highlighted.

:func:`render` draws what displaCy's entity style draws (``spacy.displacy``,
``style="ent"``: coloured marks with a small label after each span), written
here rather than through displaCy because displaCy's entity template can carry
only a colour, a label and the text — no per-span attributes, so neither
tooltips nor the ``data-*`` attributes below. The HTML is self-contained (one
inline ``<style>``, no scripts, fonts or links from elsewhere), so it works
offline, in Jupyter (``Document._repr_html_``) and saved to a file.

Every highlighted span is a ``<mark class="newsie-span">`` with:

======================  ==========================================================
attribute               value
======================  ==========================================================
``data-span``           ``fact`` (a quantity some fact is about), ``quantity``
                        (a quantity no fact uses) or ``entity``
``data-start``,         offsets in ``doc.text``
``data-end``
``data-quantity``       index into ``quantities`` (facts and quantities)
``data-kind``           the quantity's ``kind``: money, count, percent, …
``data-value``          the quantity's value as in the JSON (``40990000``)
``data-unit``,          unit, currency (money) and qualifier of the quantity
``data-currency``,
``data-qualifier``
``data-fact``           index into ``facts`` (several, space-separated, if several
                        facts use one quantity); the first fact gives:
``data-category``,      the fact's category, status and metric
``data-status``,
``data-metric``
``data-region``,        the fact's region (for an entity: its ``norm``), adcode
``data-adcode``,        and path (``湖南省/长沙市/天心区``)
``data-region-path``
``data-entity``,        index into ``entities`` and the entity's label
``data-label``
``title``               the tooltip shown on hover: category, value, region,
                        period and status (or label and region for an entity)
======================  ==========================================================

The label after a span is drawn by CSS from ``data-badge``, so the text
content of ``.newsie-text`` is exactly ``doc.text``. Spans that cross a span
already drawn are skipped (facts win over bare quantities, quantities over
entities); a span inside another is drawn inside it.
"""

from __future__ import annotations

import html
from bisect import bisect_left
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from newsie.model import Document

__all__ = ["render", "CATEGORY_COLORS", "LABEL_COLORS"]

CATEGORY_COLORS = {
    "investment": "#9be89b",
    "funds_in_place": "#c8f08f",
    "foreign_investment": "#8fd3ff",
    "projects": "#ffb3a7",
    "enterprises": "#f5c2ff",
    "activities": "#ffe08a",
    "other": "#dcdcdc",
}
LABEL_COLORS = {
    "GPE": "#feca74",
    "ZONE": "#fddba8",
    "ORG": "#7aecec",
    "GOV": "#bfe1d9",
    "PERSON": "#aa9cfc",
    "DATE": "#e4e7d2",
}
_QUANTITY_COLOR = "#e8ecf6"
_FALLBACK_COLOR = "#dddddd"

_FONTS = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", "SimHei", sans-serif'


def render(doc: Document | Mapping[str, Any], *, page: bool = False, facts_table: bool = True) -> str:
    """HTML of one article with its entities, quantities and facts highlighted.

    ``doc`` is a :class:`~newsie.model.Document` or its contract dict. With
    ``page=True`` the result is a whole HTML page to save to a file; else a
    fragment (a ``<div class="newsie-doc">`` with its own ``<style>``) to embed,
    as Jupyter does with ``Document._repr_html_``. ``facts_table`` adds a table
    of the facts below the text. Text is HTML-escaped; hovering a figure shows
    its category, value, region and status.

    >>> import newsie
    >>> doc = newsie.extract("引进外资4099万美元<b>", id="demo")
    >>> html = newsie.render(doc)
    >>> 'data-value="40990000"' in html and 'data-kind="money"' in html
    True
    >>> "&lt;b&gt;" in html and "<b>" not in html
    True
    >>> newsie.render(doc, page=True).startswith("<!DOCTYPE html>")
    True
    """
    d = doc.to_dict() if isinstance(doc, Document) else doc
    body = _document_html(d, facts_table=facts_table)
    if not page:
        return body
    title = html.escape(str((d.get("meta") or {}).get("title") or d.get("id") or "newsie"))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _document_html(d: Mapping[str, Any], *, facts_table: bool) -> str:
    meta = d.get("meta") or {}
    text = d.get("text") or ""
    quantities = d.get("quantities") or []
    entities = d.get("entities") or []
    facts = d.get("facts") or []
    parts = [f'<div class="newsie-doc" data-doc-id="{_attr(d.get("id"))}">', _style()]
    heading = meta.get("title") or d.get("id") or ""
    if heading:
        parts.append(f'<div class="newsie-title">{html.escape(str(heading))}</div>')
    info = [str(x) for x in (d.get("id"), meta.get("published")) if x]
    info.append(f"{len(entities)} entities · {len(quantities)} quantities · {len(facts)} facts")
    parts.append(f'<div class="newsie-info">{html.escape(" · ".join(info))}</div>')
    if not d.get("ok", True):
        error = d.get("error") or {}
        parts.append(
            f'<div class="newsie-error" data-error-type="{_attr(error.get("type"))}">'
            f"{html.escape(str(error.get('type', 'error')))}: {html.escape(str(error.get('message', '')))}</div>"
        )
    if text or d.get("ok", True):
        parts.append(f'<div class="newsie-text">{_text_html(text, entities, quantities, facts)}</div>')
        parts.append(_legend(entities, quantities, facts))
    if facts_table and facts:
        parts.append(_facts_table(text, quantities, facts))
    for warning in d.get("warnings") or ():
        parts.append(f'<div class="newsie-warning">{html.escape(str(warning))}</div>')
    parts.append("</div>")
    return "\n".join(parts)


# -- spans -------------------------------------------------------------------------


def _text_html(text: str, entities: list, quantities: list, facts: list) -> str:
    facts_of: dict[int, list[int]] = {}
    for i, f in enumerate(facts):
        if isinstance(f.get("quantity"), int):
            facts_of.setdefault(f["quantity"], []).append(i)
    candidates = []  # (priority, start, end, open tag); lower priority number wins a crossing
    for i, q in enumerate(quantities):
        fs = facts_of.get(i, [])
        candidates.append((0 if fs else 1, q.get("start"), q.get("end"), lambda i=i, q=q, fs=fs: _quantity_tag(i, q, fs, facts, quantities)))
    for i, e in enumerate(entities):
        candidates.append((2, e.get("start"), e.get("end"), lambda i=i, e=e: _entity_tag(i, e)))
    accepted: list[tuple[int, int, Any]] = []  # sorted by (start, -end)
    for _, start, end, tag in sorted(candidates, key=lambda c: c[0]):
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            continue
        if any(_crosses(start, end, s, e) for s, e, _ in _neighbours(accepted, start, end)):
            continue
        key = (start, -end)
        accepted.insert(bisect_left([(s, -e) for s, e, _ in accepted], key), (start, end, tag))
    out: list[str] = []
    pos = 0
    stack: list[int] = []
    for start, end, tag in accepted:
        while stack and stack[-1] <= start:
            close = stack.pop()
            out.append(html.escape(text[pos:close]) + "</mark>")
            pos = close
        out.append(html.escape(text[pos:start]) + tag())
        pos = start
        stack.append(end)
    while stack:
        close = stack.pop()
        out.append(html.escape(text[pos:close]) + "</mark>")
        pos = close
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _neighbours(accepted, start, end):
    # Spans overlap [start, end) only if they start before end; the list is
    # short (one article), a linear scan is plenty.
    return [a for a in accepted if a[0] < end and start < a[1]]


def _crosses(s1: int, e1: int, s2: int, e2: int) -> bool:
    """True when two overlapping spans are not nested (or are the same span)."""
    if (s1, e1) == (s2, e2):
        return True
    nested = (s1 <= s2 and e2 <= e1) or (s2 <= s1 and e1 <= e2)
    return not nested


def _quantity_tag(i: int, q: Mapping[str, Any], fact_indexes: list[int], facts: list, quantities: list) -> str:
    attrs: dict[str, Any] = {
        "data-span": "fact" if fact_indexes else "quantity",
        "data-start": q.get("start"),
        "data-end": q.get("end"),
        "data-quantity": i,
        "data-kind": q.get("kind"),
        "data-value": q.get("value"),
        "data-unit": q.get("unit"),
        "data-currency": q.get("currency"),
        "data-qualifier": q.get("qualifier"),
    }
    classes = ["newsie-span"]
    if fact_indexes:
        f = facts[fact_indexes[0]]
        region = f.get("region") or {}
        category = f.get("category")
        attrs.update({
            "data-fact": " ".join(map(str, fact_indexes)),
            "data-category": category,
            "data-status": f.get("status"),
            "data-metric": f.get("metric"),
            "data-region": region.get("name"),
            "data-adcode": region.get("adcode"),
            "data-region-path": "/".join(region.get("path") or ()) or None,
            "data-badge": category if f.get("status") != "target" else f"{category} · target",
        })
        color = CATEGORY_COLORS.get(category, _FALLBACK_COLOR)
        classes.append("newsie-fact")
        if f.get("status") == "target":
            classes.append("newsie-target")
        title = "\n\n".join(_fact_tooltip(j, facts[j], q, quantities) for j in fact_indexes)
    else:
        color = _QUANTITY_COLOR
        classes.append("newsie-quantity")
        attrs["data-badge"] = q.get("kind")
        title = "\n".join([f"{q.get('kind')}: {_value_text(q)}", "category: none (no fact uses this figure)"])
    attrs["title"] = title
    return _open_mark(classes, color, attrs)


def _entity_tag(i: int, e: Mapping[str, Any]) -> str:
    norm = e.get("norm") or {}
    label = e.get("label")
    attrs = {
        "data-span": "entity",
        "data-start": e.get("start"),
        "data-end": e.get("end"),
        "data-entity": i,
        "data-label": label,
        "data-region": norm.get("name"),
        "data-adcode": norm.get("adcode"),
        "data-region-path": "/".join(norm.get("path") or ()) or None,
        "data-badge": label,
    }
    lines = [f"{label}: {e.get('text')}"]
    if norm:
        lines.append(f"region: {_region_text(norm)}")
    attrs["title"] = "\n".join(lines)
    return _open_mark(["newsie-span", "newsie-entity"], LABEL_COLORS.get(str(label), _FALLBACK_COLOR), attrs)


def _open_mark(classes: list[str], color: str, attrs: Mapping[str, Any]) -> str:
    rendered = "".join(f' {name}="{_attr(value)}"' for name, value in attrs.items() if value is not None)
    return f'<mark class="{" ".join(classes)}" style="background: {color}"{rendered}>'


def _fact_tooltip(j: int, f: Mapping[str, Any], q: Mapping[str, Any], quantities: list) -> str:
    lines = [f"fact {j} · {f.get('category')}" + (f" ({f['metric']})" if f.get("metric") else "")]
    lines.append(f"value: {_value_text(q)}")
    if f.get("subject"):
        lines.append(f"subject: {f['subject']}")
    lines.append(f"region: {_region_text(f.get('region'))}")
    threshold = f.get("threshold")
    if threshold:
        lines.append(f"threshold: {_qualifier_text(threshold.get('qualifier'))}{_amount(threshold.get('value'), threshold.get('currency'))}")
    if f.get("period"):
        lines.append(f"period: {f['period']}")
    lines.append(f"status: {f.get('status')}")
    if f.get("parent") is not None:
        lines.append(f"part of fact {f['parent']} (其中)")
    return "\n".join(lines)


def _region_text(region: Mapping[str, Any] | None) -> str:
    if not region:
        return "unknown"
    out = str(region.get("name"))
    if region.get("adcode"):
        out += f" [{region['adcode']}]"
    if region.get("path") and list(region["path"]) != [region.get("name")]:
        out += " " + "/".join(region["path"])
    return out


def _value_text(q: Mapping[str, Any]) -> str:
    value = q.get("value")
    if value is None:
        return "unknown"
    kind = q.get("kind")
    qualifier = _qualifier_text(q.get("qualifier"))
    if q.get("qualifier") == "range" and q.get("low") is not None and q.get("high") is not None:
        return f"{_amount(q['low'], q.get('currency'))} – {_amount(q['high'], q.get('currency'))}" + (
            f" {q.get('unit')}" if kind != "money" and q.get("unit") else "")
    if kind == "money":
        return f"{qualifier}{_amount(value, q.get('currency'))} = {value}"
    if kind == "percent":
        return f"{qualifier}{value}%"
    return f"{qualifier}{value}" + (f" {q['unit']}" if q.get("unit") else "")


def _amount(value: Any, currency: str | None) -> str:
    """``23500000000, "CNY"`` → ``"235亿 CNY"``: money as a reader of the article writes it."""
    if value is None:
        return "?"
    v = Decimal(str(value))
    for size, word in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
        if abs(v) >= size:
            text = format((v / size).normalize(), "f") + word
            break
    else:
        text = format(v.normalize(), "f")
    return f"{text} {currency}" if currency else text


_QUALIFIERS = {"approx": "≈", "at_least": "≥", "more_than": ">", "at_most": "≤", "less_than": "<"}


def _qualifier_text(qualifier: str | None) -> str:
    return _QUALIFIERS.get(qualifier or "", "")


# -- legend, table, style --------------------------------------------------------------


def _legend(entities: list, quantities: list, facts: list) -> str:
    items = []
    for category in dict.fromkeys(f.get("category") for f in facts):
        items.append((CATEGORY_COLORS.get(category, _FALLBACK_COLOR), str(category)))
    if len({f.get("quantity") for f in facts}) < len(quantities):
        items.append((_QUANTITY_COLOR, "quantity (no fact)"))
    for label in dict.fromkeys(e.get("label") for e in entities):
        items.append((LABEL_COLORS.get(str(label), _FALLBACK_COLOR), str(label)))
    if not items:
        return ""
    keys = "".join(f'<span class="newsie-key" style="background: {color}">{html.escape(name)}</span>' for color, name in items)
    return f'<div class="newsie-legend">{keys}</div>'


def _facts_table(text: str, quantities: list, facts: list) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("#", "category", "metric", "figure", "value", "region", "period", "status", "parent", "evidence"))
    rows = []
    for i, f in enumerate(facts):
        qi = f.get("quantity")
        q = quantities[qi] if isinstance(qi, int) and 0 <= qi < len(quantities) else {}
        evidence = f.get("evidence") or [0, 0]
        region = f.get("region") or {}
        cells = [
            f.get("metric") or "",
            q.get("text", ""),
            _value_text(q) if q else "",
            (region.get("name") or "") + (f" [{region['adcode']}]" if region.get("adcode") else ""),
            f.get("period") or "",
            f.get("status") or "",
            "" if f.get("parent") is None else str(f["parent"]),
            text[evidence[0]:evidence[1]] if len(evidence) == 2 else "",
        ]
        category = f.get("category")
        rows.append(
            f'<tr data-fact="{i}" data-category="{_attr(category)}">'
            f'<td>{i}</td><td><span class="newsie-key" style="background: {CATEGORY_COLORS.get(category, _FALLBACK_COLOR)}">'
            f"{html.escape(str(category))}</span></td>"
            + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
            + "</tr>"
        )
    return f'<table class="newsie-facts"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _attr(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _style() -> str:
    return (
        "<style>"
        f".newsie-doc{{font-family:{_FONTS};color:#222;max-width:60em;line-height:2.3;font-size:15px}}"
        ".newsie-doc .newsie-title{font-size:1.25em;font-weight:600;line-height:1.5}"
        ".newsie-doc .newsie-info{color:#777;font-size:.8em;line-height:1.6;margin-bottom:.4em}"
        ".newsie-doc .newsie-text{white-space:pre-wrap}"
        ".newsie-doc mark.newsie-span{color:inherit;padding:.2em .35em;margin:0 .1em;border-radius:.35em;"
        "line-height:1;box-decoration-break:clone;-webkit-box-decoration-break:clone;cursor:help}"
        ".newsie-doc mark.newsie-span::after{content:attr(data-badge);font-size:.6em;font-weight:700;"
        "text-transform:uppercase;vertical-align:middle;margin-left:.45em;opacity:.75}"
        ".newsie-doc mark.newsie-quantity{border:1px solid #b7c0d8}"
        ".newsie-doc mark.newsie-target{outline:2px dashed #555;outline-offset:-1px}"
        ".newsie-doc mark.newsie-span mark.newsie-span{padding:.1em .2em}"
        ".newsie-doc .newsie-legend{font-size:.75em;line-height:1.8;margin:.6em 0}"
        ".newsie-doc .newsie-key{padding:.1em .5em;margin-right:.4em;border-radius:.3em;white-space:nowrap}"
        ".newsie-doc .newsie-error{background:#fde2e1;border-left:4px solid #d33;padding:.3em .6em;line-height:1.5}"
        ".newsie-doc .newsie-warning{color:#8a6d00;font-size:.8em;line-height:1.5}"
        ".newsie-doc table.newsie-facts{border-collapse:collapse;font-size:.8em;line-height:1.4;margin-top:.6em}"
        ".newsie-doc table.newsie-facts th,.newsie-doc table.newsie-facts td{border-bottom:1px solid #ddd;"
        "padding:.25em .5em;text-align:left;vertical-align:top}"
        ".newsie-doc table.newsie-facts td:last-child{max-width:24em;color:#555}"
        "</style>"
    )
