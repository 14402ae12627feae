"""The fixed-form blocks of page 1 and the signature, as reportlab flowables.

Decree 30/2020 wants solid drawn rules of set lengths (as long as the motto;
a fraction of the agency name; ≈ 35 mm under the summary), so rules are a
small flowable drawing a real line, never characters.  The header and the
signature are borderless two-column tables whose first lines sit level.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from reportgen.document.model import Addressees, DocumentTitle, OfficialHeader, SignatureBlock
from reportgen.writers import theme
from reportgen.writers.keep_together import keep_together
from reportgen.writers.pdf.measured_paragraph import PdfParagraph
from reportgen.writers.pdf.paragraph_styles import PdfStyles, face, markup


@dataclass(frozen=True)
class SignatureBox:
    """Where the empty space between the signer's title and name was drawn: the visible signature that issuing
    adds goes centred in it, the seal over its left third (Phụ lục I §II.7.d, §II.8)."""

    page: int
    """Page index, from 0."""
    left: float
    bottom: float
    right: float
    top: float
    """PDF points from the page's bottom-left corner."""


class HorizontalRule(Flowable):
    """A solid line ``length`` points long, centred in the space it is given."""

    def __init__(
        self,
        length: float,
        thickness: float = theme.RULE_WIDTH_PT,
        space_before: float = theme.RULE_GAP_PT,
        space_after: float = theme.RULE_SPACE_AFTER_PT,
    ) -> None:
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


def official_header(block: OfficialHeader, styles: PdfStyles, width: float) -> Table:
    """Page-1 header: agency | national title and motto; then "Số: …" | place and date, on one baseline.

    The national title keeps its size (12 pt); where the font is wider than Times (the DejaVu fallback) its
    column is widened and the agency's narrowed, never the title shrunk."""
    bold = face(styles.family, bold=True)
    title_mm = stringWidth(block.national_title, bold, theme.NATIONAL_TITLE_SIZE) / mm
    columns = [column * mm for column in theme.header_columns_mm(title_mm, width / mm)]
    inner = [column - 2 * theme.TABLE_CELL_PADDING_MM * mm for column in columns]
    left, right = level_first_lines(_agency_cell(block, styles, inner[0]), _national_cell(block, styles, inner[1]))
    second_row = [
        PdfParagraph(markup(block.number), styles.line("number", theme.NUMBER_SIZE)),
        PdfParagraph(markup(block.place_date), styles.line("place-date", theme.PLACE_DATE_SIZE, italic=True)),
    ]
    table = Table([[left, right], second_row], colWidths=columns, style=TableStyle(borderless(styles)), hAlign="CENTER")
    table.spaceAfter = theme.TITLE_BLOCK_SPACE_PT
    return table


def _agency_cell(block: OfficialHeader, styles: PdfStyles, width: float) -> list:
    """Superior (regular) and agency lines (bold; they may wrap), then the short centred rule."""
    cell: list = []
    if block.superior:
        cell.append(PdfParagraph(markup(block.superior), styles.line("superior", theme.SUPERIOR_SIZE)))
    agency_style = styles.line("agency", theme.AGENCY_SIZE, bold=True)
    cell += [PdfParagraph(markup(line), agency_style) for line in block.agency]
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
        PdfParagraph(markup(block.national_title), styles.line(f"national-title-{title_size:.2f}", title_size, True)),
        PdfParagraph(markup(block.motto), styles.line(f"motto-{motto_size:.2f}", motto_size, True)),
        HorizontalRule(stringWidth(block.motto, bold, motto_size) * theme.MOTTO_RULE_RATIO),
    ]


def fitting_size(text: str, font_name: str, size: float, width: float) -> float:
    """``size``, or smaller so that ``text`` fits ``width`` on one line: a last resort, for a column that
    could not be widened enough (:func:`theme.header_columns_mm` widens it first)."""
    natural = stringWidth(text, font_name, size)
    return size if natural <= width else size * width / natural


