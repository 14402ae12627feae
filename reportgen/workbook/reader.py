"""Read an input workbook into a :class:`ReportInput`, reporting every problem at once.

:func:`read_workbook` never raises for anything in the file: what it cannot
read becomes an :class:`Issue` on its sheet and cell, in Vietnamese, with the
value seen and what to do (user-pain.md item 10).  The steps:

1. :mod:`.probe` decides from the bytes what the file really is (xls, ods,
   csv, encrypted, zip bomb, truncated …) before openpyxl sees it;
2. openpyxl loads it once, read-only with cached values, macros dropped;
   :mod:`.formulas` finds formulas that were never calculated;
3. :mod:`.layout` finds the sheets, header rows and columns by their text;
4. :mod:`.info`, :mod:`.indicators` and :mod:`.projects` read the rows through
   :mod:`.cells` and check them with :mod:`.validate`.

No report is built from a workbook with errors.  openpyxl is imported here
and in the other ``reportgen.workbook`` modules only.
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from ..issues import Issue, error
from ..model import Indicator, ReportInput
from . import schema
from .cells import CellReader, RawCell
from .formulas import sheet_parts, uncached_formulas
from .indicators import read_indicators
from .info import InfoResult, read_info
from .issuelog import IssueLog
from .loading import load_for_reading
from .layout import DamagedFile, Layout, data_rows, find_layout, locate_sheets, raw_cell, sheet_rows
from .limits import CellBudget, Limits
from .period_columns import own_figure_issues
from .probe import probe_file
from .projects import read_projects, read_remarks

__all__ = ["Limits", "ReadResult", "read_workbook"]

T = TypeVar("T")
ListReader = Callable[[Iterable[dict[str, RawCell]], Layout, CellReader], list[T]]


@dataclass(frozen=True)
class ReadResult:
    report: ReportInput | None
    """None when errors prevent building the model (any error does)."""
    issues: tuple[Issue, ...]
    """Every problem found, errors and warnings, in sheet/row/column order."""

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not any(issue.is_error for issue in self.issues)


def read_workbook(path: Path | str, limits: Limits = Limits()) -> ReadResult:
    """Read and check the workbook at ``path``."""
    path = Path(path)
    probe = probe_file(path, limits)
    if probe.data is None:
        return ReadResult(None, (probe.issue,) if probe.issue else ())
    log = IssueLog()
    report = _read_bytes(path, probe.data, limits, log)
    return ReadResult(None if log.has_errors else report, log.result())


def _read_bytes(path: Path, data: bytes, limits: Limits, log: IssueLog) -> ReportInput | None:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation extensions, VBA …); none matter here.
            warnings.simplefilter("ignore")
            workbook = load_for_reading(data)
    except Exception as exc:  # anything openpyxl raises means the package is damaged
        log.add(_damaged(type(exc).__name__))
        return None
    try:
        with warnings.catch_warnings(), zipfile.ZipFile(io.BytesIO(data)) as archive:
            warnings.simplefilter("ignore")
            return _BookReader(path, workbook, archive, limits, log).read(hashlib.sha256(data).hexdigest())
    except DamagedFile as exc:
        log.add(_damaged(str(exc)))
        return None
    finally:
        workbook.close()


def _damaged(detail: str) -> Issue:
    return error("file.corrupt",
                 f"Nội dung bên trong bị hỏng: một phần của tệp sai cấu trúc (chi tiết kỹ thuật: {detail}).",
                 "Mở tệp trong Excel; nếu Excel đề nghị sửa (Repair) thì đồng ý, rồi chọn File → Save As "
                 "để lưu thành tệp mới và dùng tệp đó. Nếu không mở được, chép lại tệp từ bản gốc.")


class _BookReader:
    """One read of one workbook: the loaded book, its zip, and the shared issue log."""

    def __init__(self, path: Path, workbook: Any, archive: zipfile.ZipFile, limits: Limits, log: IssueLog) -> None:
        self.path = path
        self.workbook = workbook
        self.archive = archive
        self.limits = limits
        self.log = log
        self.parts = sheet_parts(archive)
        self.budget = CellBudget(limits)
        self.layouts: dict[str, Layout] = {}

    def read(self, sha256: str) -> ReportInput | None:
        titles = list(self.workbook.sheetnames)
        self.log.set_sheet_order(titles)
        located = locate_sheets(titles, self.log)
        info = self._info(located.get(schema.INFO))
        indicators = self._list(located.get(schema.INDICATORS), schema.INDICATOR_COLUMNS, read_indicators)
        projects = self._list(located.get(schema.PROJECTS), schema.PROJECT_COLUMNS, read_projects)
        remarks = self._list(located.get(schema.REMARKS), schema.REMARK_COLUMNS, read_remarks)
        if info is None or info.info is None or indicators is None:
            return None
        self._check_not_empty(located[schema.INDICATORS], indicators)
        title = located[schema.INDICATORS]
        self.log.extend(own_figure_issues(info.info.period, indicators, self.layouts.get(title), title))
        return ReportInput(info.info, tuple(indicators), tuple(projects or ()), tuple(remarks or ()),
                           source=str(self.path), sha256=sha256, extra=info.extra)

    def _uncached(self, title: str) -> frozenset[tuple[int, int]]:
        member = self.parts.get(title)
        return uncached_formulas(self.archive, member) if member else frozenset()

    def _worksheet(self, title: str) -> Any | None:
        sheet = self.workbook[title]
        if hasattr(sheet, "iter_rows"):
            return sheet
        self.log.add(error("sheet.not_table", "Sheet này là biểu đồ, không phải bảng số liệu.",
                           f"Đổi tên sheet biểu đồ này (ví dụ «Biểu đồ»), rồi đặt tên «{title}» cho sheet chứa "
                           "bảng số liệu.", sheet=title))
        return None

    def _info(self, title: str | None) -> InfoResult | None:
        sheet = self._worksheet(title) if title else None
        if sheet is None:
            return None
        reader = CellReader(self.log, title or "", self.limits)
        return read_info(sheet_rows(sheet), self._uncached(sheet.title), reader, self.path, self.budget)

    def _list(self, title: str | None, columns: tuple[schema.Column, ...], read: ListReader[T]) -> list[T] | None:
        """Rows of a list sheet; None when the sheet is absent or its header unusable."""
        sheet = self._worksheet(title) if title else None
        if sheet is None or title is None:
            return None
        uncached = self._uncached(title)
        rows = sheet_rows(sheet)
        head = list(islice(rows, schema.HEADER_SEARCH_ROWS))
        reader = CellReader(self.log, title, self.limits)
        layout = find_layout(title, [cells for _, cells in head], columns, self.log)
        if layout is None:
            self._legacy_headers(head, uncached, reader)
            return None
        self.layouts[title] = layout
        found = data_rows(chain(head[layout.header_row:], rows), layout, uncached, title, self.limits, self.log,
                           self.budget)
        return read(found, layout, reader)

    def _legacy_headers(self, head: list[tuple[int, Any]], uncached: frozenset[tuple[int, int]],
                        reader: CellReader) -> None:
        """A header typed in TCVN3/VNI is why no header was found: say so on its cells."""
        for number, cells in head:
            for column, cell in enumerate(cells, start=1):
                if isinstance(cell.value, str) and not cell.value.isascii():
                    reader.is_legacy(raw_cell(cell, number, column, uncached), cell.value, "Tiêu đề")

    def _check_not_empty(self, title: str, indicators: list[Indicator]) -> None:
        if not indicators and not self.log.has_errors:
            self.log.add(error("sheet.empty", "Sheet không có chỉ tiêu nào dưới dòng tiêu đề.",
                               "Mỗi chỉ tiêu ghi trên một dòng dưới dòng tiêu đề, có Mã, Lĩnh vực, Chỉ tiêu, "
                               "ĐVT, Loại.", sheet=title))
