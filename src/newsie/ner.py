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
``newsie.CharJiebaTokenizer.v1``; the saved pipeline's config names it, so this
module must be imported before ``spacy.load`` — :class:`StatisticalNER` does
that by living here. Training (``scripts/train_ner.py``) uses the same code,
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
CORE_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GOV")  # the accuracy bar is over these

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


# jieba dictionary part-of-speech flags → coarse lexicon classes for the
# lexicon-match feature (person names, places, organizations, other proper
# nouns, abbreviations; every other dictionary word is just "W").
LEXICON_CLASSES: dict[str, str] = {
    "nr": "PER", "nrt": "PER", "nrfg": "PER",
    "ns": "LOC", "nt": "ORG", "nz": "NZ", "j": "J",
}
MAX_LEXICON_WORD = 8  # longer dictionary words are rare and never entity-like


@lru_cache(maxsize=32768)
def lexicon_features(text: str) -> tuple[str, ...]:
    """Per-character dictionary-match feature (in the spirit of SoftLexicon).

    For every jieba dictionary word of 2–8 characters found anywhere in
    ``text`` — not only on jieba's chosen segmentation path — each character
    it covers records its position in the word (B/M/E) and the word's coarse
    class, e.g. ``Lex=BLOC,EPER``. jieba's prefix dictionary (entries with
    frequency 0 are prefixes) lets the scan stop as soon as no longer word can
    match, so it costs a few dictionary look-ups per character.
    """
    pseg = _quiet_jieba()
    tokenizer = pseg.dt.tokenizer
    tokenizer.check_initialized()
    freq, tag_of = tokenizer.FREQ, pseg.dt.word_tag_tab
    marks: list[set[str]] = [set() for _ in text]
    for start in range(len(text)):
        for end in range(start + 2, min(start + MAX_LEXICON_WORD, len(text)) + 1):
            word = text[start:end]
            count = freq.get(word)
            if count is None:
                break  # not even a prefix of a dictionary word
            if not count:
                continue  # a prefix only
            cls = LEXICON_CLASSES.get(tag_of.get(word, ""), "W")
            marks[start].add("B" + cls)
            marks[end - 1].add("E" + cls)
            for i in range(start + 1, end - 1):
                marks[i].add("M" + cls)
    return tuple("Lex=" + ",".join(sorted(m)) if m else "" for m in marks)


class CharJiebaTokenizer:
    """One token per character (like spaCy's zh ``segmenter="char"``),
    with word context stored in token attributes the tok2vec layer hashes.

    ``v1`` features: ``LEMMA`` = containing jieba word, ``TAG`` = B/I/E/S
    position + jieba POS flag. ``v2`` (``lexicon=True``) adds ``NORM`` = the
    character bigram ending here and ``MORPH`` = :func:`lexicon_features`.
    """

    def __init__(self, vocab: Vocab, lexicon: bool = False) -> None:
        self.vocab = vocab
        self.lexicon = lexicon

    def __call__(self, text: str) -> Doc:
        words, spaces = get_words_and_spaces(list(text), text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        word_of, tag_of = char_features(text)
        lex_of = lexicon_features(text) if self.lexicon else ()
        for token in doc:
            if token.is_space:
                continue
            i = token.idx
            token.lemma_ = word_of[i]
            token.tag_ = tag_of[i]
            if self.lexicon:
                token.norm_ = text[i - 1 : i + 1] if i else "^" + text[i]
                if lex_of[i]:
                    token.set_morph(lex_of[i])
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


@registry.tokenizers("newsie.CharJiebaTokenizer.v2")
def create_char_lexicon_tokenizer() -> Callable[[Language], CharJiebaTokenizer]:
    def make(nlp: Language) -> CharJiebaTokenizer:
        return CharJiebaTokenizer(nlp.vocab, lexicon=True)

    return make


@registry.scorers("newsie.core_ents_scorer.v1")
def create_core_ents_scorer() -> Callable[..., dict[str, Any]]:
    """spaCy's NER scores plus ``ents_core_f``: exact-span micro-F1 over the
    labels of newsie's accuracy bar (PERSON, ORG, GOV), used for checkpoint
    selection so LOC (addresses, the weakest label) does not steer it."""
    from spacy.scorer import get_ner_prf

    def score(examples: Iterable[Any], **kwargs: Any) -> dict[str, Any]:
        examples = list(examples)
        scores = get_ner_prf(examples)
        tp = n_pred = n_gold = 0
        for eg in examples:
            gold = {(e.start_char, e.end_char, e.label_) for e in eg.reference.ents if e.label_ in CORE_LABELS}
            pred = {(e.start_char, e.end_char, e.label_) for e in eg.predicted.ents if e.label_ in CORE_LABELS}
            tp, n_pred, n_gold = tp + len(gold & pred), n_pred + len(pred), n_gold + len(gold)
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        scores.update(ents_core_p=p, ents_core_r=r, ents_core_f=2 * p * r / (p + r) if p + r else 0.0)
        return scores

    return score


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
