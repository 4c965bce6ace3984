"""Read what scrapers leave behind: bytes in any common Chinese encoding, as
plain text, HTML pages, JSON objects or JSON lines.

The output of this stage is a :class:`RawArticle` per article: the decoded
plain text the rest of the pipeline indexes into (for HTML, the headline and
the article body only), with what was learnt on the way (encoding, format,
title, publication date). Failures are values, not exceptions: a
``RawArticle`` with ``error`` set, so that one bad file never stops a batch.
"""

from __future__ import annotations

import codecs
import os
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import orjson
import regex
from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsie.model import ReadError
from newsie.resources import pattern_path

FORMATS = ("txt", "html", "json", "jsonl")
_HTML_TAG = regex.compile(r"<(?:body|div|p|head|title|article)[\s>]")
_NOT_A_HEADLINE = regex.compile(r"[。；;]|[！？!?]$")
_SPACES = regex.compile(r"\s+")
_TITLE_SEPARATOR = regex.compile(r"\s*[-_|–—]\s*")
_EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
}


@dataclass(slots=True)
class RawArticle:
    """One article as read, before normalization."""

    id: str | None
    text: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: ReadError | None = None


class ReadFailure(Exception):
    """Raised inside this module; turned into ``RawArticle.error`` at its edge."""

    def __init__(self, type: str, message: str) -> None:
        super().__init__(message)
        self.type = type
        self.message = message


# --------------------------------------------------------------------------- files


def read_path(path: str | os.PathLike[str], *, id: str | None = None, format: str = "auto") -> Iterator[RawArticle]:
    """Read one file: one article, or one per line of a JSON-lines file.

    ``id`` defaults to the path as given; JSON-lines articles get their own
    ``id``/``url`` field or ``ID:LINE``.
    """
    path = Path(path)
    doc_id = id if id is not None else str(path)
    meta = {"path": str(path)}
    try:
        data = _read_bytes_of(path)
    except ReadFailure as failure:
        yield RawArticle(id=doc_id, meta=meta, error=ReadError(failure.type, failure.message))
        return
    fmt = format if format != "auto" else _EXTENSIONS.get(path.suffix.lower(), "auto")
    yield from read_bytes(data, id=doc_id, path=str(path), format=fmt)


