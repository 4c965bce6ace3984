"""newsie: the figures in Chinese economic news, as JSON facts with exact offsets.

>>> import newsie
>>> doc = newsie.extract("全市新引进2亿元以上重大项目45个以上。")
>>> [(q.text, q.kind) for q in doc.quantities]
[('2亿元以上', 'money'), ('45个以上', 'count')]
"""

from newsie.model import SCHEMA, Document, Entity, Fact, Quantity, Region, Threshold
from newsie.pipeline import extract, extract_file, extract_path, process
from newsie.frames import read_jsonl, to_dataframe
from newsie.render import render

__version__ = "0.1.0"


def load(segmenter: str = "jieba", *, pkuseg_model=None, ner: str = "off"):
    """newsie's pipeline as a spaCy ``Language`` (see :mod:`newsie.components`).

    >>> nlp = newsie.load()
    >>> [q.text for q in nlp("引进外资4099万美元")._.newsie_quantities]
    ['4099万美元']
    """
    from newsie.components import load as load_pipeline

    return load_pipeline(segmenter, pkuseg_model=pkuseg_model, ner=ner)


__all__ = [
    "SCHEMA",
    "Document",
    "Entity",
    "Fact",
    "Quantity",
    "Region",
    "Threshold",
    "extract",
    "extract_file",
    "extract_path",
    "load",
    "process",
    "read_jsonl",
    "render",
    "to_dataframe",
    "__version__",
]
