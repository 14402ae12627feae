"""Build the one document model of a report: header, title, narrative, signature, appendices.

Names, place, signer, recipients and the document symbol come from
reportgen.toml and the workbook's Thông tin sheet (the workbook wins where it
gives a value); the prose comes from the templates; the fixed legal forms of
Decree 30/2020 (national title, motto, "Nơi nhận:") are constants here.
Nothing here decides sizes, fonts or positions: that is the writers' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from reportgen.core.errors import ConfigError
from reportgen.core.vnformat import month_number, place_date
from reportgen.core.vntext import match_key, tidy
from reportgen.document.charts_data import ChartWords, chart_size_mm, indicator_charts, project_chart
from reportgen.document.markup import parse_markup
from reportgen.document.model import (
    Addressees,
    Document,
    DocumentTitle,
    Figure,
    Metadata,
    OfficialHeader,
    Orientation,
    Paragraph,
    ParagraphRole,
    Run,
    Section,
    SignatureBlock,
)
from reportgen.document.safe_text import xml_safe_document
from reportgen.document.signature import signing
from reportgen.document.table import ROMAN, indicator_table, table_notes, value_text
from reportgen.domain.assess import AssessmentResult
from reportgen.domain.report_input import ReportInput
from reportgen.narrative.context import build_context
from reportgen.narrative.environment import call_macro, make_environment, render
from reportgen.settings.config import Config

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_KIND = "BÁO CÁO"
RECIPIENTS_LABEL = "Nơi nhận:"
ADDRESSEES_LABEL = "Kính gửi:"
AS_ABOVE = "- Như trên;"
"""The first "Nơi nhận" line of a report with "Kính gửi:" (Phụ lục I §II.9.b): the addressees get it."""
APPENDIX_LABEL = "Phụ lục"
DRAFT_MARK = "DỰ THẢO"
"""Across every page of a draft: a document not yet approved and issued is never taken for one that is."""
BLANK_NUMBER = "      "
"""Six spaces: the clerk writes the number in by hand after signing (Decree 30, Art. 15.2)."""


@dataclass(frozen=True)
class BuildOptions:
    draft: bool = False
    """Leave the number and the day blank, as for a document not yet signed, and mark every page "DỰ THẢO"."""
    charts: bool = True
    templates_dir: Path | None = None
    """The working folder's templates/, overriding the built-in ones file by file."""
    replaces: str = ""
    """An issued correction: the issued document it replaces, "Báo cáo số 01/BC-UBND ngày 20/6/2023" (a line
    under the title says so, Decree 30 Art. 18.3); '' for none."""


@dataclass(frozen=True)
class PhuLuc:
    """An appendix as templates see it (``phu_luc``), for the sentence that points to it."""

    so: str
    """Its Roman numeral ("I", "II"), '' when it is the only appendix."""
    nhan: str
    """"Phụ lục I", or "Phụ lục" alone."""
    loai: str
    """What it holds: "chi_tieu" (the table of indicators) or "bieu_do" (the charts)."""
    tieu_de: str


@dataclass(frozen=True)
class _Appendix:
    kind: str
    title: str
    blocks: tuple


def build_document(
    report: ReportInput, result: AssessmentResult, config: Config, options: BuildOptions = BuildOptions()
) -> Document:
    """Build the report's document model once; every writer renders this same object."""
    _require(config)
    env = make_environment(options.templates_dir)
    context = build_context(report, result, config)
    modules: dict = {}  # khung.j2's module, made once for this report's context

    def frame(macro: str, *args: object) -> str:
        return tidy(call_macro(env, "khung.j2", macro, context, *args, modules=modules))

    ky = context["ky"]

    summary = tuple(
        tidy(line)
        for line in call_macro(env, "khung.j2", "trich_yeu", context, ky, modules=modules).splitlines()
        if line.strip()
    )
    appendices = _appendices(report, result, frame, ky, options.charts)
    numbered = _numbered(appendices)
    context["phu_luc"] = tuple(
        PhuLuc(number, label, item.kind, item.title) for (number, label), item in zip(numbered, appendices)
    )
    front: list = [_header(report, config, options.draft), DocumentTitle(DOCUMENT_KIND, summary)]
    if options.replaces:
        line = f"(Thay thế {options.replaces} của {config.unit.name})"
        front.append(Paragraph((Run(line, italic=True),), ParagraphRole.APPENDIX_REFERENCE))
    if config.report.addressees:
        front.append(addressees(config.report.addressees))
    body = parse_markup(render(env, "bao_cao.j2", context))
    main = Section(tuple(front + body + [_signature(report, config)]))

    reference = _appendix_reference(report, config, options.draft)
    sections = [main]
    for (_number, label), item in zip(numbered, appendices):
        heading = [
            Paragraph((Run(label, bold=True),), ParagraphRole.APPENDIX_LABEL),
            Paragraph((Run(item.title, bold=True),), ParagraphRole.APPENDIX_TITLE),
            Paragraph((Run(reference, italic=True),), ParagraphRole.APPENDIX_REFERENCE),
        ]
        sections.append(Section((*heading, *item.blocks), Orientation.LANDSCAPE, number_first_page=True))
    watermark = frame("du_lieu_mau") if report.info.sample else DRAFT_MARK if options.draft else ""
    document = Document(
        tuple(sections),
        _metadata(report, config, summary),
        _expected_text(report, result, config, summary, numbered),
        watermark,
    )
    return xml_safe_document(document)  # config names and template output may carry XML-invalid characters


