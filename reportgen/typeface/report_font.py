"""The PDF's font family, registered with reportlab once per process.

The family is the one :mod:`reportgen.typeface.font_discovery` finds (Times New Roman,
else a metric-compatible serif, else the bundled DejaVu Serif with a
:class:`FontFallbackWarning` naming it).  The four faces (regular, bold, italic, bold
italic) are registered as one family, so ``<b>``/``<i>`` in paragraph markup pick the
right face.  TrueType fonts are embedded (as subsets) by reportlab, so every font in the
PDF is embedded.  Single faces (the charts' DejaVu Sans) are registered the same way,
once per process, on first use: :func:`registered_face`.  Whether a face draws every
character is :mod:`reportgen.typeface.glyph_check`'s business.
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportgen.core.errors import RenderError
from reportgen.typeface.font_discovery import FONT_DIR_ENV, TIMES, FontFiles, find_font_files
from reportgen.typeface.subset_codes import primed_codes
from reportgen.typeface.subsets import cache_subsets

log = logging.getLogger(__name__)


class FontFallbackWarning(UserWarning):
    """The PDF is set in a font that is neither Times New Roman nor metric-compatible with it."""


@dataclass(frozen=True)
class RegisteredFamily:
    """A family registered with reportlab: the names paragraph styles use."""

    files: FontFiles
    regular: str
    bold: str
    italic: str
    bold_italic: str

    @property
    def family(self) -> str:
        return self.files.family

    def face_names(self) -> tuple[str, str, str, str]:
        return (self.regular, self.bold, self.italic, self.bold_italic)


_REGISTERED: dict[tuple[Path, ...], RegisteredFamily] = {}
"""Registered once per process, keyed by the files (a reportlab font name is global)."""


def pdf_font_family(font_dir: Path | str | None = None, system: bool = True) -> RegisteredFamily:
    """Find and register the PDF's font family (once per process per set of files)."""
    files = _find_once(str(font_dir or os.environ.get(FONT_DIR_ENV) or ""), system)
    family = _FAMILIES.get(files)
    if family is None:  # resolving paths touches the disk: once per set of files, not once per report
        key = tuple(p.resolve() for p in files.paths)
        if key not in _REGISTERED:
            _REGISTERED[key] = _register(files)
            _announce(files)
        family = _FAMILIES[files] = _REGISTERED[key]
    return family


_FAMILIES: dict[FontFiles, RegisteredFamily] = {}
"""The registered family of each set of files found, by the paths as found."""


@cache
def _find_once(font_dir: str, system: bool) -> FontFiles:
    """:func:`find_font_files`, once per process per folder: it lists folders and may run fc-list."""
    return find_font_files(font_dir or None, system)


def _announce(files: FontFiles) -> None:
    where = files.paths[0].parent
    if files.fallback:
        message = (
            f"Không có Times New Roman hay phông tương đương (Liberation Serif, Tinos): PDF dùng phông "
            f"dự phòng {files.family} ({where}), chữ rộng hơn nên ngắt dòng khác bản Word."
        )
        log.warning(message)
        warnings.warn(message, FontFallbackWarning, stacklevel=3)
    elif files.family != TIMES.name:
        log.info("PDF dùng phông %s (%s), cùng kích thước chữ với Times New Roman.", files.family, where)


def _register(files: FontFiles) -> RegisteredFamily:
    from reportlab.lib.fonts import addMapping

    base = _unused_name(files.family.replace(" ", ""))
    names = (base, f"{base}-Bold", f"{base}-Italic", f"{base}-BoldItalic")
    for name, path in zip(names, files.paths):
        _load(name, path)
    for (bold, italic), name in zip(((0, 0), (1, 0), (0, 1), (1, 1)), names):
        addMapping(base, bold, italic, name)
    return RegisteredFamily(files, *names)


_FACES: dict[Path, str] = {}
"""Single faces registered so far, by file."""


def registered_face(path: Path) -> str:
    """Register one TrueType file with reportlab (once per process) and return its reportlab name.

    Embedded as a subset like every TrueType font reportlab writes; the
    name is the file's stem, made unique if another font already has it.
    """
    if path in _FACE_NAMES:  # charts ask for their face at every label: no disk access then
        return _FACE_NAMES[path]
    key = path.resolve()
    if key not in _FACES:
        name = _unused_name(path.stem.replace("-", ""))
        _load(name, path)
        _FACES[key] = name
    _FACE_NAMES[path] = _FACES[key]
    return _FACES[key]


_FACE_NAMES: dict[Path, str] = {}
"""The same names by the path as asked for."""


def _load(name: str, path: Path) -> None:
    """Register the TrueType file at ``path`` with reportlab as ``name``, its subsets kept across PDFs and its
    primed characters' codes known (:mod:`reportgen.typeface.subset_codes`)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        font = TTFont(name, str(path))
    except Exception as exc:  # reportlab raises bare TTFError/ValueError/OSError for a bad file
        raise RenderError(f"Không đọc được tệp phông {path}: {exc}") from exc
    cache_subsets(font)
    primed_codes(font)
    pdfmetrics.registerFont(font)


def _unused_name(base: str) -> str:
    """A reportlab font name not registered yet (another copy of a family may be registered)."""
    from reportlab.pdfbase import pdfmetrics

    registered = set(pdfmetrics.getRegisteredFontNames())
    name, n = base, 1
    while name in registered:
        n += 1
        name = f"{base}{n}"
    return name
