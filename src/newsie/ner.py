"""Statistical named-entity recognition trained on CLUENER2020.

The packaged model (``models/ner_cluener``) is a spaCy pipeline on
*character* tokens: CLUENER spans often cut through jieba words (see
``models/ner_cluener/TRAINING.md``), so the model tags characters. To let it
see word context anyway, the tokenizer below runs jieba's POS segmenter and
writes two extra per-character features that the tok2vec layer hashes:

* ``LEMMA`` = the jieba word containing the character (e.g. 沈晓明 for 晓);
* ``TAG``   = the character's position in that word (B/I/E/S) joined with the
  jieba POS flag, e.g. ``B-nr``.

:class:`CharJiebaLacTokenizer` adds pretrained context from Baidu's LAC
analyser (:mod:`newsie.lac`): ``MORPH`` = LAC's own tag (``Lac=PER_B``) and
the 256 numbers of its BiGRU per character in ``doc.user_data``, which the
``newsie.LacEmbed.v1`` layer concatenates with the hashed features.

The tokenizers and the layer are registered in spaCy's registry and
announced through the ``spacy_tokenizers`` / ``spacy_architectures`` entry
points (pyproject.toml), so ``spacy.load`` on the model folder finds them
without importing newsie first. Training (``scripts/train_ner.py``) uses the
same code, so features are identical at training and inference time.

Labels (newsie contract): PERSON (CLUENER name), ORG (company, organization),
GOV (government), LOC (address — street/building/region addresses, a
*candidate* for GPE that still needs gazetteer resolution). CLUENER's book,
game, movie, position and scene are not trained.
"""

from __future__ import annotations

import logging
import re
import shutil
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


class CharJiebaLacTokenizer(CharJiebaTokenizer):
    """:class:`CharJiebaTokenizer` plus LAC's contextual features per character
    (see :mod:`newsie.lac`): ``MORPH`` = ``Lac=<LAC's tag>`` and
    ``doc.user_data["newsie.lac"]`` = the BiGRU output rows, which
    ``newsie.LacEmbed.v1`` reads.

    The LAC weights (``lac.npz``, built by ``scripts/build_lac.py``) are saved
    in the model's tokenizer folder; ``weights`` in the config is only read
    when the tokenizer is created for training. ``cache`` keeps every text's
    features (training re-tokenizes each sentence every epoch); the packaged
    model runs without it, so a long-running process does not grow.
    """

    def __init__(self, vocab: Vocab, weights: Path | None, cache: bool = False) -> None:
        super().__init__(vocab)
        self.weights_path = weights
        self.cache = cache
        self._encoder: Any = None
        self._features: dict[str, tuple[Any, tuple[str, ...]]] = {}

    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            from newsie.lac import LacEncoder

            if self.weights_path is None:
                raise ValueError("CharJiebaLacTokenizer: no LAC weights (lac.npz) given")
            self._encoder = LacEncoder(self.weights_path)
        return self._encoder

    def prime(self, texts: Iterable[str], batch_size: int = 64) -> None:
        """Compute the LAC features of ``texts`` in batches (several times
        faster than one at a time); each is used by the next call on that text."""
        encoder = self.encoder
        todo = sorted({t for t in texts if t not in self._features}, key=len)  # similar lengths pad little
        for i in range(0, len(todo), batch_size):
            batch = todo[i : i + batch_size]
            for text, hidden in zip(batch, encoder.hidden_many(batch)):
                self._features[text] = (hidden, tuple(encoder.tags_from_hidden(hidden)))

    def _lac(self, text: str) -> tuple[Any, tuple[str, ...]]:
        found = self._features.get(text) if self.cache else self._features.pop(text, None)
        if found is None:
            hidden = self.encoder.hidden(text)
            found = (hidden, tuple(self.encoder.tags_from_hidden(hidden)))
            if self.cache:
                self._features[text] = found
        return found

    def __call__(self, text: str) -> Doc:
        doc = super().__call__(text)
        hidden, tags = self._lac(text)
        doc.user_data["newsie.lac"] = hidden[[token.idx for token in doc]]
        for token in doc:
            token.set_morph("Lac=" + tags[token.idx].replace("-", "_"))  # type: ignore[attr-defined]  # not in spaCy's stubs
        return doc

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "cfg").write_text('{"tokenizer": "newsie.CharJiebaLacTokenizer.v1"}\n', encoding="utf-8")
        if self.weights_path is not None and Path(self.weights_path).resolve() != (folder / "lac.npz").resolve():
            shutil.copyfile(self.weights_path, folder / "lac.npz")

    def from_disk(self, path: Any, **kwargs: Any) -> CharJiebaLacTokenizer:
        self.weights_path = Path(path) / "lac.npz"
        self._encoder = None
        self._features.clear()
        return self


