"""The document model: one report, built once, rendered by every writer.

Blocks say *what* a piece of the report is (the official header, a level-2
heading, a body paragraph, the indicator table); writers decide *how* it looks
in Word, in PDF or as text.  Wording is decided before the model is built
(templates and :mod:`reportgen.document.build`), so writers never add words,
and a writer meeting a block type it does not know raises
:class:`UnsupportedBlock` instead of dropping content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class UnsupportedBlock(TypeError):
    """A writer was given a block type it has no rule for."""

    def __init__(self, writer: str, block: object) -> None:
        super().__init__(f"{writer} writer has no rule for {type(block).__name__}")


# ------------------------------------------------------------------ inline ----


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False


# ------------------------------------------------------------------ blocks ----


class ParagraphRole(Enum):
    """What a paragraph is; each writer maps roles to its own styles (Decree 30 sizes)."""

    BODY = "body"
    """14 pt, justified, first-line indent."""
    CLOSING = "closing"
    """The last body paragraph ("Trên đây là …./."): body style, kept with the signature."""
    APPENDIX_LABEL = "appendix_label"
    """"Phụ lục": 14 pt bold, centred."""
    APPENDIX_TITLE = "appendix_title"
    """Appendix title: upper case, bold, centred."""
    APPENDIX_REFERENCE = "appendix_reference"
    """A reference in brackets under a title, "(Kèm theo Báo cáo số …)", "(Thay thế Báo cáo số …)": italic, centred."""
    NOTE = "note"
    """A small italic note (sources, sample-data warning), left aligned."""
    CAPTION = "caption"
    """Figure caption: italic, centred."""


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    role: ParagraphRole = ParagraphRole.BODY

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Heading:
    """An outline heading; the number is part of the text ("I. KẾT QUẢ …", "1. Lĩnh vực kinh tế", "a) …")."""

    level: int
    """1 = "I." (upper case, bold); 2 = "1." (bold); 3 = "a)" or "1.1." (regular)."""
    text: str


@dataclass(frozen=True)
class ListItem:
    """A dash item ("- …"), as reports list tasks and recipients."""

    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class OfficialHeader:
    """The two-column header of page 1 (Decree 30, Phụ lục I §IV, boxes 1–4)."""

    superior: str
    """Superior agency line (regular weight), '' when the issuer has none."""
    agency: tuple[str, ...]
    """Issuing agency lines, upper case, bold, with the short rule below."""
    national_title: str
    """"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"."""
    motto: str
    """"Độc lập - Tự do - Hạnh phúc", with a rule as long as the motto."""
    number: str
    """"Số: 125/BC-UBND", or with the number left blank for a draft."""
    place_date: str
    """"Bình Liêu, ngày 16 tháng 6 năm 2023" (italic), on the same line as the number."""


@dataclass(frozen=True)
class DocumentTitle:
    """Document type and summary (trích yếu), centred, with a short rule below."""

    kind: str
    """"BÁO CÁO"."""
    summary: tuple[str, ...]
    """The summary, one element per printed line."""


@dataclass(frozen=True)
class Addressees:
    """ "Kính gửi:" under the summary, for a report sent to a higher body (Phụ lục I §II.9.a).

    One addressee goes on the label's line; several go each on its own line, their dashes aligned under
    the colon."""

    label: str
    """"Kính gửi:"."""
    lines: tuple[str, ...]
    """Complete lines: ("Ủy ban nhân dân tỉnh Quảng Ninh.",) or ("- Sở A;", "- Sở B.")."""


@dataclass(frozen=True)
class SignatureBlock:
    """ "Nơi nhận" on the left, the signer on the right, first lines level."""

    recipients_label: str
    """"Nơi nhận:"."""
    recipients: tuple[str, ...]
    """Complete lines: "- UBND tỉnh (b/c);" … "- Lưu: VT, TCKH."."""
    authority: tuple[str, ...]
    """"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH" …"""
    title: str
    """"PHÓ CHỦ TỊCH"."""
    name: str
    """The signer's name, below the space for signature and seal."""

    @property
    def lines(self) -> tuple[str, ...]:
        """The signer's side as printed, top down, the space for signature and seal left out."""
        return (*self.authority, self.title, self.name)