def _read_bytes_of(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadFailure("not_found", f"{path}: no such file (was it moved or deleted during the run?)") from None
    except PermissionError:
        raise ReadFailure("permission_denied", f"{path}: permission denied; check the file's read permission") from None
    except IsADirectoryError:
        raise ReadFailure("is_directory", f"{path}: is a folder; give the folder itself to read every article in it") from None
    except OSError as e:
        if e.errno == 40:  # ELOOP
            raise ReadFailure("symlink_loop", f"{path}: symbolic link loop; fix or remove the link") from None
        raise ReadFailure("os_error", f"{path}: cannot be read ({e.strerror})") from None


def read_bytes(data: bytes, *, id: str | None = None, path: str | None = None, format: str = "auto") -> Iterator[RawArticle]:
    """Read articles from raw bytes; ``format`` is ``auto`` or one of ``FORMATS``."""
    meta: dict[str, Any] = {"path": path} if path else {}
    try:
        _reject_unreadable(data)
        decoded = decode(data)
    except ReadFailure as failure:
        yield RawArticle(id=id, meta=meta, error=ReadError(failure.type, failure.message))
        return
    meta["encoding"] = decoded.encoding
    # Bytes that decoded strictly as UTF-8 (no warning: none replaced) are
    # what the HTML parser would re-encode the text into: handing them over
    # saves that (~60k instructions a page).
    utf8 = data if decoded.encoding == "utf-8" and not decoded.warnings else None
    yield from _read_decoded(decoded.text, id=id, meta=meta, format=format, warnings=decoded.warnings, utf8=utf8)


def read_text(
    text: str,
    *,
    id: str | None = None,
    meta: dict[str, Any] | None = None,
    format: str = "auto",
    warnings: list[str] | None = None,
) -> Iterator[RawArticle]:
    """Read articles from already decoded text."""
    return _read_decoded(text, id=id, meta=meta, format=format, warnings=warnings, utf8=None)


def _read_decoded(
    text: str,
    *,
    id: str | None,
    meta: dict[str, Any] | None,
    format: str,
    warnings: list[str] | None,
    utf8: bytes | None,
) -> Iterator[RawArticle]:
    """:func:`read_text`, given the text's UTF-8 bytes too when the input was exactly those."""
    meta = dict(meta or {})
    meta.setdefault("encoding", None)
    warnings = list(warnings or [])
    fmt = format if format != "auto" else sniff_format(text)
    if fmt not in FORMATS:
        yield RawArticle(id=id, meta=meta, error=ReadError("usage", f"unknown format {format!r}; use one of auto, {', '.join(FORMATS)}"))
        return
    meta["format"] = fmt
    if fmt == "jsonl":
        yield from _read_jsonl(text, id=id, meta=meta, warnings=warnings)
        return
    try:
        if fmt == "json":
            yield from _read_json(text, id=id, meta=meta, warnings=warnings)
            return
        if fmt == "html":
            article = _read_html(text, id=id, meta=meta, utf8=utf8)
        else:
            # The title of plain text is read after normalization (see
            # newsie.pipeline): pinyin annotations would hide it here.
            article = RawArticle(id=id, text=text, meta=meta)
            article.meta["title"] = None
            article.meta["published"] = None
    except ReadFailure as failure:
        yield RawArticle(id=id, meta=meta, warnings=warnings, error=ReadError(failure.type, failure.message))
        return
    article.warnings[:0] = warnings
    yield _checked(article)


def sniff_format(text: str) -> str:
    """Guess the format of decoded text with no file extension to go by."""
    head = text.lstrip()[:2048]
    if head.startswith("{"):
        first_line = text.lstrip().split("\n", 1)[0].strip()
        rest = text.lstrip()[len(first_line):].strip()
        if first_line.endswith("}") and rest.startswith("{"):
            return "jsonl"
        return "json"
    if head.startswith("[") and head[1:].lstrip().startswith("{"):
        return "json"
    # Every HTML marker starts with "<" (and no character lowercases to one):
    # plain text without it is settled before paying for a lowercase copy,
    # and a page's opening is read before lowering all 2 KB. (Lowering never
    # shortens a string, so the first 14 characters decide the prefix test.)
    if "<" not in head:
        return "txt"
    if head[:14].lower().startswith(("<!doctype html", "<html", "<?xml")) or _HTML_TAG.search(head.lower()):
        return "html"
    return "txt"


def _checked(article: RawArticle) -> RawArticle:
    if article.error is None and (not article.text or article.text.isspace()):  # strip() would copy the text
        article.error = ReadError("empty", "no article text found: the input is empty or holds only markup")
    return article


# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: list[str]


_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x7fELF": "a program",
    b"SQLite format 3": "an SQLite database",
}
_MAGIC_PREFIXES = tuple(_MAGIC)


# Bytes that never appear in text files (tab, newlines, form feed and ESC aside).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))


def _reject_unreadable(data: bytes) -> None:
    if not data or data.isspace():  # what strip() would empty, without copying the file
        raise ReadFailure("empty", "the file is empty")
    if data.startswith(_MAGIC_PREFIXES):  # one test for the common case: none matches
        what = next(what for magic, what in _MAGIC.items() if data.startswith(magic))
        raise ReadFailure("binary", f"this is {what}, not an article; newsie reads .txt, .html, .json and .jsonl")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data):
        return
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample.find(b"\x00") >= 0 or controls > len(sample) // 20:
        raise ReadFailure("binary", "this looks like a binary file (control bytes), not an article; newsie reads .txt, .html, .json and .jsonl")


