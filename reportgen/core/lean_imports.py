"""Optional imports the command line keeps out: numpy, which openpyxl imports whenever it is installed.

openpyxl's ``compat.numbers`` imports numpy, if the Python has it, only so that
numpy's number types count as numbers in the cells it writes.  reportgen never
hands openpyxl a numpy value, and importing numpy costs about a tenth of a
second (more with pandas' stack beside it) — a third of a whole ``reportgen
generate``.  The command line therefore hides numpy while that one module runs:
``sys.modules["numpy"] = None`` makes its ``import numpy`` fail as if numpy were
not installed.  A program that imported numpy before keeps it as it is, and a
program using reportgen as a library is not touched (only :func:`reportgen.cli.app.main`
installs the finder).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys

HIDDEN_FROM = "openpyxl.compat.numbers"


class _NumpyHidingLoader(importlib.machinery.SourceFileLoader):
    def exec_module(self, module) -> None:  # noqa: ANN001 - importlib's signature
        hide = "numpy" not in sys.modules
        if hide:
            sys.modules["numpy"] = None  # type: ignore[assignment]
        try:
            super().exec_module(module)
        finally:
            if hide and sys.modules.get("numpy", False) is None:
                del sys.modules["numpy"]


class _NumpyHiddenFromOpenpyxl(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # noqa: ANN001 - importlib's signature
        if name != HIDDEN_FROM or "numpy" in sys.modules:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader:
            return spec  # not a plain source module (zipped, frozen): imported as it comes
        spec.loader = _NumpyHidingLoader(spec.loader.name, spec.loader.path)
        return spec


def hide_numpy_from_openpyxl() -> None:
    """Install the finder (once); it acts only if openpyxl is imported after this."""
    if not any(isinstance(finder, _NumpyHiddenFromOpenpyxl) for finder in sys.meta_path):
        sys.meta_path.insert(0, _NumpyHiddenFromOpenpyxl())
