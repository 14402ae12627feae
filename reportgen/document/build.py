"""Build the one document model of a report: header, title, narrative, signature, appendix.

Names, place, signer, recipients and the document symbol come from
reportgen.toml and the workbook's Thông tin sheet (the workbook wins where it
gives a value); the prose comes from the templates; the fixed legal forms of
Decree 30/2020 (national title, motto, "Nơi nhận:") are constants here.
Nothing here decides sizes, fonts or positions: that is the writers' job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from ..assess import AssessmentResult
from ..config import Config
from ..errors import ConfigError
from ..model import ReportInput
from ..narrative.context import build_context
from ..narrative.environment import call_macro, make_environment, render
from ..narrative.markup import parse_markup, tidy
from ..vnformat import month_number, place_date
from .model import (
    Chart, Document, DocumentTitle, Figure, Metadata, OfficialHeader, Orientation, PageBreak, Paragraph,
    ParagraphRole, Run, Section, SignatureBlock,
)
from .safe_text import xml_safe_document
from .table import indicator_table, table_notes

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_KIND = "BÁO CÁO"
RECIPIENTS_LABEL = "Nơi nhận:"
APPENDIX_LABEL = "Phụ lục"
BLANK_NUMBER = "      "
"""Six spaces: the clerk writes the number in by hand after signing (Decree 30, Art. 15.2)."""

@dataclass(frozen=True)
class BuildOptions:
    draft: bool = False
    """Leave the number and the day blank, as for a document not yet signed."""
    charts: bool = True
    templates_dir: Path | None = None
    """The working folder's templates/, overriding the built-in ones file by file."""


def build_document(report: ReportInput, result: AssessmentResult, config: Config,
                   options: BuildOptions = BuildOptions()) -> Document:
    """Build the report's document model once; every writer renders this same object."""
    _require(config)
    env = make_environment(options.templates_dir)
    context = build_context(report, result, config)
    modules: dict = {}  # khung.j2's module, made once for this report's context
    frame = lambda macro, *args: tidy(call_macro(env, "khung.j2", macro, context, *args,  # noqa: E731
                                                 modules=modules))
    ky = context["ky"]

    summary = tuple(tidy(line) for line in call_macro(env, "khung.j2", "trich_yeu", context, ky, modules=modules
                                                      ).splitlines() if line.strip())
    front = [_header(report, config, options.draft), DocumentTitle(DOCUMENT_KIND, summary)]
    if report.info.sample:
        front.append(Paragraph((Run(frame("du_lieu_mau"), italic=True),), ParagraphRole.NOTE))
    body = parse_markup(render(env, "bao_cao.j2", context))
    main = Section(tuple(front + body + [_signature(report, config)]))

    appendix: list = [
        Paragraph((Run(APPENDIX_LABEL, bold=True),), ParagraphRole.APPENDIX_LABEL),
        Paragraph((Run(frame("tieu_de_phu_luc", ky), bold=True),), ParagraphRole.APPENDIX_TITLE),
        Paragraph((Run(_appendix_reference(report, config, options.draft), italic=True),),
                  ParagraphRole.APPENDIX_REFERENCE),
        indicator_table(result),
    ]
    notes = table_notes(result)
    if notes:  # one paragraph: the notes stay on the table's page
        appendix.append(Paragraph((Run("Ghi chú: " + " ".join(notes), italic=True),), ParagraphRole.NOTE))
    if options.charts:
        appendix += _charts(report, result, frame, ky)
    sections = (main, Section(tuple(appendix), Orientation.LANDSCAPE, number_first_page=True))
    document = Document(sections, _metadata(report, config, summary), _expected_text(report, result, config, summary))
    return xml_safe_document(document)  # config names and template output may carry XML-invalid characters


def _require(config: Config) -> None:
    """The names a report cannot be printed without, each reported with its key."""
    source = config.source or "reportgen.toml"
    for key, value in (("unit.agency", config.unit.agency), ("unit.name", config.unit.name),
                       ("unit.place", config.unit.place), ("signer.authority", config.signer.authority)):
        if not value:
            raise ConfigError(source, key, "chưa khai báo; báo cáo cần thông tin này "
                                           "(xem mẫu do «reportgen init» tạo ra).")


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
        superior=config.unit.superior, agency=config.unit.agency, national_title=NATIONAL_TITLE, motto=MOTTO,
        number=document_number(report, config, draft), place_date=_place_date(report, config, draft),
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
        month, year = (report.info.issue_date.month, report.info.issue_date.year) if report.info.issue_date \
            else (report.period.end_month, report.period.year)
        when = f"ngày{BLANK_NUMBER}tháng {month_number(month)} năm {year}"
    number = number if not number.startswith("/") else f"{BLANK_NUMBER}{number}"
    issuer = config.unit.short_name or config.unit.name
    return f"(Kèm theo Báo cáo số {number} {when} của {issuer})"


def _signature(report: ReportInput, config: Config) -> SignatureBlock:
    name = report.info.signer or config.signer.name
    title = report.info.signer_title or config.signer.title
    if not name:
        raise ConfigError(config.source or "reportgen.toml", "signer.name",
                          "chưa có tên người ký (ghi ở đây hoặc ở dòng «Người ký» của sheet Thông tin).")
    lines = [f"- {tidy(r).rstrip(';.')};" for r in config.report.recipients]
    lines.append(f"- Lưu: {config.unit.archive}.")
    return SignatureBlock(RECIPIENTS_LABEL, tuple(lines), config.signer.authority, title.upper(), name)


def _charts(report: ReportInput, result: AssessmentResult, frame, ky) -> list:
    """A page of charts after the table: % of plan per indicator, key-project progress."""
    from .charts_data import CHART_SIZES_MM, plan_chart, project_chart

    figures = []
    plan = plan_chart(result, frame("truc_ke_hoach"), frame("moc_thoi_gian", result.elapsed_ratio))
    if plan.labels:
        caption = frame("bieu_do_ke_hoach", ky, result.elapsed_ratio)
        figures.append(Figure(plan, *CHART_SIZES_MM["plan"], caption))
    projects = project_chart(report, frame("truc_cong_trinh"))
    if projects.labels:
        figures.append(Figure(projects, *CHART_SIZES_MM["projects"],
                              frame("bieu_do_cong_trinh", ky)))
    if not figures:
        return []
    title = Paragraph((Run(frame("tieu_de_bieu_do", ky), bold=True),), ParagraphRole.APPENDIX_TITLE)
    return [PageBreak(), title, *figures]


def _metadata(report: ReportInput, config: Config, summary: tuple[str, ...]) -> Metadata:
    # Fixed from the input (issue date, else the period's cut-off) so the same input gives the same bytes.
    day = report.info.issue_date or report.period.data_window()[1]
    return Metadata(
        title=f"{DOCUMENT_KIND} {' '.join(summary)}", subject=f"Báo cáo {report.period.label_with_year}",
        author=config.unit.name, created=datetime.combine(day, time(8, 0)),
        keywords=("báo cáo", "kinh tế - xã hội", report.period.code),
    )


def _expected_text(report: ReportInput, result: AssessmentResult, config: Config,
                   summary: tuple[str, ...]) -> tuple[str, ...]:
    """What the read-back check must find in every written file (compared without whitespace)."""
    from .table import value_text

    values = tuple(value_text(i.value) for i in report.indicators if i.value is not None)
    return (DOCUMENT_KIND, *summary, "I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ", "III. NHIỆM VỤ TRỌNG TÂM",
            "./.", RECIPIENTS_LABEL, config.unit.place, APPENDIX_LABEL, *values)
