"""Where the PDF's font is on this machine: Times New Roman where it is installed, else a look-alike.

Decree 30/2020 asks for Times New Roman.  The PDF uses it when it is installed
(Windows, macOS, Linux with msttcorefonts); otherwise a metric-compatible serif
(Liberation Serif, then Tinos), so lines break where they would in Word; otherwise
the DejaVu Serif files shipped with reportgen (:mod:`reportgen.typeface.bundled`),
which cover Vietnamese but are wider.  Discovery looks in known folders and asks
``fc-list`` when it exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.core.errors import RenderError
from reportgen.typeface.bundled import FONT_DIR as BUNDLED_FONT_DIR

FONT_DIR_ENV = "REPORTGEN_PDF_FONT_DIR"
"""A folder searched before the system's fonts (any of the families below, by file name)."""

FACES = ("regular", "bold", "italic", "bold_italic")


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