def _looks_utf16(data: bytes) -> bool:
    return _utf16_without_bom(data) is not None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the bytes read well as that, else None.

    Zero bytes alone cannot tell: Chinese text in UTF-16 has few of them. So
    both byte orders are decoded and the one that reads as ordinary text wins.
    """
    # find() rather than `in`: no copy of the slice, and `in` first tries the
    # operand as an int and builds (then drops) a TypeError.
    if len(data) % 2 or data.find(b"\x00", 0, 8192) < 0:
        return None
    best, best_score = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:8192].decode(encoding)
        except UnicodeDecodeError:
            continue
        common = _common_han()
        ordinary = sum(1 for ch in text if ch in common or (ch.isascii() and (ch.isprintable() or ch in "\r\n\t")) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
        score = ordinary / max(1, len(text))
        if score > best_score:
            best, best_score = encoding, score
    return best if best_score >= 0.8 else None


@cache
def _common_han() -> frozenset[str]:
    """Han characters in everyday use: GB2312 level 1 and Big5's frequent set.

    A wrong decode of Chinese bytes produces rare characters, so the share of
    common ones tells which of two clean decodes is right.
    """
    chars: set[str] = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for hi in range(0xA4, 0xC7):
        for lo in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            try:
                chars.add(bytes([hi, lo]).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


_CHINESE_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》【】—…·「」『』〔〕　")


@cache
def _rare_table() -> list[str | None]:
    """A ``str.translate`` table that keeps only rare non-ASCII characters.

    ASCII, everyday Han characters and Chinese punctuation map to None
    (deleted); every other BMP character to "x". Characters beyond the BMP
    fall off the end of the list, and translate keeps what it cannot look up,
    so they count as rare too (none of them is common).
    """
    keep: list[str | None] = ["x"] * 0x10000
    for ch in _common_han() | _CHINESE_PUNCTUATION:
        keep[ord(ch)] = None
    keep[:0x80] = [None] * 0x80
    return keep


def _common_share(text: str) -> float:
    """Share of the non-ASCII characters that are everyday Chinese characters or punctuation.

    A wrong decode shows as rare characters, private-use code points or kana.
    Counted with C-level string methods: this runs on every non-UTF-8 article.
    """
    sample = text[:20000]
    others = len(sample) - len(sample.encode("ascii", errors="ignore"))
    if not others:
        return 1.0
    rare = len(sample.translate(_rare_table()))
    return (others - rare) / others


def decode(data: bytes) -> Decoded:
    """Decode article bytes: UTF-8 (BOM or not), UTF-16, GB18030/GBK, Big5.

    Strict decodes are tried first; when more than one succeeds, the one whose
    Han characters are most often everyday characters wins. Bytes nothing
    decodes cleanly go to charset-normalizer, then to GB18030 with
    replacement characters and a warning.
    """
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8-sig", _replacement_warning(data[3:], "utf-8"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16", errors="replace"), "utf-16", [])
    encoding16 = _utf16_without_bom(data)
    if encoding16:
        return Decoded(data.decode(encoding16, errors="replace"), encoding16, [])
    try:
        return Decoded(data.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError:
        pass
    clean: list[tuple[float, str, str]] = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        clean.append((_common_share(text), encoding, text))
    # UTF-8 with a few bad sequences (a truncated or corrupted character, an
    # encoded surrogate) still reads as UTF-8, where GB18030 — which decodes
    # nearly any bytes — would turn the whole article into mojibake.
    mostly_utf8 = data.decode("utf-8", errors="replace")
    bad = mostly_utf8.count("\ufffd")
    if bad <= max(4, len(mostly_utf8) // 200):  # one bad sequence can be up to 4 replacements
        clean.append((_common_share(mostly_utf8), "utf-8", mostly_utf8))
    if clean:
        share, encoding, text = max(clean)
        warnings = [] if share >= 0.8 else [f"decoded as {encoding}, but many characters are rare ({share:.0%} common): the text may be garbled"]
        if encoding == "utf-8":
            warnings.append(f"undecodable bytes in UTF-8 text replaced by {text.count(chr(0xFFFD))} U+FFFD")
        return Decoded(text, encoding, warnings)
    return _decode_damaged(data)


def _decode_damaged(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["utf_8", "gb18030", "big5", "utf_16"]).best()
    if best is not None and best.encoding:
        encoding = codecs.lookup(best.encoding).name
        text = data.decode(encoding, errors="replace")
    else:
        # Invalid in every candidate: keep what GB18030 or UTF-8 can read.
        candidates = [(data.decode(enc, errors="replace"), enc) for enc in ("utf-8", "gb18030")]
        text, encoding = min(candidates, key=lambda c: c[0].count("\ufffd"))
    bad = text.count("\ufffd")
    if bad and bad > len(text) // 10:
        raise ReadFailure(
            "decode_error",
            f"cannot decode the bytes as UTF-8, GB18030, Big5 or UTF-16 ({bad} of {len(text)} characters unreadable); "
            "re-save the file in one of these encodings",
        )
    warnings = [f"{bad} undecodable byte sequences replaced by U+FFFD (decoded as {encoding})"] if bad else []
    return Decoded(text, encoding, warnings)


def _replacement_warning(data: bytes, encoding: str) -> list[str]:
    try:
        data.decode(encoding)
        return []
    except UnicodeDecodeError:
        return [f"undecodable bytes in {encoding} text replaced by U+FFFD"]


# --------------------------------------------------------------------------- plain text


def title_of_plain_text(text: str) -> str | None:
    """The first line, when it reads like a headline: short, no full stop, more lines after it."""
    first, _, rest = text.lstrip().partition("\n")
    first = first.strip()
    if rest.strip() and 6 <= len(first) <= 40 and not _NOT_A_HEADLINE.search(first):
        return first
    return None


# --------------------------------------------------------------------------- JSON


_TEXT_KEYS = ("text", "content", "body", "article", "正文", "内容", "html")
_TITLE_KEYS = ("title", "headline", "标题")
_DATE_KEYS = ("published", "date", "pubdate", "pub_date", "publish_time", "publish_date", "time", "datetime", "发布时间", "日期")
_ID_KEYS = ("id", "url", "link")


def _json_loads(text: str) -> Any:
    """orjson, or the standard library's parser for text orjson refuses only
    for a lone UTF-16 surrogate escape (\\ud800 without its pair), which
    scrapers' dumps do contain; normalization replaces it by U+FFFD."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as e:
        if "surrogate" not in str(e):
            raise
        import json

        try:
            return json.loads(text)
        except ValueError:
            raise e from None