def _appendices(report: ReportInput, result: AssessmentResult, frame, ky, charts: bool) -> list[_Appendix]:
    """The table of indicators (with its notes), then the charts (when asked for and there is something to draw)."""
    table: list = [indicator_table(result)]
    notes = table_notes(result)
    if notes:  # one paragraph: the notes stay on the table's page
        table.append(Paragraph((Run("Ghi chú: " + " ".join(notes), italic=True),), ParagraphRole.NOTE))
    appendices = [_Appendix("chi_tieu", frame("tieu_de_phu_luc", ky), tuple(table))]
    figures = _charts(report, result, frame, ky) if charts else []
    if figures:
        appendices.append(_Appendix("bieu_do", frame("tieu_de_bieu_do", ky), tuple(figures)))
    return appendices


def _numbered(appendices: list) -> list[tuple[str, str]]:
    """(numeral, label) of each appendix: "Phụ lục" alone, or "Phụ lục I", "Phụ lục II" … (Phụ lục I §III)."""
    if len(appendices) == 1:
        return [("", APPENDIX_LABEL)]
    return [(ROMAN[n], f"{APPENDIX_LABEL} {ROMAN[n]}") for n in range(len(appendices))]


def addressees(names: tuple[str, ...]) -> Addressees:
    """ "Kính gửi: X." for one addressee; for several, "- X;" each, the last ending with "."."""
    cleaned = [tidy(name).rstrip(";.") for name in names if name.strip()]
    if len(cleaned) == 1:
        return Addressees(ADDRESSEES_LABEL, (f"{cleaned[0]}.",))
    return Addressees(
        ADDRESSEES_LABEL,
        tuple(f"- {name}{'.' if last else ';'}" for name, last in zip(cleaned, [False] * (len(cleaned) - 1) + [True])),
    )


def _require(config: Config) -> None:
    """The names a report cannot be printed without, each reported with its key."""
    source = config.source or "reportgen.toml"
    for key, value in (
        ("unit.agency", config.unit.agency),
        ("unit.name", config.unit.name),
        ("unit.place", config.unit.place),
    ):
        if not value:
            raise ConfigError(
                source, key, "chưa khai báo; báo cáo cần thông tin này (xem mẫu do «reportgen init» tạo ra)."
            )


def document_number(report: ReportInput, config: Config, draft: bool) -> str:
    """'Số: 05/BC-UBND' (numbers below 10 take a leading zero), or blank for a draft."""
    number = report.info.doc_number
    if draft or not number:
        return f"Số:{BLANK_NUMBER}/{config.unit.doc_symbol}"
    if number.isdigit() and int(number) < 10:
        number = f"{int(number):02d}"
    return f"Số: {number}/{config.unit.doc_symbol}"


def _header(report: ReportInput, config: Config, draft: bool) -> OfficialHeader:
    return OfficialHeader(
        superior=config.unit.superior,
        agency=config.unit.agency,
        national_title=NATIONAL_TITLE,
        motto=MOTTO,
        number=document_number(report, config, draft),
        place_date=_place_date(report, config, draft),
    )


def _place_date(report: ReportInput, config: Config, draft: bool) -> str:
    day = report.info.issue_date
    if day and not draft:
        return place_date(config.unit.place, day)
    # Unsigned: the day is left blank; the month is the issue month if known, else the period's last month.
    month, year = (day.month, day.year) if day else (report.period.end_month, report.period.year)
    return place_date(config.unit.place, None, month, year)


def _appendix_reference(report: ReportInput, config: Config, draft: bool) -> str:
    number = document_number(report, config, draft).removeprefix("Số:").strip()
    day = report.info.issue_date if not draft else None
    if day:
        when = f"ngày {day.day:02d} tháng {month_number(day.month)} năm {day.year}"
    else:
        month, year = (
            (report.info.issue_date.month, report.info.issue_date.year)
            if report.info.issue_date
            else (report.period.end_month, report.period.year)
        )
        when = f"ngày{BLANK_NUMBER}tháng {month_number(month)} năm {year}"
    number = number if not number.startswith("/") else f"{BLANK_NUMBER}{number}"
    return f"(Kèm theo Báo cáo số {number} {when} của {config.unit.name})"  # the issuer's full name (§3.6)


