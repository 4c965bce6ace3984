"""Statistical named-entity recognition trained on CLUENER2020.

The packaged model (``models/ner_cluener``) is a spaCy pipeline on
*character* tokens: CLUENER spans often cut through jieba words (see
``models/ner_cluener/TRAINING.md``), so the model tags characters. To let it
see word context anyway, the tokenizer below runs jieba's POS segmenter and
writes two extra per-character features that the tok2vec layer hashes:

* ``LEMMA`` = the jieba word containing the character (e.g. 沈晓明 for 晓);
* ``TAG``   = the character's position in that word (B/I/E/S) joined with the
  jieba POS flag, e.g. ``B-nr``.

The tokenizer is registered in spaCy's registry under
``newsie.CharJiebaTokenizer.v1`` and announced through the ``spacy_tokenizers``
entry point (pyproject.toml), so ``spacy.load`` on the model folder finds it
without importing newsie first. Training (``scripts/train_ner.py``) uses the same code,
so features are identical at training and inference time.

Labels (newsie contract): PERSON (CLUENER name), ORG (company, organization),
GOV (government), LOC (address — street/building/region addresses, a
*candidate* for GPE that still needs gazetteer resolution). CLUENER's book,
game, movie, position and scene are not trained.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry
from spacy.vocab import Vocab

MODEL_DIR = Path(__file__).resolve().parent / "models" / "ner_cluener"

# Contract labels the model can emit (see module docstring for the mapping).
LABELS: tuple[str, ...] = ("PERSON", "ORG", "GOV", "LOC")

# Chunking for long inputs: the model was trained on ≤ 50-char sentences and
# its receptive field is a few characters, so splitting at sentence ends costs
# nothing and bounds per-call memory and jieba time.
MAX_CHUNK_CHARS = 500
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")

Span = tuple[int, int, str]


# --------------------------------------------------------------------------
# Featurizing tokenizer
# --------------------------------------------------------------------------


def _quiet_jieba() -> Any:
    """Import jieba.posseg with its dictionary-loading chatter silenced."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    return pseg


@lru_cache(maxsize=32768)
def char_features(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Per-character (jieba word, position-POS tag) for ``text``.

    Cached because spaCy re-tokenizes every training sentence each epoch and
    jieba's POS segmenter is the slowest step.
    """
    words: list[str] = [""] * len(text)
    tags: list[str] = ["S-x"] * len(text)
    pos = 0
    for pair in _quiet_jieba().cut(text):
        word, flag = pair.word, pair.flag
        # jieba yields the text back in order; re-find defensively so a
        # dropped or normalized character cannot shift later offsets.
        start = text.find(word, pos) if word else -1
        if start < 0:
            continue
        end = start + len(word)
        for i in range(start, end):
            words[i] = word
            if len(word) == 1:
                where = "S"
            elif i == start:
                where = "B"
            elif i == end - 1:
                where = "E"
            else:
                where = "I"
            tags[i] = f"{where}-{flag}"
        pos = end
    for i, word in enumerate(words):
        if not word:  # never covered by a jieba word: the character itself
            words[i] = text[i]
    return tuple(words), tuple(tags)


class CharJiebaTokenizer:
    """One token per character (like spaCy's zh ``segmenter="char"``),
    with jieba word context stored in ``LEMMA`` and ``TAG``."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = get_words_and_spaces(list(text), text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        word_of, tag_of = char_features(text)
        for token in doc:
            if token.is_space:
                continue
            token.lemma_ = word_of[token.idx]
            token.tag_ = tag_of[token.idx]
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    # Nothing to persist: the features come from jieba's packaged dictionary.
    # A marker file keeps the folder alive in version control (git drops empty
    # folders); loading does not need it.
    def to_disk(self, path: Any, **kwargs: Any) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / "cfg").write_text('{"tokenizer": "newsie.CharJiebaTokenizer.v1"}\n', encoding="utf-8")

    def from_disk(self, path: Any, **kwargs: Any) -> CharJiebaTokenizer:
        return self

    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> CharJiebaTokenizer:
        return self


@registry.tokenizers("newsie.CharJiebaTokenizer.v1")
def create_char_jieba_tokenizer() -> Callable[[Language], CharJiebaTokenizer]:
    def make(nlp: Language) -> CharJiebaTokenizer:
        return CharJiebaTokenizer(nlp.vocab)

    return make


# --------------------------------------------------------------------------
# Chunking
# --------------------------------------------------------------------------


def split_chunks(text: str, limit: int = MAX_CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split ``text`` into (offset, piece) chunks of at most ``limit`` chars.

    Cuts after sentence punctuation when possible, else hard-cuts at
    ``limit`` (a run of 500 chars without 。！？； is not prose anyway).
    """
    if len(text) <= limit:
        return [(0, text)] if text else []
    chunks: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            cut = _last_sentence_end(text, start, end)
            if cut > start:
                end = cut
        chunks.append((start, text[start:end]))
        start = end
    return chunks


def _last_sentence_end(text: str, start: int, end: int) -> int:
    """Index just after the last sentence-final mark in text[start:end], or -1."""
    last = -1
    for match in _SENTENCE_END.finditer(text, start, end):
        last = match.end()
    return last


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


class StatisticalNER:
    """PERSON / ORG / GOV / LOC spans from the packaged CLUENER model."""

    _default: StatisticalNER | None = None
    _lock = threading.Lock()

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    @classmethod
    def load(cls, path: Path | str = MODEL_DIR) -> StatisticalNER:
        import spacy

        return cls(spacy.load(Path(path)))

    @classmethod
    def default(cls) -> StatisticalNER:
        """The packaged model, loaded once per process (never downloads)."""
        if cls._default is None:
            with cls._lock:
                if cls._default is None:
                    cls._default = cls.load(MODEL_DIR)
        return cls._default

    def predict(self, text: str) -> list[Span]:
        """(start, end exclusive, label) character offsets into ``text``."""
        return next(self.predict_many([text]))

    def predict_many(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[list[Span]]:
        """Like :meth:`predict` for many texts, batched through ``nlp.pipe``.

        Chunks of all texts share batches; results come back in input order.
        """
        counts: list[int] = []  # chunks per text, filled as texts are consumed

        def pieces() -> Iterator[tuple[str, int]]:
            for text in texts:
                chunks = split_chunks(_clean(text))
                counts.append(len(chunks))
                for offset, piece in chunks:
                    yield piece, offset

        docs = self.nlp.pipe(pieces(), batch_size=batch_size, as_tuples=True)
        done = 0  # texts yielded so far
        current: list[Span] = []
        seen = 0  # chunks of the current text consumed
        for doc, offset in docs:
            # Texts with zero chunks (empty strings) come before this chunk's text.
            while counts[done] == 0:
                yield []
                done += 1
            current.extend(_doc_spans(doc, offset))
            seen += 1
            if seen == counts[done]:
                yield current
                current, seen = [], 0
                done += 1
        while done < len(counts):  # trailing empty texts
            yield []
            done += 1


def _clean(text: str) -> str:
    """Replace lone surrogates, which spaCy's string store cannot encode.

    One-for-one replacement keeps every offset valid for the caller's text.
    """
    if not text:
        return ""
    return re.sub(r"[\ud800-\udfff]", "\ufffd", text)


def _doc_spans(doc: Doc, offset: int) -> list[Span]:
    spans: list[Span] = []
    for ent in doc.ents:
        if ent.label_ in LABELS and ent.text.strip():
            spans.append((ent.start_char + offset, ent.end_char + offset, ent.label_))
    return spans
