"""Paragraph styles of the PDF, built once per font family from the shared theme.

Every size, indent and spacing comes from :mod:`reportgen.writers.theme` so the
PDF matches the Word file.  Styles are built once (per process and font
family), never per paragraph or table cell: the appendix table has hundreds of
cells.  Leading is ``size × SINGLE_LINE_EM`` — Word's single spacing for
Times — times ``LINE_SPACING`` for body text and headings, as in the .docx.

Also here: turning model text into reportlab's paragraph markup (escaping
``& < >``, keeping runs of spaces such as the blank document number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from reportgen.document.model import Align, ParagraphRole, Run
from reportgen.typeface.report_font import RegisteredFamily
from reportgen.writers import theme
from reportgen.writers.xml_escape import escape

ALIGNMENTS = {
    "left": TA_LEFT,
    "center": TA_CENTER,
    "right": TA_RIGHT,
    "justify": TA_JUSTIFY,
    Align.LEFT: TA_LEFT,
    Align.CENTER: TA_CENTER,
    Align.RIGHT: TA_RIGHT,
}

NBSP = "\u00a0"
"""Used for the second and later spaces of a run: reportlab collapses plain spaces."""
WRITER_CHARACTERS = "- " + NBSP + "0123456789"
"""Characters the writer adds itself (list dash, kept spaces, page numbers); checked against the font too."""
_SPACE_RUN = re.compile(r" {2,}")


def leading(size: float, spaced: bool = False) -> float:
    return size * theme.SINGLE_LINE_EM * (theme.LINE_SPACING if spaced else 1.0)


def face(family: RegisteredFamily, bold: bool = False, italic: bool = False) -> str:
    """The reportlab font name of one face."""
    return (family.regular, family.italic, family.bold, family.bold_italic)[2 * bold + italic]


def markup(text: str) -> str:
    """Model text as paragraph markup: escaped, spaces kept, line breaks as <br/>."""
    text = _SPACE_RUN.sub(lambda m: " " + NBSP * (len(m.group()) - 1), text)
    return "<br/>".join(escape(line) for line in text.split("\n"))


def runs_markup(runs: Iterable[Run]) -> str:
    """Runs as markup, each wrapped in <b>/<i> as it asks."""
    parts = []
    for run in runs:
        text = markup(run.text)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        parts.append(text)
    return "".join(parts)


@dataclass
class PdfStyles:
    """The styles of one font family: body, headings and roles up front, the rest on first use, then kept."""

    family: RegisteredFamily
    body: ParagraphStyle = field(init=False)
    headings: dict[int, ParagraphStyle] = field(init=False)
    roles: dict[ParagraphRole, ParagraphStyle] = field(init=False)
    _named: dict[str, ParagraphStyle] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.roles = {role: self._role_style(role) for role in ParagraphRole}
        self.body = self.roles[ParagraphRole.BODY]
        self.headings = {level: self._heading_style(level, spec) for level, spec in theme.HEADING_STYLES.items()}

    def line(
        self,
        name: str,
        size: float,
        bold: bool = False,
        italic: bool = False,
        align: str | Align = "center",
        spaced: bool = False,
        **extra,
    ) -> ParagraphStyle:
        """The style called ``name``, built on its first use and then reused (the name decides)."""
        if name not in self._named:
            # No single line of a paragraph left alone at the foot or head of a page (Word's widow control).
            self._named[name] = ParagraphStyle(
                name,
                fontName=face(self.family, bold, italic),
                fontSize=size,
                leading=leading(size, spaced),
                alignment=ALIGNMENTS[align],
                allowWidows=0,
                allowOrphans=0,
                **extra,
            )
        return self._named[name]

    def cell(self, size: float, bold: bool, italic: bool, align: Align) -> ParagraphStyle:
        """The style of a table cell; one object per combination, shared by every cell."""
        return self.line(f"cell-{size:g}-{int(bold)}{int(italic)}-{align.value}", size, bold, italic, align)

    def _role_style(self, role: ParagraphRole) -> ParagraphStyle:
        indent = theme.FIRST_LINE_INDENT_MM * mm if role in theme.INDENTED_ROLES else 0
        return self.line(
            f"role-{role.value}",
            theme.PARAGRAPH_SIZE[role],
            italic=role in theme.ITALIC_ROLES,
            align=theme.PARAGRAPH_ALIGN[role],
            firstLineIndent=indent,
            spaced=role in theme.SPACED_ROLES,
            spaceAfter=theme.SPACE_AFTER_PT,
            keepWithNext=int(role is ParagraphRole.CLOSING),
        )

    def _heading_style(self, level: int, spec: dict) -> ParagraphStyle:
        # Headings sit in the body's column with its first-line indent, not justified; never last on a page.
        return self.line(
            f"heading-{level}",
            theme.BODY_SIZE,
            spec["bold"],
            spec["italic"],
            align=theme.HEADING_ALIGN,
            spaced=True,
            firstLineIndent=theme.FIRST_LINE_INDENT_MM * mm,
            spaceBefore=theme.HEADING_SPACE_BEFORE_PT,
            spaceAfter=theme.SPACE_AFTER_PT,
            keepWithNext=1,
        )


@cache
def styles_for(family: RegisteredFamily) -> PdfStyles:
    """The styles of ``family``, built on first use and shared by every write in the process."""
    return PdfStyles(family)
