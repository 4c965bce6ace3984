"""Statistical named-entity recognition trained on CLUENER2020.

The packaged model (``models/ner_cluener``) is Baidu's LAC character BiGRU
(:mod:`newsie.lac`) fine-tuned on CLUENER with a new CRF head that tags BIO
over CLUENER's types, three times with three seeds; the three networks vote
(``scripts/train_ner.py``, ``scripts/finetune_lac.py``, ``configs/ner.toml``;
scores and recipe in ``models/ner_cluener/TRAINING.md``). CLUENER spans often
cut through jieba words, so the model tags characters.

In spaCy terms the model folder is a pipeline of spaCy's own Chinese
character tokenizer and one component, ``newsie_lac_ner`` (:class:`LacNER`,
registered with ``Language.factory`` and announced through the
``spacy_factories`` entry point, so ``spacy.load`` finds it without importing
newsie first). The component sets ``doc.ents``; any spaCy pipeline can add it
(``nlp.add_pipe("newsie_lac_ner").from_disk(...)``).

Labels (newsie contract): PERSON (CLUENER name), ORG (company, organization),
GOV (government), LOC (address — street/building/region addresses, a
*candidate* for GPE that still needs gazetteer resolution). The model also
tags CLUENER's book, game, movie, position and scene (BOOK, GAME, MOVIE,
POSITION, SCENE) in ``doc.ents``; newsie reports only :data:`LABELS`.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from newsie.normalize import replace_surrogates

MODEL_DIR = Path(__file__).resolve().parent / "models" / "ner_cluener"
WEIGHTS_GLOB = "model-*.npz"  # model-1.npz, model-2.npz … in the component's folder of the model

# Contract labels the model can emit (see module docstring for the mapping).
LABELS: tuple[str, ...] = ("PERSON", "ORG", "GOV", "LOC")

# Chunking for long inputs, at sentence ends, bounds per-call memory. The
# model was trained on ≤ 50-char sentences; 500-char chunks of joined CLUENER
# test sentences score 0.749 against 0.767 for the sentences alone, and
# shorter cuts score lower (CLUENER sentences often lack end punctuation, so
# a cut falls mid-clause).
MAX_CHUNK_CHARS = 500
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")

Span = tuple[int, int, str]


def bio_spans(tags: Sequence[str]) -> list[Span]:
    """(start, end exclusive, label) of a BIO tag sequence (``B-ORG``, ``I-ORG``, ``O``).

    An ``I-`` tag that does not continue a span of its label starts nothing.

    >>> bio_spans(["B-PERSON", "I-PERSON", "O", "I-ORG", "B-ORG", "I-GOV"])
    [(0, 2, 'PERSON'), (4, 5, 'ORG')]
    """
    spans: list[Span] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and tag == "I-" + label:
            continue
        if start >= 0:
            spans.append((start, i, label))
            start = -1
        if tag.startswith("B-"):
            start, label = i, tag[2:]
    return spans


# --------------------------------------------------------------------------
# spaCy component
# --------------------------------------------------------------------------


class LacNER:
    """spaCy component: tags each doc's characters with the fine-tuned LAC
    BiGRU-CRF networks and sets ``doc.ents`` (replacing any it had).

    With several networks (the packaged model has three, one per training
    seed) a span is kept when more than half of them tag exactly that span
    with that label; kept spans cannot overlap, since no network tags two
    overlapping spans. Docs are tagged a batch at a time (each GRU runs over
    the batch at once, shortest to longest so that padding stays small). The
    weights are the ``model-*.npz`` files in the component's folder of a
    saved pipeline.
    """

    def __init__(self, name: str = "newsie_lac_ner", batch_size: int = 64) -> None:
        self.name = name
        self.batch_size = batch_size
        self.networks: list[Any] = []  # newsie.lac.LacEncoder, one per weights file
        self._weights: list[Path] = []

    def __call__(self, doc: Doc) -> Doc:
        return self._tag([doc])[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            yield from self._tag(list(batch))

    def spans(self, texts: Sequence[str]) -> list[list[Span]]:
        """The kept (start, end exclusive, label) spans of each text."""
        if not self.networks:
            raise ValueError(f"{self.name}: no weights loaded; load a saved model (spacy.load) or call from_disk(<folder with {WEIGHTS_GLOB}>)")
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        votes: list[Counter[Span]] = [Counter() for _ in texts]
        for network in self.networks:
            for i, rows in zip(order, network.hidden_many([texts[i] for i in order])):
                votes[i].update(bio_spans(network.tags_from_hidden(rows)))
        return [sorted(span for span, n in counted.items() if 2 * n > len(self.networks)) for counted in votes]

    def _tag(self, docs: list[Doc]) -> list[Doc]:
        for doc, spans in zip(docs, self.spans([doc.text for doc in docs])):
            ents = []
            for start, end, label in spans:
                span = doc.char_span(start, end, label=label, alignment_mode="contract")
                if span is not None and len(span):
                    ents.append(span)
            doc.ents = ents
        return docs

    def to_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        for i, weights in enumerate(self._weights, 1):
            target = folder / f"model-{i}.npz"
            if weights.resolve() != target.resolve():
                shutil.copyfile(weights, target)

    def from_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> LacNER:
        found = sorted(Path(path).glob(WEIGHTS_GLOB), key=lambda p: int(p.stem.split("-")[1]))
        if not found:
            raise ValueError(f"{self.name}: no {WEIGHTS_GLOB} in {path}")
        return self.load(*found)

    def load(self, *weights: Path) -> LacNER:
        """Use the networks in ``weights`` (``.npz`` files in ``lac.npz``'s layout with a BIO tagging head)."""
        from newsie.lac import LacEncoder

        self.networks = [LacEncoder(w) for w in weights]
        self._weights = list(weights)
        return self


@Language.factory("newsie_lac_ner", default_config={"batch_size": 64})
def make_lac_ner(nlp: Language, name: str, batch_size: int) -> LacNER:
    return LacNER(name, batch_size)


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
    return replace_surrogates(text)[0]


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
