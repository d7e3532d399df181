"""belnews: an annotated news corpus (quotes, figures, entities) as a Python package.

``import belnews`` is deliberately light: it does not import ``datasets``, ``pandas`` or
``pyarrow``. Heavy imports happen inside the functions that need them.
"""

from __future__ import annotations

__version__ = "0.1.0"
