"""Read an input workbook into a :class:`ReportInput`, reporting every problem at once.

:func:`read_workbook` never raises for anything in the file: what it cannot
read becomes an :class:`Issue` on its sheet and cell, in Vietnamese, with the
value seen and what to do, so staff fix every problem in one pass.  The steps:

1. :mod:`.probe` decides from the bytes what the file really is (xls, ods,
   csv, encrypted, zip bomb, truncated …) before openpyxl sees it; the parts
   it decompressed whole are read from memory by every later step;
2. :mod:`.loading` opens it read-only with cached values, the shared strings
   and styles counted against their limits;
3. :mod:`.sheet_layout` finds the sheets, :mod:`.headers` the header rows and
   columns by their text;
4. :mod:`.sheetxml` reads each sheet's rows from its XML (refusing rows it
   cannot place), :mod:`.partscan` having found its merged ranges, formulas
   (:mod:`.formulas`) and last row;
5. :mod:`.info`, :mod:`.indicators` and :mod:`.projects` read the rows through
   :mod:`.cells` and check them with :mod:`.validate`.

No report is built from a workbook with errors.  Running out of memory is said
as such, never taken for a damaged file.  openpyxl is imported here and in the
other ``reportgen.workbook`` modules only.
"""

from __future__ import annotations

import hashlib
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

from reportgen.core.issues import Issue, error
from reportgen.domain.report_input import Indicator, ReportInput
from reportgen.settings.limits import MB, LimitReached, Limits, ReadBudget
from reportgen.workbook import list_columns, schema
from reportgen.workbook.read.cells import CellReader
from reportgen.workbook.read.formulas import sheet_parts, uncached_formulas
from reportgen.workbook.read.headers import Layout, find_layout, header_score, ignored_note
from reportgen.workbook.read.indicators import read_indicators
from reportgen.workbook.read.info import InfoResult, looks_like_info, read_info
from reportgen.workbook.read.issuelog import IssueLog
from reportgen.workbook.read.loading import load_for_reading
from reportgen.workbook.read.partscan import MAX_MERGES, PartScan, scan_sheet_part
from reportgen.workbook.read.period_columns import own_figure_issues
from reportgen.workbook.read.probe import probe_file
from reportgen.workbook.read.projects import read_projects, read_remarks
from reportgen.workbook.read.raw_cell import RawCell
from reportgen.workbook.read.read_settings import ReadSettings, as_settings, read_settings
from reportgen.workbook.read.sheet_layout import data_rows, locate_sheets, raw_cell
from reportgen.workbook.read.sheetxml import Row, SheetUnreadable, sheet_rows

__all__ = ["Limits", "ReadResult", "ReadSettings", "read_settings", "read_workbook"]

T = TypeVar("T")
ListReader = Callable[[Iterable[dict[str, RawCell]], Layout, CellReader], list[T]]
_LIST_SCHEMAS = {
    schema.INDICATORS: list_columns.INDICATOR_COLUMNS,
    schema.PROJECTS: list_columns.PROJECT_COLUMNS,
    schema.REMARKS: list_columns.REMARK_COLUMNS,
}


@dataclass(frozen=True)
class ReadResult:
    report: ReportInput | None
    """None when errors prevent building the model (any error does)."""
    issues: tuple[Issue, ...]
    """Every problem found, errors, warnings and notes, in sheet/row/column order."""

    @property
    def ok(self) -> bool:
        """No errors (warnings and notes allowed)."""
        return not any(issue.is_error for issue in self.issues)


def read_workbook(path: Path | str, settings: Limits | ReadSettings = ReadSettings()) -> ReadResult:
    """Read and check the workbook at ``path`` (``settings``: its limits, or :class:`ReadSettings`)."""
    path = Path(path)
    given = as_settings(settings)
    try:
        probe = probe_file(path, given.limits)
        if probe.data is None:
            return ReadResult(None, (probe.issue,) if probe.issue else ())
        log = IssueLog()
        with probe.package() as package:  # one open package for openpyxl and the reader's own scans
            report = _read_bytes(path, probe.data, package, given, log)
        return ReadResult(None if log.has_errors else report, log.result())
    except MemoryError:
        return ReadResult(None, (_out_of_memory(path),))


def _read_bytes(
    path: Path, data: bytes, package: zipfile.ZipFile, settings: ReadSettings, log: IssueLog
) -> ReportInput | None:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation extensions, VBA …); none matter here.
            warnings.simplefilter("ignore")
            workbook = load_for_reading(data, settings.limits, package)
    except LimitReached as exc:
        log.add(exc.issue)
        return None
    except MemoryError:
        raise
    except Exception as exc:  # anything openpyxl raises means the package is damaged
        log.add(_damaged(type(exc).__name__))
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _BookReader(path, workbook, package, settings, log).read(hashlib.sha256(data).hexdigest())
    finally:
        workbook.close()


