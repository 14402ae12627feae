"""The fixed-form blocks of page 1 and the signature, as reportlab flowables.

Decree 30/2020 wants solid drawn rules of set lengths (as long as the motto;
a fraction of the agency name; ≈ 35 mm under the summary), so rules are a
small flowable drawing a real line, never characters.  The header and the
signature are borderless two-column tables whose first lines sit level.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ..document.model import DocumentTitle, OfficialHeader, SignatureBlock
from . import theme
from .pdf_styles import PdfStyles, face, markup


class HorizontalRule(Flowable):
    """A solid line ``length`` points long, centred in the space it is given."""

    def __init__(self, length: float, thickness: float = theme.RULE_WIDTH_PT,
                 space_before: float = theme.RULE_GAP_PT, space_after: float = theme.RULE_SPACE_AFTER_PT) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.space_before = space_before
        self.space_after = space_after
        self._avail = length

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (reportlab API)
        self._avail = availWidth
        return availWidth, self.space_before + self.thickness + self.space_after

    def draw(self) -> None:
        x = (self._avail - self.length) / 2
        y = self.space_after + self.thickness / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, y, x + self.length, y)

    def __repr__(self) -> str:
        return f"HorizontalRule({self.length:.1f}pt)"


def borderless(styles: PdfStyles) -> list[tuple]:
    """Table commands for a layout table: no lines, no vertical padding, first lines at the top."""
    return [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (0, 0), (-1, -1), theme.TABLE_CELL_PADDING_MM * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), theme.TABLE_CELL_PADDING_MM * mm),
        table_font(styles),
    ]


def table_font(styles: PdfStyles) -> tuple:
    """Every table names the report's font: reportlab's default (Helvetica) would be named but not embedded."""
    return ("FONTNAME", (0, 0), (-1, -1), styles.family.regular)


def official_header(block: OfficialHeader, styles: PdfStyles) -> Table:
    """Page-1 header: agency | national title and motto; then "Số: …" | place and date, on one baseline."""
    inner = [(width - 2 * theme.TABLE_CELL_PADDING_MM) * mm for width in (theme.HEADER_LEFT_MM, theme.HEADER_RIGHT_MM)]
    left, right = level_first_lines(_agency_cell(block, styles, inner[0]), _national_cell(block, styles, inner[1]))
    second_row = [Paragraph(markup(block.number), styles.line("number", theme.NUMBER_SIZE)),
                  Paragraph(markup(block.place_date), styles.line("place-date", theme.PLACE_DATE_SIZE, italic=True))]
    table = Table([[left, right], second_row], colWidths=[theme.HEADER_LEFT_MM * mm, theme.HEADER_RIGHT_MM * mm],
                  style=TableStyle(borderless(styles)), hAlign="CENTER")
    table.spaceAfter = theme.TITLE_BLOCK_SPACE_PT
    return table


def _agency_cell(block: OfficialHeader, styles: PdfStyles, width: float) -> list:
    """Superior (regular) and agency lines (bold; they may wrap), then the short centred rule."""
    cell: list = []
    if block.superior:
        cell.append(Paragraph(markup(block.superior), styles.line("superior", theme.SUPERIOR_SIZE)))
    agency_style = styles.line("agency", theme.AGENCY_SIZE, bold=True)
    cell += [Paragraph(markup(line), agency_style) for line in block.agency]
    bold = face(styles.family, bold=True)
    widest = max((stringWidth(line, bold, theme.AGENCY_SIZE) for line in block.agency), default=0)
    cell.append(HorizontalRule(min(widest, width) * theme.AGENCY_RULE_RATIO))
    return cell


def _national_cell(block: OfficialHeader, styles: PdfStyles, width: float) -> list:
    """National title and motto, each on one line, and the rule as long as the motto."""
    bold = face(styles.family, bold=True)
    title_size = fitting_size(block.national_title, bold, theme.NATIONAL_TITLE_SIZE, width)
    motto_size = fitting_size(block.motto, bold, theme.MOTTO_SIZE, width)
    return [
        Paragraph(markup(block.national_title), styles.line(f"national-title-{title_size:.2f}", title_size, True)),
        Paragraph(markup(block.motto), styles.line(f"motto-{motto_size:.2f}", motto_size, True)),
        HorizontalRule(stringWidth(block.motto, bold, motto_size) * theme.MOTTO_RULE_RATIO),
    ]


def fitting_size(text: str, font_name: str, size: float, width: float) -> float:
    """``size``, or smaller so that ``text`` fits ``width`` on one line.

    Decree 30 sets the national title and the motto on one line each; with
    Times New Roman or a metric-compatible font they fit at the decree's sizes,
    and only a wider fallback font (DejaVu Serif) needs them set smaller.
    """
    natural = stringWidth(text, font_name, size)
    return size if natural <= width else size * width / natural


def document_title(block: DocumentTitle, styles: PdfStyles, width: float) -> list:
    """"BÁO CÁO", the summary lines, and the short rule; kept together.

    The summary keeps the model's line breaks while every line fits the text
    width; if one does not, the lines are joined into one paragraph, since
    reportlab would otherwise wrap that line alone and leave a stub line.
    """
    style = styles.line("title", theme.TITLE_SIZE, bold=True)
    bold = face(styles.family, bold=True)
    lines = block.summary
    if any(stringWidth(line, bold, theme.TITLE_SIZE) > width for line in lines):
        lines = (" ".join(lines),)
    flowables: list = [Paragraph(markup(block.kind), style)]
    flowables += [Paragraph(markup(line), style) for line in lines]
    flowables.append(HorizontalRule(theme.SUMMARY_RULE_MM * mm, space_after=theme.TITLE_BLOCK_SPACE_PT))
    for flowable in flowables[:-1]:
        flowable.keepWithNext = 1
    return flowables


def signature_block(block: SignatureBlock, styles: PdfStyles, width: float) -> Table:
    """"Nơi nhận:" and the recipients on the left; the signer on the right; first lines level."""
    left: list = [Paragraph(markup(block.recipients_label),
                            styles.line("recipients-label", theme.RECIPIENTS_LABEL_SIZE, True, True, "left"))]
    recipient_style = styles.line("recipients", theme.RECIPIENTS_SIZE, align="left")
    left += [Paragraph(markup(line), recipient_style) for line in block.recipients]

    signer_style = styles.line("signer", theme.SIGNATURE_SIZE, bold=True)
    right: list = [Paragraph(markup(line), signer_style) for line in (*block.authority, block.title)]
    right += [Spacer(1, theme.SIGNATURE_SPACE_MM * mm), Paragraph(markup(block.name), signer_style)]
    left, right = level_first_lines(left, right)

    left_width = width * theme.SIGNATURE_LEFT_RATIO
    table = Table([[left, right]], colWidths=[left_width, width - left_width],
                  style=TableStyle(borderless(styles) + [("LEFTPADDING", (0, 0), (0, 0), 0)]), hAlign="CENTER")
    # Twice the paragraph gap under the closing paragraph (a frame overlaps space-before with space-after).
    table.spaceBefore = 2 * theme.SPACE_AFTER_PT
    return table


def level_first_lines(left: list, right: list) -> tuple[list, list]:
    """Pad the top of one cell so both cells' first baselines are level.

    reportlab sets a paragraph's first baseline one font size below its top,
    so the cell whose first line is smaller gets the difference as a spacer.
    """
    difference = _first_size(right) - _first_size(left)
    if difference > 0:
        left = [Spacer(1, difference), *left]
    elif difference < 0:
        right = [Spacer(1, -difference), *right]
    return left, right


def _first_size(cell: list) -> float:
    first = cell[0]
    return first.style.fontSize if isinstance(first, Paragraph) else 0.0
