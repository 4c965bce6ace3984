"""newsie: the figures in Chinese economic news, as JSON facts with exact offsets.

>>> import newsie
>>> doc = newsie.extract("全市新引进2亿元以上重大项目45个以上。")
>>> [(q.text, q.kind) for q in doc.quantities]
[('2亿元以上', 'money'), ('45个以上', 'count')]
"""

from newsie.model import SCHEMA, Document, Entity, Fact, Quantity, Region, Threshold
from newsie.pipeline import extract, extract_file, extract_path, process

__version__ = "0.1.0"

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
    "process",
    "__version__",
]