def _read_json(text: str, *, id: str | None, meta: dict[str, Any], warnings: list[str]) -> Iterator[RawArticle]:
    try:
        value = _json_loads(text)
    except orjson.JSONDecodeError as e:
        raise ReadFailure("malformed_json", f"not valid JSON ({e}); fix the file or give it a .txt extension") from None
    if isinstance(value, list):
        for index, item in enumerate(value):
            item_id = _own_id(item) or f"{id}:{index}"
            yield _article_from_json(item, id=item_id, meta=dict(meta), warnings=list(warnings))
        return
    yield _article_from_json(value, id=id, meta=meta, warnings=warnings)


def _read_jsonl(text: str, *, id: str | None, meta: dict[str, Any], warnings: list[str]) -> Iterator[RawArticle]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        line_meta = dict(meta, line=number)
        fallback_id = f"{id}:{number}"
        try:
            value = _json_loads(line)
        except orjson.JSONDecodeError as e:
            yield RawArticle(
                id=fallback_id,
                meta=line_meta,
                error=ReadError("malformed_json", f"line {number} is not valid JSON ({e}); the other lines were read"),
            )
            continue
        yield _article_from_json(value, id=_own_id(value) or fallback_id, meta=line_meta, warnings=list(warnings))


def _own_id(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in _ID_KEYS:
            if isinstance(value.get(key), (str, int)) and str(value[key]).strip():
                return str(value[key])
    return None


def _article_from_json(value: Any, *, id: str | None, meta: dict[str, Any], warnings: list[str]) -> RawArticle:
    if not isinstance(value, dict):
        return RawArticle(id=id, meta=meta, error=ReadError("no_text", "the JSON value is not an object with a text field"))
    body = next((value[k] for k in _TEXT_KEYS if isinstance(value.get(k), str) and value[k].strip()), None)
    if body is None:
        keys = ", ".join(_TEXT_KEYS[:4])
        return RawArticle(id=id, meta=meta, error=ReadError("no_text", f"the JSON object has no text field (looked for {keys}, …)"))
    title = next((value[k].strip() for k in _TITLE_KEYS if isinstance(value.get(k), str) and value[k].strip()), None)
    published = next((iso_date(str(value[k])) for k in _DATE_KEYS if value.get(k)), None)
    url = value.get("url") or value.get("link")
    if url:
        meta["url"] = url
    if sniff_format(body) == "html":
        article = _read_html(body, id=id, meta=meta)
        article.meta["title"] = title or article.meta.get("title")
        article.meta["published"] = published or article.meta.get("published")
    else:
        # The headline leads the text, as for an HTML page, unless the body already starts with it.
        first_line = body.lstrip().split("\n", 1)[0].strip()
        text = body if not title or _same_text(first_line, title) else f"{title}\n{body}"
        article = RawArticle(id=id, text=text, meta=meta)
        article.meta["title"] = title
        article.meta["published"] = published
    article.warnings[:0] = warnings
    return _checked(article)


# --------------------------------------------------------------------------- HTML


@dataclass(frozen=True, slots=True)
class _HtmlRules:
    drop_tags: frozenset[str]
    boilerplate: regex.Pattern[str]
    info_line: regex.Pattern[str]
    date_meta: tuple[str, ...]
    date_cue: regex.Pattern[str]


@cache
def _html_rules() -> _HtmlRules:
    with open(pattern_path("html.toml"), "rb") as f:
        data = tomllib.load(f)
    words = "|".join(regex.escape(w) for w in sorted(data["boilerplate_words"], key=len, reverse=True))
    cues = "|".join(regex.escape(c) for c in data["date_cues"])
    return _HtmlRules(
        drop_tags=frozenset(data["drop_tags"]),
        # a word of a class/id, delimited by start/end, -, _, space or a digit
        boilerplate=regex.compile(rf"(?:^|[\s_\-])(?:{words})(?:$|[\s_\-\d])", regex.IGNORECASE),
        info_line=regex.compile("|".join(f"(?:{p})" for p in data["info_line_patterns"])),
        date_meta=tuple(m.lower() for m in data["date_meta"]),
        date_cue=regex.compile(rf"(?:{cues})\s*[:：]?\s*(20\d\d|19\d\d)\s*[-/年.]\s*(\d{{1,2}})\s*[-/月.]\s*(\d{{1,2}})"),
    )


_HAN_RUN = regex.compile(r"\p{Han}+")


def _han_counts(texts: list[str]) -> list[int]:
    """The number of Han characters (the regex's ``\\p{Han}``) in each text.

    All texts at once, with bytes operations on their UTF-16 code units: a
    regex match per run of Han characters costs more than the rest of the
    paragraph scoring. Text beyond the BMP (rare) is left to the regex.
    """
    joined = "\n".join(texts)
    units = joined.encode("utf-16-be", "surrogatepass")
    if len(units) != 2 * len(joined):  # surrogate pairs: units no longer match characters
        return [sum(map(len, _HAN_RUN.findall(text))) for text in texts]
    is_han = _han_mask(units)
    counts: list[int] = []
    start = 0
    for text in texts:
        counts.append(is_han.count(1, start, start + len(text)))
        start += len(text) + 1
    return counts


def _han_mask(units: bytes) -> bytes:
    """One byte per UTF-16 code unit: 1 for a Han character, else 0.

    The high byte of a unit names a block of 256 code points. Most blocks
    are all Han or hold none; for the few partly Han ones (CJK punctuation
    with 〇 and 々, radicals, compatibility ideographs) the low byte decides,
    combined with the high byte through big-integer ``&``.
    """
    whole, partial = _han_blocks()
    high = units[::2]
    mask = int.from_bytes(high.translate(whole), "big")
    present = [block for block in partial if block in high]
    low = units[1::2] if present else b""
    for block in present:
        in_block, han_low = partial[block]
        mask |= int.from_bytes(high.translate(in_block), "big") & int.from_bytes(low.translate(han_low), "big")
    return mask.to_bytes(len(high), "big")


@cache
def _han_blocks() -> tuple[bytes, dict[int, tuple[bytes, bytes]]]:
    """``bytes.translate`` tables for :func:`_han_mask`, read off the regex's own ``\\p{Han}``.

    ``whole`` maps a high byte to 1 when all its block is Han. ``partial``
    maps each partly Han block to a table marking that high byte and one
    marking the low bytes that are Han in it.
    """
    whole = bytearray(256)
    partial: dict[int, tuple[bytes, bytes]] = {}
    for high in range(256):
        if 0xD8 <= high <= 0xDF:
            continue  # surrogates: never Han on their own
        block = "".join(chr(high << 8 | low) for low in range(256))
        han_low = bytearray(256)
        for run in _HAN_RUN.finditer(block):
            han_low[run.start():run.end()] = b"\x01" * len(run.group())
        if all(han_low):
            whole[high] = 1
        elif any(han_low):
            partial[high] = (bytes(int(b == high) for b in range(256)), bytes(han_low))
    return bytes(whole), partial


# Elements that end a line of text (inline ones like <span> and <font> do not).
_BLOCK_TAGS = {"p", "div", "section", "article", "li", "td", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "br", "tr", "table", "ul", "ol", "main", "center"}


def _read_html(html: str, *, id: str | None, meta: dict[str, Any], utf8: bytes | None = None) -> RawArticle:
    """Headline and article body of a news page; page furniture left out.

    ``utf8``, when given, is ``html`` encoded as UTF-8 (what the parser reads).
    """
    rules = _html_rules()
    tree = LexborHTMLParser(utf8 if utf8 is not None else html)
    title = _html_title(tree)
    published = _html_published(tree, rules)
    body_node = tree.body
    if body_node is None:
        raise ReadFailure("no_text", "the HTML page has no body")
    # One walk for all dropped tags, by name: the same elements a selector
    # of twenty tag names matches, at less than half its cost (~140k
    # instructions a page). The walk is listed before anything is removed:
    # decompose() takes a subtree apart, which would end a running walk.
    # Nested matches are fine: removing an element already inside a removed
    # one is a no-op, and the tree left is the same as removing tag after tag.
    drop_tags = rules.drop_tags
    for node in list(body_node.traverse()):
        if node.tag in drop_tags:
            node.decompose()
    for node in body_node.css("[class], [id]"):
        if _is_furniture(node):
            node.decompose()
    container = _best_container(body_node)
    paragraphs = _paragraphs(container if container is not None else body_node)
    lines = [p for p in paragraphs if not (len(p) < 80 and rules.info_line.search(p))]
    if title and lines and _same_text(lines[0], title):
        lines = lines[1:]
    heading = title or ""
    text = "\n".join(([heading] if heading else []) + lines)
    meta["title"] = title
    meta["published"] = published
    return RawArticle(id=id, text=text, meta=meta)


def _same_text(a: str, b: str) -> bool:
    return _SPACES.sub("", a) == _SPACES.sub("", b)


def _is_furniture(node: LexborNode) -> bool:
    attributes = node.attributes
    names = " ".join(v for k, v in attributes.items() if k in ("class", "id") and v)
    if not names or not _names_furniture(names):
        return False
    # Never drop the element that holds most of the page's text (a site that
    # calls its article block "content-info" must still be read).
    own = len(node.text(deep=True, separator="", strip=True))
    return own < 400 or _link_density(node, own) > 0.3


@lru_cache(maxsize=4096)
def _names_furniture(names: str) -> bool:
    """Whether class/id names contain a boilerplate word.

    Cached: a site repeats the same few names on every page, and the search
    (an alternation of some fifty words, case-insensitive) is slow next to a lookup.
    """
    return _html_rules().boilerplate.search(names) is not None


def _link_density(node: LexborNode, text_length: int) -> float:
    linked = sum(len(a.text(deep=True, separator="", strip=True)) for a in node.css("a"))
    return linked / (text_length or 1)


def _best_container(body: LexborNode) -> LexborNode | None:
    """The element whose own paragraphs hold the most Chinese text.

    Readability's idea: each paragraph (<p> or <pre>) gives its Han character
    count to its parent (and half to the grandparent); the highest score wins.
    Only <p> and <pre> score: div, section, article and td used to be scored
    when they held no such block, but selectolax matches an element against
    its own css_first(), so that test always found one and skipped them.
    """
    linked = _link_text_below(body)
    paragraphs = body.css("p, pre")
    texts = [p.text(deep=True, separator="", strip=True) for p in paragraphs]
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for p, text, han in zip(paragraphs, texts, _han_counts(texts)):
        if han < 10 or linked.get(p.mem_id, 0) / (len(text) or 1) > 0.5:  # mostly links
            continue
        parent = p.parent
        weight = float(han)
        for share in (1.0, 0.5):
            if parent is None:
                break
            key = parent.mem_id
            scores[key] = scores.get(key, 0.0) + weight * share
            nodes[key] = parent
            parent = parent.parent
    if not scores:
        return None
    return nodes[max(scores, key=scores.__getitem__)]


def _link_text_below(body: LexborNode) -> dict[int, int]:
    """Length of the link text inside each element (by ``mem_id``).

    One query and a walk up from each of the few links left after the
    furniture is gone, instead of a css("a") query per paragraph.
    """
    linked: dict[int, int] = {}
    for a in body.css("a"):
        length = len(a.text(deep=True, separator="", strip=True))
        node = a.parent
        while node is not None:
            linked[node.mem_id] = linked.get(node.mem_id, 0) + length
            node = node.parent
    return linked


def _paragraphs(node: LexborNode) -> list[str]:
    """The text of ``node`` split at block elements and <br>, one line each."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = "".join(current).strip()
        if line:
            lines.append(_single_spaced(line))
        current.clear()

    def walk(n: LexborNode) -> None:
        for child in n.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                current.append(child.text_content or "")
            elif tag in _BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(node)
    flush()
    return lines


def _single_spaced(line: str) -> str:
    """``_SPACES.sub(" ", line)`` for a stripped line, with C-level str methods.

    str.split() breaks at the regex's \\s characters and at the information
    separators U+001C-U+001F besides, so those few lines keep the regex.
    """
    if "\x1c" in line or "\x1d" in line or "\x1e" in line or "\x1f" in line:
        return _SPACES.sub(" ", line)
    return " ".join(line.split())


def _html_title(tree: LexborHTMLParser) -> str | None:
    body = tree.body
    h1 = body.css_first("h1") if body is not None else None
    if h1 is not None:
        text = h1.text(deep=True, separator="", strip=True)
        if text:
            return _SPACES.sub(" ", text)
    og = tree.css_first('meta[property="og:title"]')
    if og is not None and og.attributes.get("content"):
        return (og.attributes["content"] or "").strip()
    title = tree.css_first("title")
    if title is not None:
        text = title.text(strip=True)
        # "headline - site name" / "headline_site" : keep the headline part.
        return _TITLE_SEPARATOR.split(text)[0].strip() or None
    return None


def _html_published(tree: LexborHTMLParser, rules: _HtmlRules) -> str | None:
    for node in tree.css("meta"):
        attributes = node.attributes  # a new dict at each access
        key = (attributes.get("name") or attributes.get("property") or attributes.get("itemprop") or "").lower()
        if key in rules.date_meta and attributes.get("content"):
            found = iso_date(attributes["content"] or "")
            if found:
                return found
    time_node = tree.css_first("time[datetime]")
    if time_node is not None:
        found = iso_date(time_node.attributes.get("datetime") or "")
        if found:
            return found
    if tree.body is not None:
        m = rules.date_cue.search(tree.body.text(separator=" "))
        if m:
            return _iso(*m.groups())
    return None


_DATE = regex.compile(r"(19\d\d|20\d\d)\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")


def iso_date(value: str) -> str | None:
    """An ISO date (YYYY-MM-DD) from a date written the usual ways, else None.

    >>> iso_date("2023年10月8日 10:00"), iso_date("2023/10/08"), iso_date("soon")
    ('2023-10-08', '2023-10-08', None)
    """
    m = _DATE.search(value)
    return _iso(*m.groups()) if m else None


def _iso(year: str, month: str, day: str) -> str | None:
    y, mo, d = int(year), int(month), int(day)
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None
