"""The fixed Decree 30 pieces of the Word file: page-1 header, title and summary, signature block.

Each function returns the WordprocessingML of one block (see :mod:`.xml`).
The header and the signature are borderless two-column tables, as in the
decree's own templates (Phụ lục III); the rules under the agency name, the
motto and the summary are drawn as real lines — the bottom border of an empty,
thin paragraph whose indents make it exactly as long as the rule — never as
underlined or box-drawing characters, which reviewers reject.
"""

from __future__ import annotations

from reportgen.document.model import Addressees, DocumentTitle, OfficialHeader, SignatureBlock
from reportgen.typeface.metrics import MM_PER_POINT, line_widths_mm, text_width_mm
from reportgen.writers.docx import xml as x
from reportgen.writers.keep_together import keep_together
from reportgen.writers.theme import (
    ADDRESSEES_SIZE,
    ADDRESSEES_SPACE_PT,
    AGENCY_RULE_RATIO,
    AGENCY_SIZE,
    EMPTY_PARAGRAPH_PT,
    MOTTO_RULE_RATIO,
    MOTTO_SIZE,
    NATIONAL_TITLE_SIZE,
    NUMBER_SIZE,
    PLACE_DATE_SIZE,
    RECIPIENTS_LABEL_SIZE,
    RECIPIENTS_SIZE,
    RULE_GAP_PT,
    RULE_SPACE_AFTER_PT,
    RULE_WIDTH_PT,
    SIGNATURE_LEFT_RATIO,
    SIGNATURE_SIZE,
    SIGNATURE_SPACE_MM,
    SUMMARY_RULE_RATIO,
    SUPERIOR_SIZE,
    TABLE_CELL_PADDING_MM,
    TITLE_BLOCK_SPACE_PT,
    TITLE_SIZE,
    header_columns_mm,
)

CENTRED = x.ParagraphFormat(align="center")
FLUSH_LEFT = x.ParagraphFormat(align="left")


def rule(length_mm: float, box_mm: float, space_after_pt: float) -> str:
    """A solid rule ``length_mm`` long centred in a box ``box_mm`` wide, just under the line above it."""
    indent = max(0.0, (box_mm - length_mm) / 2)
    fmt = x.ParagraphFormat(
        left_mm=indent,
        right_mm=indent,
        exact_pt=RULE_GAP_PT,
        after_pt=space_after_pt,
        rule_pt=RULE_WIDTH_PT,
        mark_size=EMPTY_PARAGRAPH_PT,
    )
    return x.paragraph(fmt)


def _line(text: str, font: x.Font, fmt: x.ParagraphFormat = CENTRED) -> str:
    return x.paragraph(fmt, x.run(text, font))


def _inner_width_mm(cell_twips: int) -> float:
    """Width available to text in a layout-table cell."""
    return cell_twips / x.TWIPS_PER_MM - 2 * TABLE_CELL_PADDING_MM


def _layout_table(widths: tuple[int, ...], rows: list[list[str]]) -> str:
    """A borderless table; each row a list of cell contents (paragraph XML), one per column."""
    rows_xml = (x.row(x.cell(width, content) for width, content in zip(widths, cells)) for cells in rows)
    return x.table(x.TableFormat(widths, TABLE_CELL_PADDING_MM), rows_xml)


# ------------------------------------------------------------------ header ----


def official_header(header: OfficialHeader, width_mm: float) -> str:
    """Boxes 1–4 of page 1 as a 2×2 table; "Số: …" and the place and date share row 2, hence a baseline.

    The national title keeps its size; its column is widened if it would not fit (Times New Roman always
    fits the theme's column)."""
    columns = header_columns_mm(text_width_mm(header.national_title, NATIONAL_TITLE_SIZE, bold=True), width_mm)
    widths = x.scale_widths(columns, width_mm)
    left = [_line(header.superior, x.Font(SUPERIOR_SIZE))] if header.superior else []
    agency = x.Font(AGENCY_SIZE, bold=True)
    left += [_line(line, agency) for line in header.agency]
    name_width = max((text_width_mm(line, AGENCY_SIZE, bold=True) for line in header.agency), default=0.0)
    left.append(rule(AGENCY_RULE_RATIO * name_width, _inner_width_mm(widths[0]), RULE_SPACE_AFTER_PT))

    right = [
        _line(header.national_title, x.Font(NATIONAL_TITLE_SIZE, bold=True)),
        _line(header.motto, x.Font(MOTTO_SIZE, bold=True)),
    ]
    motto_width = text_width_mm(header.motto, MOTTO_SIZE, bold=True)
    right.append(rule(MOTTO_RULE_RATIO * motto_width, _inner_width_mm(widths[1]), RULE_SPACE_AFTER_PT))

    number = _line(header.number, x.Font(NUMBER_SIZE))
    place_date = _line(header.place_date, x.Font(PLACE_DATE_SIZE, italic=True))
    return _layout_table(widths, [["".join(left), "".join(right)], [number, place_date]])


