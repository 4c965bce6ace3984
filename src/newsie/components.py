"""newsie's stages as spaCy pipeline components.

Registered through spaCy's factory mechanism when ``newsie`` is imported, so
spaCy users can add them to their own Chinese pipelines::

    import newsie, spacy
    nlp = spacy.blank("zh")
    nlp.add_pipe("newsie_quantities")
    nlp.add_pipe("newsie_entities")
    nlp.add_pipe("newsie_facts")
    doc = nlp("天心区引进外资4099万美元。")
    doc._.newsie_facts[0].category        # 'foreign_investment'

or take the whole pipeline with :func:`load`. The components work on
``doc.text`` as given: for scraped pages (encodings, HTML, traditional
characters, pinyin annotations) use :func:`newsie.extract`, which normalizes
first and keeps offsets into the source.

Results are exact character spans in ``doc._.newsie_quantities``,
``doc._.newsie_entities`` and ``doc._.newsie_facts`` (newsie's dataclasses);
``doc.spans["newsie_quantities"]`` and ``doc.ents`` hold the same spans
widened to token boundaries, for displaCy and other spaCy tools.
"""

from __future__ import annotations

import os

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from newsie.entities import DEFAULT_NER, NER_MODES, tag
from newsie.facts import build_facts
from newsie.quantities import find_quantities
from newsie.segment import blank

_EXTENSIONS = ("newsie_quantities", "newsie_entities", "newsie_mentions", "newsie_home", "newsie_time_phrases", "newsie_facts")
for _name in _EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class QuantityFinder:
    """Component ``newsie_quantities``: amounts, counts, percents, measures, durations."""

    def __call__(self, doc: Doc) -> Doc:
        quantities = find_quantities(doc.text).quantities
        doc._.newsie_quantities = quantities
        spans = [doc.char_span(q.start, q.end, label=q.kind, alignment_mode="expand") for q in quantities]
        doc.spans["newsie_quantities"] = [s for s in spans if s is not None]
        return doc


class EntityTagger:
    """Component ``newsie_entities``: GPE/ZONE (gazetteer), DATE, GOV, ORG, PERSON."""

    def __init__(self, ner: str = DEFAULT_NER, regions_only: bool = False) -> None:
        if ner not in NER_MODES:
            raise ValueError(f"ner must be one of {', '.join(NER_MODES)}, not {ner!r}")
        self.ner = "off" if regions_only else ner
        self.regions_only = regions_only

    def __call__(self, doc: Doc) -> Doc:
        tagged = tag(doc.text, quantities=doc._.newsie_quantities or (), ner=self.ner)
        entities = [e for e in tagged.entities if e.label in ("GPE", "ZONE")] if self.regions_only else tagged.entities
        doc._.newsie_entities = entities
        doc._.newsie_mentions = tagged.mentions
        doc._.newsie_home = tagged.home
        doc._.newsie_time_phrases = tagged.time_phrases  # where newsie_facts looks for periods
        spans = [doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand") for e in entities]
        doc.ents = filter_spans([s for s in spans if s is not None])
        return doc


class FactBuilderComponent:
    """Component ``newsie_facts``: needs ``newsie_quantities`` and ``newsie_entities`` before it."""

    def __call__(self, doc: Doc) -> Doc:
        if doc._.newsie_quantities is None or doc._.newsie_mentions is None:
            raise ValueError("newsie_facts needs newsie_quantities and newsie_entities (or newsie_regions) earlier in the pipeline")
        first_line, _, rest = doc.text.partition("\n")
        body_start = len(first_line) + 1 if rest and len(first_line) <= 40 and not first_line.endswith("。") else 0
        doc._.newsie_facts = build_facts(
            doc.text,
            doc._.newsie_quantities,
            doc._.newsie_mentions,
            doc._.newsie_home,
            body_start=body_start,
            time_phrases=doc._.newsie_time_phrases,
        )
        return doc


@Language.factory("newsie_quantities")
def make_quantities(nlp: Language, name: str) -> QuantityFinder:
    return QuantityFinder()


@Language.factory("newsie_entities", default_config={"ner": DEFAULT_NER})
def make_entities(nlp: Language, name: str, ner: str) -> EntityTagger:
    return EntityTagger(ner=ner)


@Language.factory("newsie_regions")
def make_regions(nlp: Language, name: str) -> EntityTagger:
    return EntityTagger(regions_only=True)


@Language.factory("newsie_facts")
def make_facts(nlp: Language, name: str) -> FactBuilderComponent:
    return FactBuilderComponent()


def load(segmenter: str = "jieba", *, pkuseg_model: str | os.PathLike[str] | None = None, ner: str = DEFAULT_NER) -> Language:
    """newsie's whole pipeline as a spaCy ``Language``: segmentation, quantities, entities, facts.

    >>> nlp = load()
    >>> doc = nlp("天心区引进外资4099万美元。")
    >>> [(f.category, f.region.name) for f in doc._.newsie_facts]
    [('foreign_investment', '天心区')]
    """
    nlp = blank(segmenter, pkuseg_model=pkuseg_model)
    nlp.add_pipe("newsie_quantities")
    nlp.add_pipe("newsie_entities", config={"ner": ner})
    nlp.add_pipe("newsie_facts")
    return nlp