def _signature(report: ReportInput, config: Config) -> SignatureBlock:
    signer = signing(report.info, config)
    source = config.source or "reportgen.toml"
    if not signer.name:
        raise ConfigError(
            source, "signer.name", "chưa có tên người ký (ghi ở đây hoặc ở dòng «Người ký» của sheet Thông tin)."
        )
    if not signer.title:
        raise ConfigError(
            source,
            "signer.title",
            'chưa có chức vụ người ký, ví dụ "PHÓ CHỦ TỊCH" (ghi ở đây '
            "hoặc ở dòng «Chức vụ người ký» của sheet Thông tin).",
        )
    addressed = {_body_key(name) for name in config.report.addressees}
    lines = [AS_ABOVE] if addressed else []
    lines += [f"- {tidy(r).rstrip(';.')};" for r in config.report.recipients if _body_key(r) not in addressed]
    lines.append(f"- Lưu: {config.unit.archive}.")
    return SignatureBlock(RECIPIENTS_LABEL, tuple(lines), signer.authority, signer.title, signer.name)


_ABBREVIATIONS = (("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân"))


def _body_key(name: str) -> str:
    """A recipient compared with an addressee: abbreviations spelled out, "(b/c)" and punctuation left out, so
    that "UBND tỉnh Quảng Ninh (b/c)" is recognised as "Ủy ban nhân dân tỉnh Quảng Ninh", already "Như trên"."""
    key = match_key(re.sub(r"\((b/c|để báo cáo|để biết)\)", "", tidy(name)).rstrip(" ;."))
    for short, full in _ABBREVIATIONS:
        key = key.replace(match_key(short), match_key(full))
    return key


def _charts(report: ReportInput, result: AssessmentResult, frame, ky) -> list:
    """The charts of the judged indicators (one per measure) and of the key projects, each with its caption."""
    words = ChartWords(
        plan_axis=frame("truc_ke_hoach"),
        elapsed=frame("moc_thoi_gian", result.elapsed_ratio),
        points_axis=frame("truc_diem"),
        levels_axis=lambda unit: frame("truc_so_luong", unit),
        same_period=frame("cung_ky"),
        growth_label=lambda name: frame("nhan_tang_truong", name),
        projects_axis=frame("truc_cong_trinh"),
    )
    charts = indicator_charts(result, words)
    projects = project_chart(report, words.projects_axis)
    if projects.labels:
        charts.append(projects)
    figures = []
    for number, chart in enumerate(charts, 1):
        caption = frame(CAPTIONS[chart.kind], number, ky, result.elapsed_ratio)
        figures.append(Figure(chart, *chart_size_mm(chart), caption))
    return figures


CAPTIONS = {
    "plan": "bieu_do_ke_hoach",
    "points": "bieu_do_diem",
    "levels": "bieu_do_so_luong",
    "projects": "bieu_do_cong_trinh",
}
"""The khung.j2 macro captioning each kind of chart; each is called with (number, ky, thoi_gian_da_qua)."""


def _metadata(report: ReportInput, config: Config, summary: tuple[str, ...]) -> Metadata:
    # Fixed from the input (issue date, else the period's cut-off) so the same input gives the same bytes.
    day = report.info.issue_date or report.period.data_window()[1]
    return Metadata(
        title=f"{DOCUMENT_KIND} {' '.join(summary)}",
        subject=f"Báo cáo {report.period.label_with_year}",
        author=config.unit.name,
        created=datetime.combine(day, time(8, 0)),
        keywords=("báo cáo", "kinh tế - xã hội", report.period.code),
    )


def _expected_text(
    report: ReportInput,
    result: AssessmentResult,
    config: Config,
    summary: tuple[str, ...],
    numbered: list[tuple[str, str]],
) -> tuple[str, ...]:
    """What the read-back check must find in every written file (compared without whitespace)."""
    values = tuple(value_text(i.value) for i in report.indicators if i.value is not None)
    labels = tuple(label for _number, label in numbered)
    return (
        DOCUMENT_KIND,
        *summary,
        "I. KẾT QUẢ THỰC HIỆN",
        "II. TỒN TẠI, HẠN CHẾ",
        "III. NHIỆM VỤ TRỌNG TÂM",
        "./.",
        RECIPIENTS_LABEL,
        config.unit.place,
        *labels,
        *values,
    )
