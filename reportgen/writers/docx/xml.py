"""WordprocessingML fragments built as text, parsed once into python-docx elements.

python-docx's object API creates a table cell by cell, each step a search of
the tree (≈ 0.17 s for a 30-row table).  The Word writer instead composes the
XML of a whole paragraph or table as a string from the small builders below
and parses it once, which costs a few milliseconds even for long tables.

The builders know the OOXML element order (``w:pPr``, ``w:rPr``, ``w:tblPr``
… children must appear in schema order) so callers only say what they want:
a :class:`Font`, a :class:`ParagraphFormat`, a :class:`TableFormat`.
Units: lengths in mm, font sizes in points; conversion to twips (1/20 pt),
half-points and eighths of a point happens here and nowhere else.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from docx.oxml import parse_xml

from reportgen.writers.theme import FONT_NAME
from reportgen.writers.xml_escape import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NSDECL = f'xmlns:w="{W_NS}"'
_ROOT_TAG = re.compile(r"<[\w:]+")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot carry (a stray control code from a spreadsheet cell): dropped."""

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_POINT = 20


def twips(mm: float) -> int:
    """Millimetres to twips (1/1440 inch): 210 mm → 11906, 30 mm → 1701."""
    return round(mm * TWIPS_PER_MM)


def point_twips(points: float) -> int:
    """Points to twips, the unit of ``w:spacing``."""
    return round(points * TWIPS_PER_POINT)


def half_points(points: float) -> int:
    """Points to half-points, the unit of ``w:sz``."""
    return round(points * 2)


def border_eighths(points: float) -> int:
    """Points to eighths of a point, the unit of border widths (Word accepts 2 to 96)."""
    return min(96, max(2, round(points * 8)))


def parse(fragment: str, namespaces: str = ""):
    """Parse a ``w:`` fragment ('<w:p>…</w:p>') into a python-docx element (CT_P, CT_Tbl …); ``namespaces``
    declares any other prefix it uses ('xmlns:v="…"')."""
    root = _ROOT_TAG.match(fragment)
    if root is None:  # the writers' own fragments always start with their element
        raise ValueError(f"not an XML element: {fragment[:40]!r}")
    end = root.end()
    return parse_xml(f"{fragment[:end]} {_NSDECL} {namespaces}{fragment[end:]}")


# ------------------------------------------------------------------- runs ----


@dataclass(frozen=True)
class Font:
    """Character formatting of a run; every run names the font and size itself (see :func:`run_properties`)."""

    size: float
    bold: bool = False
    italic: bool = False


@lru_cache(maxsize=64)
def run_properties(font: Font) -> str:
    """``w:rPr`` naming Times New Roman for every script, the size, bold and italic.

    Every run carries its full formatting, not only the style: a clerk pasting a
    section of the report into another office's document keeps Decree 30's
    font and size instead of taking that document's defaults.
    """
    name = quoteattr(FONT_NAME)
    parts = [f"<w:rFonts w:ascii={name} w:hAnsi={name} w:cs={name} w:eastAsia={name}/>"]
    if font.bold:
        parts.append("<w:b/><w:bCs/>")
    if font.italic:
        parts.append("<w:i/><w:iCs/>")
    size = half_points(font.size)
    parts.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>"


def run(text: str, font: Font) -> str:
    """A run; line ends in ``text`` become line breaks (``w:br``), tabs become ``w:tab``."""
    text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_line_xml(line) for line in text.split("\n"))
    return f"<w:r>{run_properties(font)}{'<w:br/>'.join(lines)}</w:r>"


def _line_xml(line: str) -> str:
    return "<w:tab/>".join(_text(piece) for piece in line.split("\t"))


def _text(piece: str) -> str:
    """A ``w:t``, marked xml:space="preserve" only where an application could drop its spaces (at either end,
    or two together), as Word and python-docx mark it.  Marking every one made moving a long table into the
    document quadratic: lxml re-resolves the xml: namespace of each marked attribute it moves, and the
    3,000-row table of a 3,000-indicator report took 0.13 s to move instead of 0.02 s."""
    if not piece:
        return ""
    if piece[0] == " " or piece[-1] == " " or "  " in piece:
        return f'<w:t xml:space="preserve">{escape(piece)}</w:t>'
    return f"<w:t>{escape(piece)}</w:t>"


def runs(items: Iterable[tuple[str, Font]]) -> str:
    return "".join(run(text, font) for text, font in items)


def page_number_field(font: Font) -> str:
    """A PAGE field; the '1' is only the cached result that Word and LibreOffice replace."""
    return f'<w:fldSimple w:instr=" PAGE "><w:r>{run_properties(font)}<w:t>1</w:t></w:r></w:fldSimple>'


def page_break() -> str:
    return '<w:r><w:br w:type="page"/></w:r>'


# -------------------------------------------------------------- paragraphs ----


@dataclass(frozen=True)
class ParagraphFormat:
    """Paragraph properties; ``None`` leaves a value to the paragraph style."""

    style: str | None = None
    align: str | None = None
    """A ``w:jc`` value: 'left', 'center', 'right' or 'both' (justified)."""
    first_line_mm: float | None = None
    left_mm: float | None = None
    right_mm: float | None = None
    before_pt: float | None = None
    after_pt: float | None = None
    line: float | None = None
    """Line spacing as a multiple of single spacing."""
    exact_pt: float | None = None
    """Exact line height (overrides ``line``): used for the thin paragraphs that carry a rule."""
    keep_next: bool = False
    rule_pt: float | None = None
    """Width of a solid bottom border: Decree 30's drawn rules."""
    mark_size: float | None = None
    """Font size of the paragraph mark (the height of an empty paragraph)."""


