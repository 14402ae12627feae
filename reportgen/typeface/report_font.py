"""The PDF's font: Times New Roman where the machine has it, else a look-alike.

Decree 30/2020 asks for Times New Roman.  The PDF uses it when it is
installed (Windows, macOS, Linux with msttcorefonts); otherwise a
metric-compatible serif (Liberation Serif, then Tinos), so lines break where
they would in Word; otherwise the DejaVu Serif files shipped with reportgen
(:mod:`reportgen.typeface.bundled`), which cover Vietnamese but are wider, with
a warning naming the fallback.

The four faces (regular, bold, italic, bold italic) are registered with
reportlab once per process as one family, so ``<b>``/``<i>`` in paragraph
markup pick the right face.  TrueType fonts are embedded (as subsets) by
reportlab, so every font in the PDF is embedded.  Single faces (the
charts' DejaVu Sans) are registered the same way, once per process, on first
use: :func:`registered_face`.

:func:`missing_glyph` and :func:`check_glyphs` let the writer refuse text the
font cannot draw (:func:`check_face_glyphs` for a single face): reportlab
would otherwise print an empty box without a word.

Discovery looks in known folders and asks ``fc-list`` when it exists.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reportgen.core.errors import RenderError
from reportgen.typeface.bundled import FONT_DIR as BUNDLED_FONT_DIR
from reportgen.typeface.subsets import cache_subsets

log = logging.getLogger(__name__)

FONT_DIR_ENV = "REPORTGEN_PDF_FONT_DIR"
"""A folder searched before the system's fonts (any of the families below, by file name)."""

FACES = ("regular", "bold", "italic", "bold_italic")


class FontFallbackWarning(UserWarning):
    """The PDF is set in a font that is neither Times New Roman nor metric-compatible with it."""


@dataclass(frozen=True)
class Candidate:
    """A font family we accept, and how to recognise its four files."""

    name: str
    """Family name as fontconfig reports it ("Liberation Serif")."""
    files: Mapping[str, tuple[str, ...]]
    """Face → accepted file names (compared case-insensitively)."""
    fallback: bool = False
    """True for a family that is not metric-compatible with Times New Roman."""


TIMES = Candidate(
    "Times New Roman",
    {
        "regular": ("times.ttf", "Times New Roman.ttf", "Times_New_Roman.ttf"),
        "bold": ("timesbd.ttf", "Times New Roman Bold.ttf", "Times_New_Roman_Bold.ttf"),
        "italic": ("timesi.ttf", "Times New Roman Italic.ttf", "Times_New_Roman_Italic.ttf"),
        "bold_italic": ("timesbi.ttf", "Times New Roman Bold Italic.ttf", "Times_New_Roman_Bold_Italic.ttf"),
    },
)
LIBERATION = Candidate(
    "Liberation Serif",
    {
        face: (f"LiberationSerif-{suffix}.ttf",)
        for face, suffix in zip(FACES, ("Regular", "Bold", "Italic", "BoldItalic"))
    },
)
TINOS = Candidate(
    "Tinos",
    {face: (f"Tinos-{suffix}.ttf",) for face, suffix in zip(FACES, ("Regular", "Bold", "Italic", "BoldItalic"))},
)
DEJAVU = Candidate(
    "DejaVu Serif",
    {face: (f"DejaVuSerif{suffix}.ttf",) for face, suffix in zip(FACES, ("", "-Bold", "-Italic", "-BoldItalic"))},
    fallback=True,
)
PREFERRED = (TIMES, LIBERATION, TINOS)
"""In order of preference; DejaVu Serif (shipped with reportgen) is the last resort."""


@dataclass(frozen=True)
class FontFiles:
    """The four TrueType files of one family, found on this machine."""

    family: str
    paths: tuple[Path, Path, Path, Path]
    """Regular, bold, italic, bold italic (the order of :data:`FACES`)."""
    fallback: bool = False


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


# ------------------------------------------------------------------ discovery ----


