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

import sys
import types

__version__ = "0.1.0"

#: Public name -> module that defines it. Resolved on first access (PEP 562), so that
#: ``import belnews`` and ``belnews --help`` stay fast.
_EXPORTS = {
    "build": "build",
    "load": "load",
    "AnchorError": "errors",
    "BuildError": "errors",
    "Error": "errors",
    "Issue": "errors",
    "NormalizationError": "errors",
    "RecordError": "errors",
    "DataIntegrityError": "load",
    "load_arrow": "load",
    "manifest": "load",
    "Article": "model",
    "normalize": "normalize",
    "bio_tags": "training",
    "collate": "training",
    "quote_speaker_pairs": "training",
    "simple_tokenize": "training",
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


class _Package(types.ModuleType):
    """The package module, keeping ``belnews.build`` and ``belnews.load`` the functions.

    Both names are also submodules. Importing a submodule makes Python set it as an
    attribute of the package, which would hide the function of the same name; this class
    ignores that one assignment, so ``belnews.load()`` works whatever was imported before.
    (To patch inside those modules, use ``importlib.import_module("belnews.load")``.)
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in ("build", "load") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
