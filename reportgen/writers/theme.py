"""Layout values shared by the Word and PDF writers: the page, fonts and spacing of Decree 30/2020.

Both writers read their sizes here so that the .docx and the .pdf agree; the
values are the decree's own sample set where it gives a range.  Lengths are
in millimetres, font sizes in points.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.document.model import ParagraphRole

FONT_NAME = "Times New Roman"
LANGUAGE = "vi-VN"
"""Language of the text (spelling, hyphenation) as Word tags it."""

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0


@dataclass(frozen=True)
class Margins:
    top: float
    bottom: float
    left: float
    right: float


PORTRAIT_MARGINS = Margins(top=20, bottom=20, left=30, right=15)
"""T 20, B 20, L 30, R 15 mm: text width 165 mm."""
LANDSCAPE_MARGINS = Margins(top=20, bottom=20, left=20, right=15)
"""The appendix table needs the width; binding stays on the long edge."""

HEADER_DISTANCE_MM = 10.0
"""Distance from the top edge to the page number in the header."""

# --- sizes (pt) ---------------------------------------------------------------
BODY_SIZE = 14.0
NATIONAL_TITLE_SIZE = 12.0
MOTTO_SIZE = 13.0
AGENCY_SIZE = 12.0
SUPERIOR_SIZE = 12.0
NUMBER_SIZE = 13.0
PLACE_DATE_SIZE = 13.0
TITLE_SIZE = 14.0
"""'BÁO CÁO' and the summary line."""
PAGE_NUMBER_SIZE = 14.0
RECIPIENTS_LABEL_SIZE = 12.0
RECIPIENTS_SIZE = 11.0
SIGNATURE_SIZE = 14.0
NOTE_SIZE = 12.0
CAPTION_SIZE = 12.0

# --- body paragraphs ------------------------------------------------------------
FIRST_LINE_INDENT_MM = 12.7
"""1,27 cm."""
SPACE_AFTER_PT = 6.0
"""At least 6 pt between paragraphs."""
LINE_SPACING = 1.15
"""Body and headings: a multiple of single spacing (Decree 30 allows 1.0 to 1.5)."""
SINGLE_LINE_EM = 1.15
"""Single line spacing in em: Times New Roman's (and Liberation Serif's) ascent + descent + gap.
Word's "single" is this height, so the PDF leading is size × SINGLE_LINE_EM (× LINE_SPACING in body)."""
SPACED_ROLES = (ParagraphRole.BODY, ParagraphRole.CLOSING)
"""Roles set with LINE_SPACING; everything else (header, notes, captions, tables) is single-spaced."""
HEADING_SPACE_BEFORE_PT = 6.0
HEADING_ALIGN = "left"
"""Headings are not justified: a wrapped heading's first line would be stretched word by word."""

# --- page-1 header table: agency | national title and motto; "Số: …" | place and date -----
HEADER_LEFT_MM = 62.0
HEADER_RIGHT_MM = 103.0
AGENCY_RULE_RATIO = 0.4
"""The rule under the agency name: 1/3–1/2 of the name's width, centred."""
MOTTO_RULE_RATIO = 1.0
"""The rule under the motto: as long as the motto."""
SUMMARY_RULE_RATIO = 0.4
"""The rule under the summary (trích yếu): 1/3–1/2 of its longest printed line (Phụ lục I §II.5.b)."""
HEADER_COLUMN_SLACK_MM = 1.0
"""Room left beside the national title in its column, so that a font's rounding never wraps it."""
RULE_WIDTH_PT = 0.6
EMPTY_PARAGRAPH_PT = 1.0
"""Font size of the empty paragraphs that only carry a rule, a page break or a section break (Word):
they take next to no height."""
RULE_GAP_PT = 4.0
"""Between a line of text and the drawn rule under it."""
RULE_SPACE_AFTER_PT = 6.0
"""Below a drawn rule, before the next line ("Số: …", the body)."""
TITLE_BLOCK_SPACE_PT = 12.0
"""Above "BÁO CÁO" (below the page-1 header) and below the summary rule (above the body)."""

