"""HTML writer: the document model as a page a browser shows, in the Decree 30 typography as far as it allows.

The same :class:`~reportgen.document.model.Document` the Word and PDF writers
render, for the web page's "Xem báo cáo": each section is drawn as a sheet of
paper (A4 portrait, or landscape for the appendices) with the decree's margins;
Times New Roman (or its metric twins Liberation Serif and Tinos) at the
decree's sizes in pt, justified body text with its first-line indent, the
page-1 header in two columns with its drawn rules, the signature block, the
appendix table with its header and numbering rows, the charts as inline SVG
(:mod:`.svg_chart`), the sample-data mark across the sheets.  A page break
inside a section is drawn as the gap between two sheets.  Browsers do not
paginate a screen, so there are no page numbers.

Every size and spacing is in the stylesheet ``html_report.css`` (values from
:mod:`reportgen.writers.theme`; tests/test_html_writer.py checks they agree); the markup has no
script and no ``style=`` attribute, so the page can run under a strict
Content-Security-Policy.  Every string of the model is escaped
(:mod:`.page`).  Like the other writers, the words come only from the
model (the writer's own characters are the list dash and no-break spaces of
:mod:`reportgen.writers.keep_together`), and a block type without a rule here raises
:class:`~reportgen.document.model.UnsupportedBlock`.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.charts.labels import text_width_mm
from reportgen.charts.layout import DPI
from reportgen.document.model import (
    Addressees,
    Document,
    DocumentTitle,
    Figure,
    Heading,
    ListItem,
    OfficialHeader,
    Orientation,
    PageBreak,
    Paragraph,
    RowKind,
    Run,
    Section,
    SignatureBlock,
    Table,
)
from reportgen.writers import theme
from reportgen.writers.block_dispatch import BlockDispatcher
from reportgen.writers.html.page import number, page, text
from reportgen.writers.html.svg_chart import chart_svg
from reportgen.writers.keep_together import keep_together

LIST_DASH = "- "
"""Written before every list item, as the Word and PDF writers write it."""
TABLE_SIZES = tuple(size / 2 for size in range(16, 29))
"""Table font sizes the stylesheet has a class for (8 to 14 pt by halves); others take the nearest."""
HEADING_TAGS = {1: "h2", 2: "h3", 3: "h4"}
"""The report's own title ("BÁO CÁO") is the page's h1."""


class HtmlWriter(BlockDispatcher):
    name = "html"
    format = "html"
    suffix = ".html"

    def write(self, document: Document, path: Path) -> None:
        """A page that opens on its own: the stylesheet embedded, nothing fetched."""
        Path(path).write_text(self.page(document), encoding="utf-8")

    def page(self, document: Document, base: str | None = None) -> str:
        """The whole HTML page; the stylesheet linked under ``base`` ("/static/"), or embedded when None."""
        metadata = document.metadata
        meta = {
            "author": metadata.author,
            "description": metadata.subject,
            "keywords": ", ".join(metadata.keywords),
            "generator": "reportgen",
        }
        return page(metadata.title, self.fragment(document), ("html_report.css",), base, meta)

    def fragment(self, document: Document) -> str:
        """The report as one ``<article>``, for a page of the web application to place."""
        sections = "".join(self._section(section, document.watermark) for section in document.sections)
        return f'<article class="rg-report" lang="{theme.LANGUAGE}">{sections}</article>'

    def _section(self, section: Section, watermark: str) -> str:
        orientation = "rg-landscape" if section.orientation is Orientation.LANDSCAPE else "rg-portrait"
        blocks = "".join(self.render(block) for block in section.blocks)
        return f'<section class="rg-sheet {orientation}">{watermark_mark(watermark)}{blocks}</section>'

    # ------------------------------------------------------------ blocks ----

    def block_OfficialHeader(self, block: OfficialHeader) -> str:
        superior = f'<p class="rg-superior">{text(block.superior)}</p>' if block.superior else ""
        agency = "".join(f"<p>{text(line)}</p>" for line in block.agency)
        return (
            '<header class="rg-official-header">'
            f'<div class="rg-issuer">{superior}<div class="rg-agency rg-ruled">{agency}</div></div>'
            f'<div class="rg-nation"><p class="rg-national-title">{text(block.national_title)}</p>'
            f'<p class="rg-motto rg-ruled">{text(block.motto)}</p></div>'
            f'<p class="rg-number">{text(block.number)}</p>'
            f'<p class="rg-place-date">{text(block.place_date)}</p></header>'
        )

    def block_DocumentTitle(self, block: DocumentTitle) -> str:
        summary = "<br>".join(text(keep_together(line)) for line in block.summary)
        return (
            f'<div class="rg-title"><h1 class="rg-kind">{text(block.kind)}</h1>'
            f'<p class="rg-summary"><span class="rg-ruled">{summary}</span></p></div>'
        )

    def block_Addressees(self, block: Addressees) -> str:
        if len(block.lines) == 1:
            return f'<p class="rg-addressees">{text(keep_together(f"{block.label} {block.lines[0]}"))}</p>'
        # The label's words, then its colon, in the first row; each line starts under the colon, its dash
        # hanging (Phụ lục I §II.9.a).
        words, colon = (block.label[:-1], ":") if block.label.endswith(":") else (block.label, "")
        lines = "".join(f'<span class="rg-addressee">{_dashed(line)}</span>' for line in block.lines)
        return (
            f'<div class="rg-addressees rg-several"><span class="rg-addressees-label">{text(words)}</span>'
            f'<span class="rg-addressees-lines"><span>{text(colon)}</span>{lines}</span></div>'
        )

    def block_Heading(self, block: Heading) -> str:
        level = min(max(block.level, 1), max(theme.HEADING_STYLES))
        words = block.text.upper() if theme.HEADING_STYLES[level]["upper"] else block.text
        tag = HEADING_TAGS[level]
        return f'<{tag} class="rg-heading rg-level-{level}">{text(keep_together(words))}</{tag}>'

    def block_Paragraph(self, block: Paragraph) -> str:
        return f'<p class="rg-p rg-{block.role.value.replace("_", "-")}">{_runs(block.runs)}</p>'

    def block_ListItem(self, block: ListItem) -> str:
        return f'<p class="rg-p rg-list-item">{text(LIST_DASH)}{_runs(block.runs)}</p>'

    def block_SignatureBlock(self, block: SignatureBlock) -> str:
        recipients = "".join(f"<p>{text(line)}</p>" for line in block.recipients)
        signer = "".join(f"<p>{text(line)}</p>" for line in (*block.authority, block.title))
        return (
            '<div class="rg-signature">'
            f'<div class="rg-recipients"><p class="rg-recipients-label">{text(block.recipients_label)}</p>'
            f"{recipients}</div>"
            f'<div class="rg-signer">{signer}<div class="rg-seal-space"></div>'
            f'<p class="rg-signer-name">{text(block.name)}</p></div></div>'
        )

    def block_Table(self, block: Table) -> str:
        total = sum(column.width for column in block.columns) or 1.0
        # <col width>: a presentational attribute, which a CSP forbidding inline style still allows.
        columns = "".join(f'<col width="{number(100 * column.width / total)}%">' for column in block.columns)
        head = "".join(_table_row(block, row) for row in block.rows[: block.header_rows])
        body = "".join(_table_row(block, row) for row in block.rows[block.header_rows :])
        size = min(TABLE_SIZES, key=lambda candidate: abs(candidate - block.font_size))
        return (
            f'<div class="rg-table-frame"><table class="rg-table rg-pt-{number(size).replace(".", "-")}">'
            f"<colgroup>{columns}</colgroup>"
            + (f"<thead>{head}</thead>" if head else "")
            + f"<tbody>{body}</tbody></table></div>"
        )

    def block_Figure(self, block: Figure) -> str:
        caption = text(keep_together(block.caption))
        return (
            f'<figure class="rg-figure">{chart_svg(block.chart, block.width_mm, block.height_mm, block.caption)}'
            f'<figcaption class="rg-p rg-caption">{caption}</figcaption></figure>'
        )

    def block_PageBreak(self, block: PageBreak) -> str:
        return '<hr class="rg-page-break">'


def _runs(runs: tuple[Run, ...]) -> str:
    parts = []
    for run in runs:
        part = text(keep_together(run.text))
        if run.bold:
            part = f"<strong>{part}</strong>"
        if run.italic:
            part = f"<em>{part}</em>"
        parts.append(part)
    return "".join(parts)


def _dashed(line: str) -> str:
    """An addressee's line with its dash hanging in front of the text, which wraps under itself."""
    if line.startswith(LIST_DASH):
        return f'<span class="rg-dash">{text(LIST_DASH.strip())}</span><span>{text(line[len(LIST_DASH) :])}</span>'
    return f"<span></span><span>{text(line)}</span>"