@registry.tokenizers("newsie.CharJiebaLacTokenizer.v1")
def create_char_jieba_lac_tokenizer(weights: str | None = None, cache: bool = False) -> Callable[[Language], CharJiebaLacTokenizer]:
    def make(nlp: Language) -> CharJiebaLacTokenizer:
        return CharJiebaLacTokenizer(nlp.vocab, Path(weights) if weights else None, cache)

    return make


@registry.architectures("newsie.LacEmbed.v1")
def create_lac_embed(width: int, attrs: list[str], rows: list[int], include_static_vectors: bool) -> Any:
    """spaCy's MultiHashEmbed concatenated with LAC's BiGRU output (256 per
    token, from ``doc.user_data["newsie.lac"]``, not trained further), mixed
    down to ``width`` by a maxout layer."""
    from spacy.ml.models.tok2vec import MultiHashEmbed
    from thinc.api import Maxout, Model, chain, concatenate, with_array

    from newsie.lac import OUTPUT_WIDTH

    def lac_forward(model: Any, docs: list[Doc], is_train: bool) -> tuple[list[Any], Callable[[Any], list[Any]]]:
        rows = [model.ops.asarray2f(doc.user_data["newsie.lac"]) for doc in docs]
        return rows, lambda d_rows: []  # LAC is not trained: no gradient goes back to the docs

    lac_features: Any = Model("lac_features", lac_forward, dims={"nO": OUTPUT_WIDTH})
    hashed = MultiHashEmbed(width=width, attrs=attrs, rows=rows, include_static_vectors=include_static_vectors)
    return chain(concatenate(hashed, lac_features), with_array(Maxout(width, width + OUTPUT_WIDTH, nP=3, normalize=True)))


# --------------------------------------------------------------------------
# Training scorer
# --------------------------------------------------------------------------

# The project's accuracy bar is micro-F1 over these labels (LOC is a weaker,
# auxiliary label), so training selects checkpoints on it.
CORE_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GOV")


def score_ner_core(examples: Iterable[Any], **kwargs: Any) -> dict[str, Any]:
    """spaCy's NER scores plus ``ents_core_p/r/f``: exact-span micro P/R/F1
    over :data:`CORE_LABELS` (character offsets, as ``scripts/train_ner.py``
    scores the packaged model)."""
    from spacy.scorer import get_ner_prf

    examples = list(examples)
    scores: dict[str, Any] = get_ner_prf(examples, **kwargs)
    tp = n_pred = n_gold = 0
    for example in examples:
        gold = {(e.start_char, e.end_char, e.label_) for e in example.reference.ents if e.label_ in CORE_LABELS}
        pred = {(e.start_char, e.end_char, e.label_) for e in example.predicted.ents if e.label_ in CORE_LABELS}
        tp += len(gold & pred)
        n_pred += len(pred)
        n_gold += len(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    scores.update(ents_core_p=p, ents_core_r=r, ents_core_f=2 * p * r / (p + r) if p + r else 0.0)
    return scores


@registry.scorers("newsie.ner_core_scorer.v1")
def create_ner_core_scorer() -> Callable[..., dict[str, Any]]:
    return score_ner_core


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

        # a featurizing tokenizer that is faster over many texts at once (LAC) gets them a batch ahead
        prime: Callable[[list[str]], None] | None = getattr(self.nlp.tokenizer, "prime", None)

        def pieces() -> Iterator[tuple[str, int]]:
            batch: list[tuple[str, int]] = []
            for text in texts:
                chunks = split_chunks(_clean(text))
                counts.append(len(chunks))
                for offset, piece in chunks:
                    batch.append((piece, offset))
                if len(batch) >= batch_size:
                    if prime is not None:
                        prime([piece for piece, _ in batch])
                    yield from batch
                    batch = []
            if prime is not None and batch:
                prime([piece for piece, _ in batch])
            yield from batch

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


@lru_cache(maxsize=1)
def _company_forms() -> tuple[str, ...]:
    """``[ner] company_forms`` of patterns/entities.toml."""
    import tomllib

    from newsie.resources import pattern_path

    with open(pattern_path("entities.toml"), "rb") as f:
        return tuple(tomllib.load(f)["ner"]["company_forms"])


def _doc_spans(doc: Doc, offset: int) -> list[Span]:
    spans: list[Span] = []
    company_forms = _company_forms()
    for ent in doc.ents:
        if ent.label_ in LABELS and ent.text.strip():
            label = "ORG" if ent.text.endswith(company_forms) else ent.label_
            spans.append((ent.start_char + offset, ent.end_char + offset, label))
    return spans