class Align(Enum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class RowKind(Enum):
    HEADER = "header"
    NUMBERING = "numbering"
    """The "A, B, C, 1, 2, 3 = 2/1" row under the header."""
    GROUP = "group"
    """A group row ("I", "KINH TẾ") spanning the table."""
    DATA = "data"


@dataclass(frozen=True)
class Cell:
    text: str
    bold: bool = False
    italic: bool = False
    align: Align | None = None
    """None: the column's alignment."""
    span: int = 1
    """Columns this cell covers (the following ``span - 1`` cells of the row are omitted)."""


@dataclass(frozen=True)
class Column:
    width: float
    """Relative width; writers scale the columns to the text width."""
    align: Align = Align.LEFT


@dataclass(frozen=True)
class TableRow:
    cells: tuple[Cell, ...]
    kind: RowKind = RowKind.DATA


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    font_size: float = 11
    """Tables are set smaller than the body (vn-conventions §1.5: 10–13 pt)."""

    @property
    def header_rows(self) -> int:
        """Rows repeated at the top of every page the table spans."""
        count = 0
        for row in self.rows:
            if row.kind not in (RowKind.HEADER, RowKind.NUMBERING):
                break
            count += 1
        return count


@dataclass(frozen=True)
class Chart:
    """Data a chart is drawn from: the PDF writer draws it as vector graphics, the Word writer as a native
    chart (or places the Figure's PNG); all follow :mod:`reportgen.charts.layout`."""

    kind: str
    """What one bar measures; a chart holds one measure only (vn-conventions §3.6 "Charts"):
    'plan' — % of the annual plan achieved (flows, levels, reductions), with the elapsed-time line;
    'points' — difference from the annual target in percentage points (growth and rate targets);
    'levels' — a count whose target is zero, beside the same period's count;
    'projects' — physical progress of key projects."""
    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    categories: tuple[str, ...] = ()
    """Per bar: a status or group used for the colour."""
    reference: float | None = None
    """A reference line (the share of the year elapsed)."""
    reference_label: str = ""
    axis_label: str = ""
    tracks: tuple[float, ...] = ()
    """Per bar, a light bar behind it, from zero: 100% for a project, the same period's count for 'levels'."""
    track_label: str = ""
    """The tracks' name in the legend ("Cùng kỳ năm trước"); '' when they need none (a project's 100%)."""


@dataclass(frozen=True)
class Figure:
    chart: Chart
    """What the chart shows; each writer draws it natively (vector in the PDF, a chart part in Word)."""
    width_mm: float
    height_mm: float
    caption: str


@dataclass(frozen=True)
class PageBreak:
    pass


Block = (
    Paragraph
    | Heading
    | ListItem
    | OfficialHeader
    | DocumentTitle
    | Addressees
    | SignatureBlock
    | Table
    | Figure
    | PageBreak
)


class Orientation(Enum):
    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"


@dataclass(frozen=True)
class Section:
    """A run of pages with one orientation and one page numbering."""

    blocks: tuple[Block, ...]
    orientation: Orientation = Orientation.PORTRAIT
    number_first_page: bool = False
    """Decree 30: page 1 of the report shows no number; each appendix is numbered on its own from 1."""


@dataclass(frozen=True)
class Metadata:
    title: str
    subject: str
    author: str
    created: datetime
    """Fixed from the input, never "now", so the same input gives byte-identical files."""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    sections: tuple[Section, ...]
    metadata: Metadata
    expected_text: tuple[str, ...] = field(default=())
    """Strings the written files must contain (headings, key figures): the read-back check uses them."""
    watermark: str = ""
    """Printed across every page, light, under the text ("DỮ LIỆU MẪU"): a mark that no copy, excerpt or
    photocopy of the report can lose, and that is not a paragraph of it.  '' for none."""

    def blocks(self):
        for section in self.sections:
            yield from section.blocks