# --- "Kính gửi:" (Phụ lục I §II.9.a) ------------------------------------------------------
ADDRESSEES_SIZE = 14.0
"""13–14 pt, upright."""
ADDRESSEES_SPACE_PT = 12.0
"""Below the addressees, before the body."""

# --- sample-data watermark --------------------------------------------------------------
WATERMARK_SIZE = 66.0
WATERMARK_GREY = 0.85
"""Light enough to read the text through, dark enough to survive a photocopy."""
WATERMARK_ANGLE = 45.0
WATERMARK_SPAN_MM = 230.0
"""The longest a watermark may run across a portrait page's text area (its diagonal less a margin): a longer
text (a working folder's own wording) is set smaller rather than run off the page."""


def watermark_size(width_at_one_point_mm: float) -> float:
    """The watermark's font size: :data:`WATERMARK_SIZE`, smaller for a text that would not fit the span."""
    return min(WATERMARK_SIZE, WATERMARK_SPAN_MM / width_at_one_point_mm) if width_at_one_point_mm else WATERMARK_SIZE


# --- signature table ------------------------------------------------------------------
SIGNATURE_LEFT_RATIO = 0.45
SIGNATURE_SPACE_MM = 30.0
"""Empty space between the title and the name, for signature and seal."""

# --- appendix -----------------------------------------------------------------------------
TABLE_CELL_PADDING_MM = 0.8
TABLE_BORDER_PT = 0.5
"""Thin black borders of the appendix table."""
FIGURE_SPACE_PT = 6.0


def header_columns_mm(national_title_mm: float, text_width_mm: float) -> tuple[float, float]:
    """(left, right) widths of the page-1 header table: the theme's, the right column widened (the left
    narrowed) when the national title set at its size would not fit on one line (the Quốc hiệu is never set
    below 12 pt to fit its column; the column is made wider instead)."""
    right = max(HEADER_RIGHT_MM, national_title_mm + 2 * TABLE_CELL_PADDING_MM + HEADER_COLUMN_SLACK_MM)
    right = min(right, text_width_mm - 40.0)  # the agency column keeps room for "ỦY BAN NHÂN DÂN" at 12 pt
    return text_width_mm - right, right


HEADING_STYLES = {
    1: {"bold": True, "italic": False, "upper": True},
    2: {"bold": True, "italic": False, "upper": False},
    3: {"bold": False, "italic": True, "upper": False},
}
"""I. (upper, bold) — 1. (bold) — a) (regular; italic in common practice)."""

PARAGRAPH_ALIGN = {
    ParagraphRole.BODY: "justify",
    ParagraphRole.CLOSING: "justify",
    ParagraphRole.APPENDIX_LABEL: "center",
    ParagraphRole.APPENDIX_TITLE: "center",
    ParagraphRole.APPENDIX_REFERENCE: "center",
    ParagraphRole.NOTE: "left",
    ParagraphRole.CAPTION: "center",
}
PARAGRAPH_SIZE = {
    ParagraphRole.BODY: BODY_SIZE,
    ParagraphRole.CLOSING: BODY_SIZE,
    ParagraphRole.APPENDIX_LABEL: 14.0,
    ParagraphRole.APPENDIX_TITLE: 14.0,
    ParagraphRole.APPENDIX_REFERENCE: 13.0,
    ParagraphRole.NOTE: NOTE_SIZE,
    ParagraphRole.CAPTION: CAPTION_SIZE,
}
INDENTED_ROLES = (ParagraphRole.BODY, ParagraphRole.CLOSING)
"""Roles set with the first-line indent."""
ITALIC_ROLES = (ParagraphRole.NOTE, ParagraphRole.CAPTION, ParagraphRole.APPENDIX_REFERENCE)
"""Roles set in italic whatever their runs say."""