def system_font_dirs() -> list[Path]:
    """Folders where Times New Roman or its look-alikes are usually installed."""
    home = Path.home()
    dirs: list[Path] = []
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        if os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts/Supplemental"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    else:
        share = Path("/usr/share/fonts")
        dirs += [
            share / "truetype" / "msttcorefonts",
            share / "msttcore",
            share / "corefonts",
            share / "truetype" / "liberation2",
            share / "truetype" / "liberation",
            share / "liberation-serif",
            share / "truetype" / "croscore",
            share / "google-croscore",
            share / "TTF",
            home / ".fonts",
            home / ".local" / "share" / "fonts",
        ]
    return dirs


def _files_in(folder: Path, candidate: Candidate) -> FontFiles | None:
    """The candidate's four files in ``folder`` (file names compared case-insensitively)."""
    try:
        present = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    except OSError:
        return None
    paths = []
    for face in FACES:
        found = next((present[n.lower()] for n in candidate.files[face] if n.lower() in present), None)
        if found is None:
            return None
        paths.append(found)
    return FontFiles(candidate.name, tuple(paths), candidate.fallback)  # type: ignore[arg-type]


def _fc_list() -> list[tuple[str, int, int, int, Path]]:
    """(family, weight, slant, width, file) of every font fontconfig knows; [] without fc-list."""
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run(
            [exe, "--format", "%{family}\t%{weight}\t%{slant}\t%{width}\t%{file}\n"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 5 or not all(p.strip().lstrip("-").isdigit() for p in parts[1:4]):
            continue
        family, weight, slant, width, file = parts
        fonts.append((family, int(weight), int(slant), int(width), Path(file)))
    return fonts


_FC_REGULAR, _FC_BOLD = 80, 200
"""fontconfig weights: 80 regular (400), 200 bold (700)."""
_FC_ROMAN, _FC_NORMAL_WIDTH = 0, 100


def _files_from_fontconfig(fonts: Sequence[tuple[str, int, int, int, Path]], candidate: Candidate) -> FontFiles | None:
    """The candidate's four TrueType files among fontconfig's fonts (normal width only)."""
    wanted = {
        (_FC_REGULAR, False): "regular",
        (_FC_BOLD, False): "bold",
        (_FC_REGULAR, True): "italic",
        (_FC_BOLD, True): "bold_italic",
    }
    found: dict[str, Path] = {}
    for families, weight, slant, width, file in fonts:
        names = {f.strip().lower() for f in families.split(",")}
        if candidate.name.lower() not in names or width != _FC_NORMAL_WIDTH or file.suffix.lower() != ".ttf":
            continue
        face = wanted.get((weight, slant != _FC_ROMAN))
        if face and face not in found:
            found[face] = file
    if len(found) < len(FACES):
        return None
    return FontFiles(candidate.name, tuple(found[f] for f in FACES), candidate.fallback)  # type: ignore[arg-type]


def find_font_files(font_dir: Path | str | None = None, system: bool = True) -> FontFiles:
    """The best family available: ``font_dir`` (or $REPORTGEN_PDF_FONT_DIR) first, then the system.

    ``system=False`` skips the machine's fonts (tests use it to force the
    fallback).  Raises :class:`RenderError` when no usable family exists.
    """
    source = "" if font_dir else f" (biến {FONT_DIR_ENV})"
    font_dir = font_dir or os.environ.get(FONT_DIR_ENV) or None
    if font_dir:
        chosen = _search_folder(Path(font_dir))
        if chosen:
            return chosen
        raise RenderError(
            f"Thư mục phông {font_dir}{source} không có đủ 4 tệp TrueType "
            "(thường, đậm, nghiêng, đậm nghiêng) của Times New Roman, Liberation Serif, "
            "Tinos hoặc DejaVu Serif."
        )
    if system:
        chosen = _search_system()
        if chosen:
            return chosen
    chosen = _files_in(BUNDLED_FONT_DIR, DEJAVU)
    if chosen is None:  # only when the installed package lost its data files
        raise RenderError(
            "Không tìm thấy phông chữ cho PDF: cần Times New Roman, Liberation Serif "
            "(gói fonts-liberation2) hoặc Tinos (gói fonts-croscore)."
        )
    return chosen


def _search_folder(folder: Path) -> FontFiles | None:
    return next(filter(None, (_files_in(folder, c) for c in (*PREFERRED, DEJAVU))), None)


def _search_system() -> FontFiles | None:
    """The first preferred family found in a known folder, else through fontconfig."""
    dirs = system_font_dirs()
    fontconfig: list | None = None
    for candidate in PREFERRED:
        found = next(filter(None, (_files_in(d, candidate) for d in dirs)), None)
        if found is None:
            fontconfig = _fc_list() if fontconfig is None else fontconfig
            found = _files_from_fontconfig(fontconfig, candidate)
        if found:
            return found
    return None


# --------------------------------------------------------------- registration ----

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
    """Register the TrueType file at ``path`` with reportlab as ``name``, its subsets kept across PDFs."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        font = TTFont(name, str(path))
    except Exception as exc:  # reportlab raises bare TTFError/ValueError/OSError for a bad file
        raise RenderError(f"Không đọc được tệp phông {path}: {exc}") from exc
    cache_subsets(font)
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


# --------------------------------------------------------------------- glyphs ----

IGNORED_CHARACTERS = frozenset("\n\r\t")
"""Characters the writer turns into line breaks or spaces, never drawn as glyphs."""


def missing_glyph(family: RegisteredFamily, text: str) -> tuple[str, str] | None:
    """The first character of ``text`` some face of the family cannot draw, and that face's name."""
    return _missing(family.face_names(), text)


def _missing(face_names: Sequence[str], text: str) -> tuple[str, str] | None:
    from reportlab.pdfbase import pdfmetrics

    faces = [(name, pdfmetrics.getFont(name).face) for name in face_names]
    # Characters already found in every face are not looked up again: a report checks thousands of
    # strings drawn from the same hundred or so characters.
    drawable = _DRAWABLE.setdefault(tuple(faces), set(IGNORED_CHARACTERS))
    if drawable.issuperset(text):
        return None
    for char in dict.fromkeys(text):
        if char in drawable:
            continue
        for name, face in faces:
            if not face.charToGlyph.get(ord(char)):  # absent, or mapped to glyph 0 (.notdef, the empty box)
                return char, name
        drawable.add(char)
    return None


_DRAWABLE: dict[tuple[tuple[str, Any], ...], set[str]] = {}
"""Per set of loaded faces (by name and face object, which hashes by identity, so a face registered
again starts afresh): the characters every one of them draws."""


def check_glyphs(family: RegisteredFamily, strings: Iterable[tuple[str, str]]) -> None:
    """Raise :class:`RenderError` for the first character any face of the family lacks.

    ``strings`` yields (where, text); the message names the character, the
    font file and where the character occurs.
    """
    paths = dict(zip(family.face_names(), family.files.paths))
    for where, text in strings:
        found = missing_glyph(family, text)
        if found:
            raise _missing_glyph_error(family.family, paths[found[1]], *found, where)


def check_face_glyphs(face_name: str, family: str, path: Path, strings: Iterable[tuple[str, str]]) -> None:
    """:func:`check_glyphs` for one registered face (a chart's DejaVu Sans regular or bold)."""
    for where, text in strings:
        found = _missing((face_name,), text)
        if found:
            raise _missing_glyph_error(family, path, *found, where)


def _missing_glyph_error(family: str, path: Path, char: str, face: str, where: str) -> RenderError:
    return RenderError(
        f"Phông {family} ({path.name}) không có ký tự U+{ord(char):04X} «{char}» "
        f"ở {where}; không ghi PDF. Hãy sửa ký tự này trong dữ liệu hoặc mẫu câu."
    )
