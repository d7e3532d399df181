"""belnews: an annotated news corpus (quotes, figures, entities) as a Python package.

``import belnews`` is deliberately light: it does not import ``datasets``, ``pandas`` or
``pyarrow``. Heavy imports happen inside the functions that need them.

    >>> import belnews
    >>> ds = belnews.load()                      # datasets.Dataset, exact features
    >>> articles = belnews.load(format="records")  # frozen dataclasses
    >>> articles[1].quotes[0].speaker
    'c1'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .build import build
from .errors import AnchorError, BuildError, Error, Issue, NormalizationError, RecordError
from .load import DataIntegrityError, load, load_arrow, manifest
from .model import Article
from .normalize import normalize
from .training import bio_tags, collate, quote_speaker_pairs, simple_tokenize

__all__ = [
    "AnchorError",
    "Article",
    "BuildError",
    "DataIntegrityError",
    "Error",
    "Issue",
    "NormalizationError",
    "RecordError",
    "__version__",
    "bio_tags",
    "build",
    "collate",
    "load",
    "load_arrow",
    "manifest",
    "normalize",
    "quote_speaker_pairs",
    "simple_tokenize",
]
