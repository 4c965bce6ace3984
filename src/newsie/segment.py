"""Segmentation: spaCy's Chinese tokenizer with jieba (default) or pkuseg,
both taught newsie's domain words (``patterns/user_dict.txt``).

pkuseg needs a model. spacy-pkuseg downloads one on first use, which cannot
work offline, so newsie never lets it: give the folder of a pkuseg model
(``features.pkl`` and ``weights.npz``) as ``pkuseg_model`` or in the
``NEWSIE_PKUSEG_MODEL`` environment variable, or put it in the environment's
``share/newsie/pkuseg-default`` folder. ``scripts/get_pkuseg_model.py``
extracts the default model that ships inside the ``pkuseg==0.0.25`` source
distribution.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from spacy.language import Language

from newsie.resources import pattern_path

SEGMENTERS = ("jieba", "pkuseg")
# Where scripts/get_pkuseg_model.py puts the model for this environment.
DEFAULT_PKUSEG_MODEL = Path(sys.prefix) / "share" / "newsie" / "pkuseg-default"


class SegmenterError(ValueError):
    """A segmenter cannot be set up as asked (e.g. pkuseg without a model)."""


@cache
def user_words() -> tuple[tuple[str, int | None, str | None], ...]:
    """The domain dictionary: (word, frequency, tag) per entry."""
    entries = []
    for line in pattern_path("user_dict.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        frequency = int(parts[1]) if len(parts) > 1 else None
        tag = parts[2] if len(parts) > 2 else None
        entries.append((parts[0], frequency, tag))
    return tuple(entries)


@cache
def _jieba_with_user_words() -> None:
    import jieba

    jieba.setLogLevel(60)
    for word, frequency, tag in user_words():
        jieba.add_word(word, freq=frequency, tag=tag)


def pkuseg_model_path(pkuseg_model: str | os.PathLike[str] | None = None) -> Path:
    """The pkuseg model folder to use, or a clear error saying how to get one."""
    given = pkuseg_model or os.environ.get("NEWSIE_PKUSEG_MODEL")
    if not given and DEFAULT_PKUSEG_MODEL.is_dir():
        given = DEFAULT_PKUSEG_MODEL
    if not given:
        raise SegmenterError(
            "pkuseg needs a model folder: pass pkuseg_model=PATH or set NEWSIE_PKUSEG_MODEL; "
            "`python scripts/get_pkuseg_model.py DIR` extracts the default model (see README)"
        )
    path = Path(given)
    if not ((path / "features.pkl").is_file() or (path / "features.msgpack").is_file()) or not (path / "weights.npz").is_file():
        raise SegmenterError(f"{path} is not a pkuseg model folder (it needs features.pkl or features.msgpack, and weights.npz)")
    return path


def blank(segmenter: str = "jieba", *, pkuseg_model: str | os.PathLike[str] | None = None) -> Language:
    """A blank spaCy Chinese pipeline whose tokenizer uses ``segmenter``.

    >>> nlp = blank("jieba")
    >>> [t.text for t in nlp("长沙经开区引进了广汽埃安")]
    ['长沙', '经开区', '引进', '了', '广汽埃安']
    """
    import spacy

    if segmenter not in SEGMENTERS:
        raise SegmenterError(f"segmenter must be one of {', '.join(SEGMENTERS)}, not {segmenter!r}")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})
    if segmenter == "jieba":
        _jieba_with_user_words()
    else:
        nlp.tokenizer.initialize(pkuseg_model=str(pkuseg_model_path(pkuseg_model)))
        nlp.tokenizer.pkuseg_update_user_dict([word for word, _, _ in user_words()])
    return nlp
