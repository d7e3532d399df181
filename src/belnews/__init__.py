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

__version__ = "0.2.0"

#: Public name -> module that defines it. Resolved on first access (PEP 562), so that
#: ``import belnews`` and ``belnews --help`` stay fast. No submodule shares a public name, so
#: ``belnews.build`` and ``belnews.load`` are always the functions.
_EXPORTS = {
    "build": "release.build",
    "load": "use.loader",
    "AnchorError": "errors",
    "BuildError": "errors",
    "Error": "errors",
    "Issue": "errors",
    "NormalizationError": "errors",
    "RecordError": "errors",
    "DataIntegrityError": "use.loader",
    "load_arrow": "use.loader",
    "manifest": "use.loader",
    "Article": "use.model",
    "normalize": "corpus.normalize",
    "bio_tags": "use.training",
    "collate": "use.training",
    "quote_speaker_pairs": "use.training",
    "simple_tokenize": "use.training",
    "ray_dataset": "use.ray",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'belnews' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


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
    "ray_dataset",
    "simple_tokenize",
]