def document_title(block: DocumentTitle, styles: PdfStyles, width: float) -> list:
    """ "BÁO CÁO", the summary lines, and the short rule; kept together.

    The summary keeps the model's line breaks while every line fits the text
    width; if one does not, the lines are joined into one paragraph, since
    reportlab would otherwise wrap that line alone and leave a stub line.  The
    rule is a share of the longest printed line (Phụ lục I §II.5.b: 1/3 to 1/2).
    """
    style = styles.line("title", theme.TITLE_SIZE, bold=True)
    bold = face(styles.family, bold=True)
    lines = tuple(keep_together(line) for line in block.summary)
    if any(stringWidth(line, bold, theme.TITLE_SIZE) > width for line in lines):
        lines = (" ".join(lines),)
    printed = [piece for line in lines for piece in simpleSplit(line, bold, theme.TITLE_SIZE, width)]
    longest = max((stringWidth(piece, bold, theme.TITLE_SIZE) for piece in printed), default=0.0)
    flowables: list = [PdfParagraph(markup(block.kind), style)]
    flowables += [PdfParagraph(markup(line), style) for line in lines]
    flowables.append(HorizontalRule(theme.SUMMARY_RULE_RATIO * longest, space_after=theme.TITLE_BLOCK_SPACE_PT))
    for flowable in flowables[:-1]:
        flowable.keepWithNext = 1
    return flowables


def addressees(block: Addressees, styles: PdfStyles, width: float) -> list:
    """ "Kính gửi: X." on one centred line; or "Kính gửi:" then one line per addressee, each dash under the
    colon (Phụ lục I §II.9.a), the block centred on the page."""
    regular = face(styles.family)
    size = theme.ADDRESSEES_SIZE
    if len(block.lines) == 1:
        style = styles.line("addressee", size, spaceAfter=theme.ADDRESSEES_SPACE_PT)
        return [_kept(PdfParagraph(markup(keep_together(f"{block.label} {block.lines[0]}")), style))]
    colon = stringWidth(block.label.rstrip(":"), regular, size)
    dash = stringWidth("- ", regular, size)
    widest = max(stringWidth(line, regular, size) for line in block.lines)
    left = max(0.0, (width - min(colon + widest, width)) / 2)
    flowables = [
        _kept(PdfParagraph(markup(block.label), styles.line("addressee-label", size, align="left", leftIndent=left)))
    ]
    line_style = styles.line(
        "addressee-line", size, align="left", leftIndent=left + colon + dash, firstLineIndent=-dash
    )
    last_style = styles.line(
        "addressee-last",
        size,
        align="left",
        leftIndent=left + colon + dash,
        firstLineIndent=-dash,
        spaceAfter=theme.ADDRESSEES_SPACE_PT,
    )
    for number, line in enumerate(block.lines, 1):
        style = last_style if number == len(block.lines) else line_style
        flowables.append(_kept(PdfParagraph(markup(keep_together(line)), style)))
    return flowables


def _kept(flowable: Flowable) -> Flowable:
    flowable.keepWithNext = 1
    return flowable


class SignatureSpace(Spacer):
    """The empty space for signature and seal; it records where it is drawn into ``found`` (a
    :class:`SignatureBox`), for the writer to hand to whoever signs the PDF."""

    def __init__(self, width: float, height: float, found: list | None = None) -> None:
        super().__init__(width, height)
        self.found = found if found is not None else []

    def draw(self) -> None:
        canvas = self.canv
        left, bottom = canvas.absolutePosition(0, 0)
        right, top = canvas.absolutePosition(self.width, self.height)
        self.found.append(SignatureBox(canvas.getPageNumber() - 1, left, bottom, right, top))


def signature_block(block: SignatureBlock, styles: PdfStyles, width: float, found: list | None = None) -> Table:
    """ "Nơi nhận:" and the recipients on the left; the signer on the right; first lines level."""
    left: list = [
        PdfParagraph(
            markup(block.recipients_label),
            styles.line("recipients-label", theme.RECIPIENTS_LABEL_SIZE, True, True, "left"),
        )
    ]
    recipient_style = styles.line("recipients", theme.RECIPIENTS_SIZE, align="left")
    left += [PdfParagraph(markup(line), recipient_style) for line in block.recipients]

    signer_style = styles.line("signer", theme.SIGNATURE_SIZE, bold=True)
    right: list = [PdfParagraph(markup(line), signer_style) for line in (*block.authority, block.title)]
    space_width = width * (1 - theme.SIGNATURE_LEFT_RATIO) - 2 * theme.TABLE_CELL_PADDING_MM * mm - 0.01
    right += [
        SignatureSpace(space_width, theme.SIGNATURE_SPACE_MM * mm, found),
        PdfParagraph(markup(block.name), signer_style),
    ]
    left, right = level_first_lines(left, right)

    left_width = width * theme.SIGNATURE_LEFT_RATIO
    table = Table(
        [[left, right]],
        colWidths=[left_width, width - left_width],
        style=TableStyle(borderless(styles) + [("LEFTPADDING", (0, 0), (0, 0), 0)]),
        hAlign="CENTER",
    )
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
    return first.style.fontSize if isinstance(first, PdfParagraph) else 0.0