def _damaged(detail: str) -> Issue:
    return error(
        "file.corrupt",
        f"Nội dung bên trong bị hỏng: một phần của tệp sai cấu trúc (chi tiết kỹ thuật: {detail}).",
        "Mở tệp trong Excel; nếu Excel đề nghị sửa (Repair) thì đồng ý, rồi chọn File → Save As "
        "để lưu thành tệp mới và dùng tệp đó. Nếu không mở được, chép lại tệp từ bản gốc.",
    )


def _out_of_memory(path: Path) -> Issue:
    try:
        size = f" (tệp nặng {path.stat().st_size / MB:.1f} MB)".replace(".", ",")
    except OSError:
        size = ""
    return error(
        "file.out_of_memory",
        f"Máy không đủ bộ nhớ để đọc hết tệp này{size}; tệp không hỏng, nhưng chưa đọc được.",
        "Đóng bớt các chương trình đang mở rồi chạy lại. Nếu vẫn vậy: xóa các sheet, dòng, cột thừa "
        "cho tệp nhẹ đi, hoặc nhờ người quản trị giảm các giới hạn trong mục [limits] của reportgen.toml "
        "cho vừa bộ nhớ của máy (xem docs/operations.md).",
    )


class _BookReader:
    """One read of one workbook: the loaded book, its zip, and the shared issue log."""

    def __init__(
        self, path: Path, workbook: Any, archive: zipfile.ZipFile, settings: ReadSettings, log: IssueLog
    ) -> None:
        self.path = path
        self.workbook = workbook
        self.archive = archive
        self.settings = settings
        self.limits = settings.limits
        self.log = log
        self.parts = sheet_parts(archive)
        self.budget = ReadBudget(self.limits)
        self._scans: dict[str, PartScan] = {}
        self.layouts: dict[str, Layout] = {}

    def read(self, sha256: str) -> ReportInput | None:
        titles = list(self.workbook.sheetnames)
        self.log.set_sheet_order(titles)
        located = locate_sheets(titles, self.log, self._looks_like)
        info = self._info(located.get(schema.INFO))
        indicators = self._list(located.get(schema.INDICATORS), list_columns.INDICATOR_COLUMNS, read_indicators)
        projects = self._list(located.get(schema.PROJECTS), list_columns.PROJECT_COLUMNS, read_projects)
        remarks = self._list(located.get(schema.REMARKS), list_columns.REMARK_COLUMNS, read_remarks)
        if info is None or info.info is None or indicators is None:
            return None
        self._check_not_empty(located[schema.INDICATORS], indicators)
        title = located[schema.INDICATORS]
        self.log.extend(own_figure_issues(info.info.period, indicators, self.layouts.get(title), title))
        return ReportInput(
            info.info,
            tuple(indicators),
            tuple(projects or ()),
            tuple(remarks or ()),
            source=str(self.path),
            sha256=sha256,
            extra=info.extra,
        )

    # -- sheets ---------------------------------------------------------------
    def _scan(self, title: str) -> PartScan:
        if title not in self._scans:
            member = self.parts.get(title)
            scan = scan_sheet_part(self.archive, member) if member in self.archive.NameToInfo else PartScan()
            if scan.too_many_merges:
                self.log.add(
                    error(
                        "sheet.too_many_merges",
                        f"Sheet có hơn {MAX_MERGES} vùng gộp ô; tệp như vậy không phải bảng số liệu thật.",
                        "Bỏ gộp ô (chọn toàn bộ sheet, Home → Merge & Center → Unmerge Cells) rồi lưu lại.",
                        sheet=title,
                    )
                )
            self._scans[title] = scan
        return self._scans[title]

    def _uncached(self, title: str) -> frozenset[tuple[int, int]]:
        member = self.parts.get(title)
        return uncached_formulas(self.archive, member) if member and self._scan(title).has_formula else frozenset()

    def _worksheet(self, title: str) -> Any | None:
        sheet = self.workbook[title]
        if hasattr(sheet, "_get_source"):
            return sheet
        self.log.add(
            error(
                "sheet.not_table",
                "Sheet này là biểu đồ, không phải bảng số liệu.",
                f"Đổi tên sheet biểu đồ này (ví dụ “Biểu đồ”), rồi đặt tên “{title}” cho sheet chứa bảng số liệu.",
                sheet=title,
            )
        )
        return None

    def _rows(
        self, sheet: Any, budget: ReadBudget | None = None, log: IssueLog | None = None
    ) -> Iterator[tuple[int, Row]]:
        return sheet_rows(sheet, self._scan(sheet.title), budget or self.budget, log or self.log)

    def _head(
        self, sheet: Any, rows: Iterator[tuple[int, Row]] | None = None
    ) -> tuple[list[tuple[int, Row]], Iterator[tuple[int, Row]]]:
        """The rows a header may be in, and the rest (the first of which may already have been read)."""
        rows = rows if rows is not None else self._rows(sheet)
        head: list[tuple[int, Row]] = []
        for number, cells in rows:
            if number > schema.HEADER_SEARCH_ROWS:
                return head, chain([(number, cells)], rows)
            head.append((number, cells))
        return head, iter(())

    def _looks_like(self, title: str) -> set[str]:
        """The schema sheets whose columns (or labels) the first rows of sheet ``title`` hold."""
        sheet = self.workbook[title]
        if not hasattr(sheet, "_get_source"):
            return set()
        # Read apart from the workbook's own count and issues: this sheet is not part of the report.
        rows = self._rows(sheet, ReadBudget(self.limits), IssueLog())
        try:
            head, _ = self._head(sheet, rows)
        except SheetUnreadable:
            return set()
        finally:
            rows.close()  # type: ignore[attr-defined]
        scan = self._scan(title)
        found = {name for name, columns in _LIST_SCHEMAS.items() if header_score(head, scan.merges, columns)}
        return found | ({schema.INFO} if looks_like_info(head) else set())

    def _info(self, title: str | None) -> InfoResult | None:
        sheet = self._worksheet(title) if title else None
        if sheet is None:
            return None
        reader = CellReader(self.log, sheet.title, self.limits, self.budget)
        try:
            return read_info(self._rows(sheet), self._uncached(sheet.title), reader, self.path, self.settings)
        except SheetUnreadable as exc:
            self.log.add(exc.issue)
            return None

    def _list(self, title: str | None, columns: tuple[schema.Column, ...], read: ListReader[T]) -> list[T] | None:
        """Rows of a list sheet; None when the sheet is absent, its header unusable or its XML unreadable."""
        sheet = self._worksheet(title) if title else None
        if sheet is None or title is None:
            return None
        try:
            return self._list_rows(sheet, columns, read)
        except SheetUnreadable as exc:
            self.log.add(exc.issue)
            return None

    def _list_rows(self, sheet: Any, columns: tuple[schema.Column, ...], read: ListReader[T]) -> list[T] | None:
        title = sheet.title
        scan = self._scan(title)
        uncached = self._uncached(title)
        head, rest = self._head(sheet)
        if self.budget.cells_exhausted():
            return None  # said once already, on the sheet where the count ran out
        reader = CellReader(self.log, title, self.limits, self.budget)
        layout = find_layout(title, head, scan.merges, columns, self.log)
        if layout is None:
            self._legacy_headers(head, uncached, reader)
            return None
        self.layouts[title] = layout
        unheaded: dict[int, int] = {}
        found = data_rows(
            chain(head, rest),
            layout,
            uncached,
            title,
            self.limits,
            self.log,
            unheaded,
            stop_on_blank_run=scan.last_value_row is None,
        )
        items = read(found, layout, reader)
        noted = ignored_note(title, layout.ignored, unheaded)
        if noted is not None:
            self.log.add(noted)
        return items

    def _legacy_headers(
        self, head: list[tuple[int, Row]], uncached: frozenset[tuple[int, int]], reader: CellReader
    ) -> None:
        """A header typed in TCVN3/VNI is why no header was found: say so on its cells."""
        for number, cells in head:
            for column, cell in sorted(cells.items()):
                if isinstance(cell.value, str) and not cell.value.isascii():
                    reader.is_legacy(raw_cell(cell, number, column, uncached), cell.value, "Tiêu đề")

    def _check_not_empty(self, title: str, indicators: list[Indicator]) -> None:
        if not indicators and not self.log.has_errors:
            self.log.add(
                error(
                    "sheet.empty",
                    "Sheet không có chỉ tiêu nào dưới dòng tiêu đề.",
                    "Mỗi chỉ tiêu ghi trên một dòng dưới dòng tiêu đề, có Mã, Lĩnh vực, Chỉ tiêu, ĐVT, Loại.",
                    sheet=title,
                )
            )