def _table_row(block: Table, row) -> str:
    header = row.kind in (RowKind.HEADER, RowKind.NUMBERING)
    cells = []
    column = 0
    for cell in row.cells:
        align = cell.align or block.columns[min(column, len(block.columns) - 1)].align
        classes = [f"rg-{align.value}"] + (["rg-bold"] if cell.bold else []) + (["rg-italic"] if cell.italic else [])
        span = f' colspan="{cell.span}"' if cell.span > 1 else ""
        tag, scope = ("th", ' scope="col"') if header else ("td", "")
        cells.append(f'<{tag}{scope}{span} class="{" ".join(classes)}">{text(cell.text)}</{tag}>')
        column += cell.span
    return f'<tr class="rg-{row.kind.value}">{"".join(cells)}</tr>'


def watermark_mark(watermark: str) -> str:
    """The sample-data mark of one sheet: light grey text turned 45°, under the text, kept in view while
    the sheet scrolls by (the PDF prints it on every page).  An SVG sized to the text, so a long mark is set
    smaller instead of running off the sheet (:func:`theme.watermark_size`)."""
    if not watermark:
        return ""
    natural = text_width_mm(watermark, theme.WATERMARK_SIZE, DPI, bold=True)
    size = theme.watermark_size(natural / theme.WATERMARK_SIZE) * 25.4 / 72
    width = natural * size / (theme.WATERMARK_SIZE * 25.4 / 72)
    height = size * 1.2
    grey = "#" + f"{round(255 * theme.WATERMARK_GREY):02x}" * 3
    return (
        f'<div class="rg-watermark" aria-hidden="true"><svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {number(width)} {number(height)}" width="{number(width)}mm" height="{number(height)}mm">'
        f'<text x="{number(width / 2)}" y="{number(height * 0.8)}" font-size="{number(size)}" font-weight="bold" '
        f'fill="{grey}" text-anchor="middle" textLength="{number(width)}" lengthAdjust="spacingAndGlyphs">'
        f"{text(watermark)}</text></svg></div>"
    )
