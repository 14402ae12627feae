"""``reportgen summary PERIOD``: every unit's status per indicator, for the office that compiles them.

One row per unit, one column per indicator (by code, in order of first
appearance), each cell the indicator's status; a workbook (full words, coloured,
plus a long sheet with every figure) and a PDF table (short status codes and a
legend, landscape, split across several tables when there are many
indicators).  Each unit's workbook for the period is read and assessed afresh,
in parallel, so the summary is always that of the files in inputs/.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from reportgen.core.errors import UsageError
from reportgen.core.files import Stage
from reportgen.core.issues import errors_in
from reportgen.core.periods import Period
from reportgen.document.model import (
    Align,
    Cell,
    Column,
    Document,
    Metadata,
    Orientation,
    Paragraph,
    ParagraphRole,
    RowKind,
    Run,
    Section,
    Table,
    TableRow,
)
from reportgen.domain.assess import assess
from reportgen.domain.headline import assessment_options
from reportgen.domain.summary_table import INVALID, MISSING, STATUS_CODES, IndicatorHead, SummaryTable, UnitLine
from reportgen.settings.workspace import Workspace

COLUMNS_PER_TABLE = 16
"""Indicator columns per PDF table: more would not fit a landscape page legibly."""


@dataclass(frozen=True)
class SummaryResult:
    table: SummaryTable
    files: dict[str, Path]


def collect(workspace: Workspace, period: Period, jobs: int = 1) -> SummaryTable:
    tasks = [
        (str(workspace.root), str(workspace.config_path) if workspace.config_path else None, unit, period.code)
        for unit in workspace.units
    ]
    if jobs > 1 and len(tasks) > 1:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
            lines = list(pool.map(_unit_line, tasks, chunksize=max(1, len(tasks) // (jobs * 8))))
    else:
        lines = [_unit_line(task) for task in tasks]
    lines = [line for line in lines if line.unit or line.state != "missing"]  # the shared unit only if it reports
    heads: dict[str, IndicatorHead] = {}
    for line in lines:
        for head in line.heads:
            heads.setdefault(head.code, head)
    return SummaryTable(period, tuple(heads.values()), tuple(lines))


def _unit_line(task: tuple[str, str | None, str, str]) -> UnitLine:
    from reportgen.workbook.read.read_settings import read_settings
    from reportgen.workbook.read.reader import read_workbook

    root, config_path, unit, code = task
    ws = Workspace.open(root, config_path).for_unit(unit)
    name = ws.config.unit.short_name or ws.config.unit.name or unit
    path = ws.inputs / f"{code}.xlsx"
    if not path.is_file():
        return UnitLine(unit, name, "missing")
    read = read_workbook(path, read_settings(ws.config))
    if not read.ok or read.report is None:
        return UnitLine(unit, name, "invalid", errors=len(errors_in(read.issues)))
    result = assess(read.report, assessment_options(ws.config))
    items = result.items
    return UnitLine(
        unit,
        name,
        "ok",
        statuses={i.indicator.code: i.status for i in items},
        values={i.indicator.code: i.indicator.value for i in items},
        plan_ratios={i.indicator.code: i.plan_ratio for i in items},
        heads=tuple(
            IndicatorHead(
                i.indicator.code, i.indicator.name, i.indicator.unit, i.indicator.target_label(with_unit=False)
            )
            for i in items
        ),
    )


def write_summary(workspace: Workspace, period: Period, jobs: int = 1, out_dir: Path | None = None) -> SummaryResult:
    """Collect and write outputs/tong-hop/<period>/tong-hop-<period>.xlsx and .pdf (published together)."""
    from reportgen.readback.read_back import verify_pdf
    from reportgen.workbook.write.summary_workbook import write_summary_xlsx
    from reportgen.writers import get_writer

    table = collect(workspace, period, jobs)
    if not table.lines:
        raise UsageError(f"Không có tệp số liệu {period.code} nào trong inputs/ (của đơn vị nào) để tổng hợp.")
    folder = out_dir or workspace.shared_outputs / "tong-hop" / period.code
    targets = {fmt: folder / f"tong-hop-{period.code}.{fmt}" for fmt in ("xlsx", "pdf")}
    document = summary_document(table, workspace)
    with Stage() as stage:
        staged = {fmt: stage.path_for(path) for fmt, path in targets.items()}
        write_summary_xlsx(table, staged["xlsx"])
        get_writer("pdf").write(document, staged["pdf"])
        verify_pdf(staged["pdf"], document)
        stage.commit()
    return SummaryResult(table, targets)


def summary_document(table: SummaryTable, workspace: Workspace) -> Document:
    title = f"TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU {table.period.label_with_year.upper()}"
    issuer = workspace.config.unit.name or "reportgen"
    blocks: list = [
        Paragraph((Run(title, bold=True),), ParagraphRole.APPENDIX_TITLE),
        Paragraph((Run(f"({len(table.lines)} đơn vị; {issuer})", italic=True),), ParagraphRole.APPENDIX_REFERENCE),
    ]
    for start in range(0, max(len(table.heads), 1), COLUMNS_PER_TABLE):
        blocks.append(_status_table(table, table.heads[start : start + COLUMNS_PER_TABLE]))
    blocks.append(Paragraph((Run("Danh mục chỉ tiêu", bold=True),), ParagraphRole.CAPTION))
    blocks.append(_legend_table(table))
    legend = "; ".join(f"{code} = {status.value}" for status, code in STATUS_CODES.items())
    blocks.append(Paragraph((Run(f"Ký hiệu: {legend}.", italic=True),), ParagraphRole.NOTE))
    cutoff = table.period.data_window()[1]
    metadata = Metadata(
        title=title,
        subject=f"Tổng hợp {table.period.label_with_year}",
        author=issuer,
        created=datetime.combine(cutoff, time(8, 0)),
        keywords=("tổng hợp", table.period.code),
    )
    expected = (title, *(line.name for line in table.lines))
    return Document((Section(tuple(blocks), Orientation.LANDSCAPE, number_first_page=True),), metadata, expected)


def _status_table(table: SummaryTable, heads: tuple[IndicatorHead, ...]) -> Table:
    columns = (
        Column(4, Align.CENTER),
        Column(24, Align.LEFT),
        *(Column(6, Align.CENTER) for _ in heads),
        Column(8, Align.CENTER),
    )
    header = TableRow(
        (
            Cell("STT", bold=True),
            Cell("Đơn vị", bold=True),
            *(Cell(h.code, bold=True) for h in heads),
            Cell("Đạt/ có KH", bold=True),
        ),
        RowKind.HEADER,
    )
    rows = [header]
    for number, line in enumerate(table.lines, 1):
        if line.state != "ok":
            note = MISSING if line.state == "missing" else f"{INVALID} ({line.errors} lỗi)"
            rows.append(TableRow((Cell(str(number)), Cell(line.name), Cell(note, italic=True, span=len(heads) + 1))))
            continue
        cells = [Cell(STATUS_CODES[line.statuses[h.code]] if h.code in line.statuses else "") for h in heads]
        rows.append(TableRow((Cell(str(number)), Cell(line.name), *cells, Cell(f"{line.on_plan}/{line.with_target}"))))
    return Table(columns, tuple(rows), font_size=9)


def _legend_table(table: SummaryTable) -> Table:
    columns = (Column(8, Align.CENTER), Column(50, Align.LEFT), Column(10, Align.CENTER), Column(14, Align.CENTER))
    rows = [
        TableRow(tuple(Cell(text, bold=True) for text in ("Mã", "Chỉ tiêu", "ĐVT", "Kế hoạch năm")), RowKind.HEADER)
    ]
    rows += [TableRow((Cell(h.code), Cell(h.name), Cell(h.unit), Cell(h.target or "-"))) for h in table.heads]
    return Table(columns, tuple(rows), font_size=9)
