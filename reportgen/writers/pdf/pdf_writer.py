"""PDF writer: the document model laid out with reportlab platypus (Decree 30/2020).

Sizes, margins and spacing come from :mod:`reportgen.writers.theme`, shared
with the Word writer; words come only from the model.  Before anything is
drawn, every character is checked against the font (a missing glyph is a
:class:`RenderError`, never an empty box), and every block type must have a
rule here (:class:`~reportgen.document.model.UnsupportedBlock` otherwise).  Charts are drawn as vector
graphics from the figure's chart data (:mod:`reportgen.writers.pdf.vector_chart`),
not placed as a picture.  Output is reproducible:
reportlab's invariant mode plus fixed metadata give the same bytes for the
same document.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, LayoutError, NextPageTemplate, TableStyle
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.tables import CellStyle

# Streams as binary Flate data, not ASCII85 text: a quarter smaller, and neither encoded here nor
# decoded by the read-back check.  (A process-wide reportlab setting; reportgen owns the process.)
rl_config.useA85 = 0

from reportgen.charts.compose import compose
from reportgen.core.errors import RenderError
from reportgen.document.model import (
    Addressees,
    Document,
    DocumentTitle,
    Figure,
    Heading,
    ListItem,
    Metadata,
    OfficialHeader,
    PageBreak,
    Paragraph,
    ParagraphRole,
    RowKind,
    Run,
    SignatureBlock,
    Table,
)
from reportgen.typeface.glyph_check import check_glyphs, missing_glyph
from reportgen.typeface.report_font import RegisteredFamily, pdf_font_family
from reportgen.typeface.subset_codes import prime
from reportgen.writers import theme
from reportgen.writers.block_dispatch import BlockDispatcher
from reportgen.writers.keep_together import keep_together, keep_together_within
from reportgen.writers.pdf.cell import FIT_MARGIN_PT, cell_flowable
from reportgen.writers.pdf.flowables import SignatureBox, addressees, document_title, official_header, signature_block
from reportgen.writers.pdf.measured_paragraph import PdfParagraph
from reportgen.writers.pdf.pages import first_template_id, frame_width, section_templates
from reportgen.writers.pdf.paragraph_styles import WRITER_CHARACTERS, PdfStyles, markup, runs_markup, styles_for
from reportgen.writers.pdf.table_run import table_runs
from reportgen.writers.pdf.vector_chart import ChartFlowable, check_chart_glyphs
from reportgen.writers.strings import document_strings, document_texts, snippet

CREATOR = PRODUCER = "reportgen"
"""The PDF's Creator and Producer: reportgen, not reportlab's "ReportLab PDF Library" advertisement."""
WRITER_TEXT_PLACE = "số trang, gạch đầu dòng"
"""Where the characters the writer adds itself are drawn (named if the font lacks one)."""
LIST_DASH = "- "
"""ListItem text comes without its dash (the markup parser strips it); the writer sets it, as plain_text.py does."""


@dataclass(frozen=True)
class _Context:
    """What a block needs to know about where it is drawn."""

    styles: PdfStyles
    width: float
    """Text width of the current section, in points."""
    section: int
    """Number of the current section, from 1 (for messages)."""
    signature_boxes: list
    """Where the space for signature and seal was drawn (filled as the pages are drawn)."""


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    signature: SignatureBox | None
    """The space between the signer's title and name, for the visible signature issuing adds; None for a
    document without a signature block."""


class PdfWriter(BlockDispatcher):
    """Writes a :class:`Document` as an A4 PDF; appendix sections in landscape."""

    name = "pdf"
    format = "pdf"
    suffix = ".pdf"

    def __init__(self, font_dir: Path | str | None = None, system_fonts: bool = True) -> None:
        self.font_dir = font_dir
        """A folder of TTFs searched first (else $REPORTGEN_PDF_FONT_DIR, else the system's fonts)."""
        self.system_fonts = system_fonts
        """False: skip the machine's fonts (tests use it to force the bundled fallback)."""

    def write(self, document: Document, path: Path) -> None:
        Path(path).write_bytes(self.render_bytes(document))

    def render_bytes(self, document: Document) -> bytes:
        """The PDF as bytes; raises RenderError (missing glyph) or UnsupportedBlock before laying out."""
        return self.render_pdf(document).data

    def render_pdf(self, document: Document) -> RenderedPdf:
        """The PDF and where its signature space was drawn (what signing needs to place the visible signature)."""
        family = pdf_font_family(self.font_dir, self.system_fonts)
        _check_glyphs(document, family)
        boxes: list[SignatureBox] = []
        templates, story = self._story(document, styles_for(family), boxes)
        buffer = io.BytesIO()
        try:
            _ReportDocTemplate(buffer, templates, document.metadata, family).build(story)
        except LayoutError as exc:  # e.g. a table row taller than a page
            raise RenderError(f"Không dàn trang được PDF: {exc}") from exc
        return RenderedPdf(buffer.getvalue(), boxes[-1] if boxes else None)

    def _story(self, document: Document, styles: PdfStyles, boxes: list) -> tuple[list, list[Flowable]]:
        """Page templates (two per section) and the flowables; each section starts on a new page."""
        templates: list = []
        story: list[Flowable] = []
        for index, section in enumerate(document.sections):
            templates += section_templates(
                index, section, styles.family.regular, document.watermark, styles.family.bold
            )
            if index:
                story += [NextPageTemplate(first_template_id(index)), PdfPageBreak()]
            context = _Context(styles, frame_width(section), index + 1, boxes)
            for block in section.blocks:
                story += self.render(block, context)
        return templates, story

    # ------------------------------------------------------------------ blocks ----

    def block_OfficialHeader(self, block: OfficialHeader, context: _Context) -> list[Flowable]:
        return [official_header(block, context.styles, context.width)]

    def block_DocumentTitle(self, block: DocumentTitle, context: _Context) -> list[Flowable]:
        return document_title(block, context.styles, context.width)

    def block_Addressees(self, block: Addressees, context: _Context) -> list[Flowable]:
        return addressees(block, context.styles, context.width)

    def block_Heading(self, block: Heading, context: _Context) -> list[Flowable]:
        level = min(max(block.level, 1), max(theme.HEADING_STYLES))
        text = block.text.upper() if theme.HEADING_STYLES[level]["upper"] else block.text
        return [PdfParagraph(markup(keep_together(text)), context.styles.headings[level])]

    def block_Paragraph(self, block: Paragraph, context: _Context) -> list[Flowable]:
        return [PdfParagraph(runs_markup(_kept(block.runs)), context.styles.roles[block.role])]

    def block_ListItem(self, block: ListItem, context: _Context) -> list[Flowable]:
        return [PdfParagraph(markup(LIST_DASH) + runs_markup(_kept(block.runs)), context.styles.body)]

    def block_SignatureBlock(self, block: SignatureBlock, context: _Context) -> list[Flowable]:
        # The closing paragraph before it keeps with next (its style), so the two never part.
        return [signature_block(block, context.styles, context.width, context.signature_boxes)]

    def block_Table(self, block: Table, context: _Context) -> list[Flowable]:
        total = sum(column.width for column in block.columns)
        widths = [column.width / total * context.width for column in block.columns]
        padding = theme.TABLE_CELL_PADDING_MM * mm
        inner = [width - 2 * padding for width in widths]
        rows = [_row_cells(block, r, context.styles, inner, 2 * padding) for r in range(len(block.rows))]
        cell_style = _cell_style(context.styles, padding)
        grid = ("GRID", (0, 0), (-1, -1), theme.TABLE_BORDER_PT, "black")
        head, body = rows[: block.header_rows], rows[block.header_rows :]

        def make(start: int, stop: int, with_header: bool) -> PdfTable:
            chosen = (head if with_header else []) + body[start:stop]
            spans = [
                ("SPAN", (first, r), (last, r))
                for r, (_cells, row_spans) in enumerate(chosen)
                for first, last in row_spans
            ]
            # Platypus splits a table only between rows, and repeats the header rows on every page.
            return PdfTable(
                [cells for cells, _spans in chosen],
                colWidths=widths,
                repeatRows=block.header_rows if with_header else 0,
                style=TableStyle([grid, *spans]),
                hAlign="CENTER",
                cellStyles=[[cell_style] * len(widths) for _row in chosen],
            )

        return table_runs(make, len(body), block.header_rows)

    def block_Figure(self, block: Figure, context: _Context) -> list[Flowable]:
        """The chart drawn as vector graphics at the figure's size, then its caption, kept together."""
        pen = compose(block.chart)
        check_chart_glyphs(pen, f"phần {context.section}, biểu đồ “{snippet(block.caption)}”")
        width, height = block.width_mm * mm, block.height_mm * mm
        if width > context.width:  # a figure sized for landscape, placed in portrait: scale it down whole
            width, height = context.width, height * context.width / width
        chart = ChartFlowable(pen, width, height)
        chart.hAlign = "CENTER"
        chart.spaceBefore = theme.FIGURE_SPACE_PT
        chart.spaceAfter = theme.FIGURE_SPACE_PT / 2  # the caption belongs to the chart: half the gap above it
        caption = PdfParagraph(markup(keep_together(block.caption)), context.styles.roles[ParagraphRole.CAPTION])
        return [KeepTogether([chart, caption])]

    def block_PageBreak(self, block: PageBreak, context: _Context) -> list[Flowable]:
        return [PdfPageBreak()]


def _check_glyphs(document: Document, family: RegisteredFamily) -> None:
    """Every character the PDF will draw against the font family: :func:`check_glyphs`, with the places spelt out
    only when some character is missing, to name the first one (all drawable: 0.6 ms per report instead of 1.6)."""
    added = [(WRITER_TEXT_PLACE, WRITER_CHARACTERS)] + (
        [("dấu chìm", document.watermark)] if document.watermark else []
    )
    if missing_glyph(family, "".join([*document_texts(document), *(text for _where, text in added)])):
        check_glyphs(family, [*document_strings(document), *added])  # raises: the same characters, string by string


def _cell_style(styles: PdfStyles, padding: float) -> CellStyle:
    """The style every cell of a data table shares: the report's font (reportlab's default, Helvetica, would be
    named but not embedded), centred vertically, ``padding`` on all four sides.

    One object for all cells, given to the table as its cell styles: the same as the table style's commands
    for the whole range (FONTNAME, VALIGN, the four paddings), which platypus applies cell by cell to a style
    object of each cell's own, for every table and every run of a long table (0.4 ms per report).  Nothing
    changes a cell style after the table is made (no cell command is left to apply, the table is split
    between rows only), so sharing it is safe; tests/test_pdf_writer.py compares the bytes with the commands.
    """
    style = CellStyle("cell")
    style.fontname = styles.family.regular
    style.valign = "MIDDLE"
    style.leftPadding = style.rightPadding = style.topPadding = style.bottomPadding = padding
    return style


def _kept(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """The runs with :func:`keep_together`'s no-break spaces (the same the Word writer sets)."""
    return tuple(Run(keep_together(run.text), run.bold, run.italic) for run in runs)


def _fits(group: str, face: str, size: float, room: float) -> bool:
    """Whether ``group`` fits on one line ``room`` points wide."""
    return stringWidth(group, face, size) <= room


def _row_cells(
    block: Table, r: int, styles: PdfStyles, inner: list[float], padding: float
) -> tuple[list, list[tuple[int, int]]]:
    """Row ``r`` as cell flowables (spanned cells padded with ''), and its spans as (first, last) columns.

    ``inner`` is each column's width inside its padding; a cell spanning columns also has the padding
    between them (``padding``, both sides together) to write in.
    """
    row = block.rows[r]
    cells: list = []
    spans: list[tuple[int, int]] = []
    bold = row.kind in (RowKind.HEADER, RowKind.GROUP)
    for cell in row.cells:
        column = len(cells)
        align = cell.align or block.columns[column].align
        style = styles.cell(block.font_size, cell.bold or bold, cell.italic, align)
        span = inner[column : column + cell.span]
        available = sum(span) + padding * (len(span) - 1)
        room = available - FIT_MARGIN_PT
        text = keep_together_within(cell.text, partial(_fits, face=style.fontName, size=style.fontSize, room=room))
        cells.append(cell_flowable(text, style, available))
        if cell.span > 1:
            spans.append((column, column + cell.span - 1))
            cells += [""] * (cell.span - 1)
    return cells + [""] * (len(block.columns) - len(cells)), spans


class _ReportDocTemplate(BaseDocTemplate):
    """Invariant mode, fixed metadata, the creation date from the document, not the clock."""

    def __init__(self, target: io.BytesIO, templates: list, metadata: Metadata, family: RegisteredFamily) -> None:
        # The canvas's initial font would otherwise be Helvetica, a font the PDF names but does not embed.
        super().__init__(
            target,
            pageTemplates=templates,
            pagesize=templates[0].pagesize,
            invariant=1,
            title=metadata.title,
            author=metadata.author,
            subject=metadata.subject,
            keywords=list(metadata.keywords),
            creator=CREATOR,
            producer=PRODUCER,
            lang=theme.LANGUAGE,
            initialFontName=family.regular,
            initialFontSize=theme.BODY_SIZE,
            initialLeading=theme.BODY_SIZE * theme.LINE_SPACING,
            leftMargin=0,
            rightMargin=0,
            topMargin=0,
            bottomMargin=0,
        )
        self._created = metadata.created
        self._faces = family.face_names()

    def beforeDocument(self) -> None:  # noqa: N802 (reportlab hook)
        created = self._created
        self.canv.setDateFormatter(lambda *_clock: pdf_date(created))
        prime(self.canv, self._faces)


def pdf_date(moment: datetime) -> str:
    """A PDF date string ("D:20230614080000", with "+07'00'" when the time zone is known)."""
    text = moment.strftime("D:%Y%m%d%H%M%S")
    offset = moment.utcoffset()
    if offset is not None:
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        text += f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    return text