def _spacing(fmt: ParagraphFormat) -> str:
    attrs = []
    if fmt.before_pt is not None:
        attrs.append(f'w:before="{point_twips(fmt.before_pt)}"')
    if fmt.after_pt is not None:
        attrs.append(f'w:after="{point_twips(fmt.after_pt)}"')
    if fmt.exact_pt is not None:
        attrs.append(f'w:line="{point_twips(fmt.exact_pt)}" w:lineRule="exact"')
    elif fmt.line is not None:
        attrs.append(f'w:line="{round(fmt.line * 240)}" w:lineRule="auto"')
    return f"<w:spacing {' '.join(attrs)}/>" if attrs else ""


def _indent(fmt: ParagraphFormat) -> str:
    attrs = [
        f'w:{name}="{twips(value)}"'
        for name, value in (("left", fmt.left_mm), ("right", fmt.right_mm))
        if value is not None
    ]
    if fmt.first_line_mm is not None:  # a negative first line is a hanging indent
        name = "firstLine" if fmt.first_line_mm >= 0 else "hanging"
        attrs.append(f'w:{name}="{twips(abs(fmt.first_line_mm))}"')
    return f"<w:ind {' '.join(attrs)}/>" if attrs else ""


@lru_cache(maxsize=256)
def paragraph_properties(fmt: ParagraphFormat) -> str:
    """``w:pPr`` with its children in schema order."""
    parts = []
    if fmt.style:
        parts.append(f'<w:pStyle w:val="{fmt.style}"/>')
    if fmt.keep_next:
        parts.append("<w:keepNext/>")
    if fmt.rule_pt is not None:
        parts.append(
            f'<w:pBdr><w:bottom w:val="single" w:sz="{border_eighths(fmt.rule_pt)}" w:space="0" '
            f'w:color="000000"/></w:pBdr>'
        )
    parts.append(_spacing(fmt))
    parts.append(_indent(fmt))
    if fmt.align:
        parts.append(f'<w:jc w:val="{fmt.align}"/>')
    if fmt.mark_size is not None:
        size = half_points(fmt.mark_size)
        parts.append(f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
    inner = "".join(parts)
    return f"<w:pPr>{inner}</w:pPr>" if inner else ""


def paragraph(fmt: ParagraphFormat, content: str = "") -> str:
    """A ``w:p`` with the given properties around already-built runs or fields."""
    return f"<w:p>{paragraph_properties(fmt)}{content}</w:p>"


# ------------------------------------------------------------------ tables ----


@dataclass(frozen=True)
class TableFormat:
    widths: tuple[int, ...]
    """Column widths in twips; the table is exactly their sum wide."""
    cell_padding_mm: float
    border_pt: float | None = None
    """Thin single borders around every cell; ``None`` for a borderless layout table."""
    vertical_padding: bool = False
    """Pad the top and bottom of each cell too (the appendix table, as the PDF pads it)."""


def scale_widths(relative: Sequence[float], total_mm: float) -> tuple[int, ...]:
    """Relative column widths scaled to ``total_mm``, in whole twips summing exactly to the total."""
    total = twips(total_mm)
    weight = sum(relative)
    edges, running = [0], 0.0
    for value in relative:
        running += value
        edges.append(round(total * running / weight))
    return tuple(right - left for left, right in itertools.pairwise(edges))


def _borders(border_pt: float | None) -> str:
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    if border_pt is None:
        edge = '<w:{0} w:val="nil"/>'
    else:
        edge = f'<w:{{0}} w:val="single" w:sz="{border_eighths(border_pt)}" w:space="0" w:color="000000"/>'
    return "<w:tblBorders>" + "".join(edge.format(side) for side in sides) + "</w:tblBorders>"


def table(fmt: TableFormat, rows_xml: Iterable[str]) -> str:
    """A fixed-layout table centred on the text block (so a full-width table sits exactly on the margins)."""
    padding = twips(fmt.cell_padding_mm)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in fmt.widths)
    properties = (
        f'<w:tblPr><w:tblW w:w="{sum(fmt.widths)}" w:type="dxa"/><w:jc w:val="center"/>{_borders(fmt.border_pt)}'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar>{_margin("top", padding, fmt.vertical_padding)}'
        f'<w:left w:w="{padding}" w:type="dxa"/>{_margin("bottom", padding, fmt.vertical_padding)}'
        f'<w:right w:w="{padding}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    )
    return f"<w:tbl>{properties}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows_xml)}</w:tbl>"


def _margin(side: str, padding: int, wanted: bool) -> str:
    return f'<w:{side} w:w="{padding}" w:type="dxa"/>' if wanted else ""


def row(cells_xml: Iterable[str], repeat_as_header: bool = False) -> str:
    """A row that never splits across pages; header rows repeat at the top of every page."""
    header = "<w:tblHeader/>" if repeat_as_header else ""
    return f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{''.join(cells_xml)}</w:tr>"


def cell(width: int, paragraphs_xml: str, span: int = 1, valign: str | None = None) -> str:
    """A cell ``width`` twips wide covering ``span`` grid columns; it must hold at least one paragraph."""
    properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        properties += f'<w:gridSpan w:val="{span}"/>'
    if valign:
        properties += f'<w:vAlign w:val="{valign}"/>'
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraphs_xml or paragraph(ParagraphFormat())}</w:tc>"