# ------------------------------------------------------------------- title ----


def document_title(title: DocumentTitle, width_mm: float) -> list[str]:
    """ "BÁO CÁO", the summary and its rule: three paragraphs kept together and with the body.

    The rule is a share of the summary's longest printed line (Phụ lục I §II.5.b: 1/3 to 1/2)."""
    bold = x.Font(TITLE_SIZE, bold=True)
    kind = x.paragraph(
        x.ParagraphFormat(align="center", before_pt=TITLE_BLOCK_SPACE_PT, keep_next=True), x.run(title.kind, bold)
    )
    text = summary_text(tuple(keep_together(line) for line in title.summary), width_mm)
    summary = x.paragraph(x.ParagraphFormat(align="center", keep_next=True), x.run(text, bold))
    longest = max(width for line in text.split("\n") for width in line_widths_mm(line, width_mm, TITLE_SIZE, True))
    return [kind, summary, rule(SUMMARY_RULE_RATIO * longest, width_mm, TITLE_BLOCK_SPACE_PT)]


def addressees(block: Addressees, width_mm: float) -> list[str]:
    """ "Kính gửi: X." on one centred line; or "Kính gửi:" then one line per addressee, the dashes under the
    colon (Phụ lục I §II.9.a), the whole block centred on the page; then the space before the body."""
    font = x.Font(ADDRESSEES_SIZE)
    last = x.ParagraphFormat(align="center", after_pt=ADDRESSEES_SPACE_PT, keep_next=True)
    if len(block.lines) == 1:
        return [x.paragraph(last, x.run(keep_together(f"{block.label} {block.lines[0]}"), font))]
    left, colon, dash = addressee_indents_mm(block, width_mm)
    label = x.paragraph(x.ParagraphFormat(align="left", left_mm=left, keep_next=True), x.run(block.label, font))
    lines = []
    for number, line in enumerate(block.lines, 1):
        fmt = x.ParagraphFormat(
            align="left",
            left_mm=colon + dash,
            first_line_mm=-dash,
            keep_next=True,
            after_pt=ADDRESSEES_SPACE_PT if number == len(block.lines) else None,
        )
        lines.append(x.paragraph(fmt, x.run(keep_together(line), font)))
    return [label, *lines]


def addressee_indents_mm(block: Addressees, width_mm: float) -> tuple[float, float, float]:
    """(left edge of "Kính gửi:", x of its colon, width of a line's "- ") for several addressees, the block
    centred in ``width_mm`` (measured in Times New Roman, as the PDF measures in its font)."""
    colon = text_width_mm(block.label.rstrip(":"), ADDRESSEES_SIZE)
    dash = text_width_mm("- ", ADDRESSEES_SIZE)
    widest = max(text_width_mm(line, ADDRESSEES_SIZE) for line in block.lines)
    left = max(0.0, (width_mm - min(colon + widest, width_mm)) / 2)
    return left, left + colon, dash


def summary_text(lines: tuple[str, ...], width_mm: float) -> str:
    """The summary's lines as the model breaks them, or as one flowing text when a line would not fit.

    A forced break after a line that wraps anyway leaves a ragged short line,
    so the lines are then joined with a space and Word breaks them itself.
    """
    fits = all(text_width_mm(line, TITLE_SIZE, bold=True) <= width_mm for line in lines)
    return ("\n" if fits else " ").join(lines)


# --------------------------------------------------------------- signature ----


def signature(block: SignatureBlock, width_mm: float) -> str:
    """ "Nơi nhận" left, the signer right, top lines level; one row that never splits across pages."""
    widths = x.scale_widths((SIGNATURE_LEFT_RATIO, 1 - SIGNATURE_LEFT_RATIO), width_mm)
    left = _line(block.recipients_label, x.Font(RECIPIENTS_LABEL_SIZE, bold=True, italic=True), FLUSH_LEFT)
    left += "".join(_line(line, x.Font(RECIPIENTS_SIZE), FLUSH_LEFT) for line in block.recipients)

    bold = x.Font(SIGNATURE_SIZE, bold=True)
    right = "".join(_line(line, bold) for line in (*block.authority, block.title))
    space_for_seal = x.ParagraphFormat(align="center", before_pt=SIGNATURE_SPACE_MM / MM_PER_POINT)
    right += _line(block.name, bold, space_for_seal)
    return _layout_table(widths, [[left, right]])
