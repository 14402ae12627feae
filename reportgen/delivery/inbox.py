"""What staff dropped into inputs/: the workbooks named by period, and every other file with what to do.

A file that reportgen does not process is never passed over in silence: an Excel 97-2003 file, an
OpenDocument sheet, a browser's "2023-09 (1).xlsx", a "BC tháng 12 năm 2026.xlsx", two workbooks for
one period, a folder named like no unit.  Each becomes a :class:`Dropped` with a Vietnamese sentence
saying what it is and what to do (for a file of the wrong kind, the very message ``reportgen check``
gives).  Only what no person put there on purpose is skipped without a word: Office's and
LibreOffice's lock files, temporary and half-downloaded files, hidden files (reportgen's own
half-written ones among them).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from reportgen.core.periods import Period, PeriodError
from reportgen.settings.limits import Limits
from reportgen.workbook.read.probe import probe_file

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
PARTIAL_SUFFIXES = (".crdownload", ".part", ".partial", ".download", ".tmp", ".temp")
"""Files not finished yet: Chrome/Edge, Firefox and many copy tools."""
_SYSTEM_FILES = {"thumbs.db", "desktop.ini", "ehthumbs.db"}
_EXCEL_SAVING = re.compile(r"[0-9A-F]{8}")
"""Excel saves into a file named with eight hex digits and no extension, then renames it."""


def skip_reason(path: Path) -> str | None:
    """Why ``path`` is passed over without a word (a lock, temporary, hidden or system file), or None."""
    name = path.name
    lowered = name.lower()
    if name.startswith("~$"):
        return "tệp khóa của Excel (có khi tệp đang mở)"
    if name.startswith(".~lock."):
        return "tệp khóa của LibreOffice"
    if name.startswith("~"):
        return "tệp tạm của Office"
    if name.startswith("."):
        return "tệp ẩn hoặc tệp đang được ghi"
    if lowered.endswith(PARTIAL_SUFFIXES):
        return "tệp tạm hoặc tệp đang tải/chép dở"
    if lowered in _SYSTEM_FILES:
        return "tệp của hệ điều hành"
    if _EXCEL_SAVING.fullmatch(name):
        return "tệp tạm của Excel khi đang lưu"
    return None


@dataclass(frozen=True)
class Dropped:
    """A file (or folder) in inputs/ that is not processed, and what to do about it."""

    path: Path
    problem: str
    """What it is: "Đây là tệp Excel 97-2003 (.xls); chương trình chỉ đọc được tệp .xlsx."."""
    fix: str
    """What to do: convert, rename, remove the duplicate."""
    period: Period | None = None
    """The period it seems meant for, when its name or content says."""

    @property
    def message(self) -> str:
        return f"{self.problem} Cách sửa: {self.fix}"


@dataclass(frozen=True)
class Inbox:
    workbooks: tuple[tuple[Period, Path], ...]
    """Workbooks named by period (2023-06.xlsx), oldest period first."""
    dropped: tuple[Dropped, ...]
    """Everything else a person put there."""

    def dropped_for(self, period: Period) -> list[Dropped]:
        return [d for d in self.dropped if d.period == period]


def scan(folder: Path, limits: Limits = Limits(), subfolders: frozenset[str] = frozenset()) -> Inbox:
    """Sort the entries of ``folder``.  ``subfolders`` are the unit folders (inputs/<unit>/), scanned on
    their own; any other folder holding workbooks is reported, since its files would never be read."""
    workbooks: list[tuple[Period, Path]] = []
    dropped: list[Dropped] = []
    if not folder.is_dir():
        return Inbox((), ())
    for path in sorted(folder.iterdir()):
        if skip_reason(path) is not None:
            continue
        if path.is_dir():
            if path.name not in subfolders:
                dropped.extend(_stray_folder(path, subfolders))
            continue
        period = _period_of_name(path.stem)
        if path.suffix.lower() in WORKBOOK_SUFFIXES and period is not None:
            workbooks.append((period, path))
        else:
            dropped.append(_explain(path, period, limits))
    workbooks, duplicates = _one_per_period(workbooks)
    return Inbox(tuple(sorted(workbooks, key=lambda item: item[0].sort_key)), tuple(dropped + duplicates))


def _period_of_name(stem: str) -> Period | None:
    """The period a file name gives exactly ("2023-06", "2023-Q3"), or None."""
    try:
        return Period.parse(stem)
    except PeriodError:
        return None


# A period written inside a longer name: "2023-09 (1)", "Copy of 2023-09", "BC tháng 12 năm 2026", "T12-2026".
_CODE_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_. ]?(0[1-9]|1[0-2]|[Qq][1-4]|[Hh][12]|9[Mm])(?![0-9])")
_MONTH_IN_NAME = re.compile(r"(?:tháng|thang|t)\s*[-_.]?\s*(\d{1,2})\s*(?:năm|nam|[-_./ ])\s*(\d{4})", re.IGNORECASE)


def guess_period(stem: str) -> Period | None:
    """The period a name seems meant for, for a suggestion only ("đổi tên thành 2023-09.xlsx")."""
    match = _CODE_IN_NAME.search(stem)
    if match:
        year, rest = match.groups()
        code = f"{year}-{rest.upper() if not rest.isdigit() else rest}"
        return _period_of_name(code)
    match = _MONTH_IN_NAME.search(stem)
    if match and 1 <= int(match.group(1)) <= 12:
        return _period_of_name(f"{match.group(2)}-{int(match.group(1)):02d}")
    return None


def _explain(path: Path, named: Period | None, limits: Limits) -> Dropped:
    """A file that is not a workbook named by period: the reader's own message for a file of the
    wrong kind, else the name to give it."""
    probe = probe_file(path, limits)
    period = named or guess_period(path.stem)
    if probe.issue is not None:
        fix = probe.issue.hint or "Chọn đúng tệp Excel .xlsx của kỳ báo cáo."
        if period is not None:
            fix += f" Đặt tên tệp mới là “{period.code}.xlsx”."
        return Dropped(path, probe.issue.message, fix, period)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:  # an .xlsx with another extension
        target = f"{period.code}.xlsx" if period else f"{path.stem}.xlsx"
        return Dropped(
            path,
            "Tệp là bảng tính Excel .xlsx nhưng mang đuôi “" + path.suffix + "”.",
            f"Đổi tên tệp thành “{target}”.",
            period,
        )
    if period is not None:
        return Dropped(
            path,
            f"Tên tệp không theo quy ước (tên của kỳ báo cáo, ví dụ “{period.code}.xlsx”); tệp chưa được xử lý.",
            f"Nếu đây là số liệu {period.label_with_year}, đổi tên tệp thành “{period.code}.xlsx” "
            "(nếu đã có tệp tên đó, xóa hoặc chuyển tệp cũ ra khỏi inputs/ trước).",
            period,
        )
    return Dropped(
        path,
        "Tên tệp không phải tên một kỳ báo cáo (ví dụ “2023-06.xlsx”, “2023-Q3.xlsx”); tệp chưa được xử lý.",
        "Đổi tên tệp theo kỳ của số liệu trong tệp (ô Kỳ báo cáo, sheet Thông tin), "
        "hoặc chuyển tệp ra khỏi inputs/ nếu không phải tệp số liệu.",
    )


def _one_per_period(workbooks: list[tuple[Period, Path]]) -> tuple[list[tuple[Period, Path]], list[Dropped]]:
    """Two workbooks for one period (2023-06.xlsx and 2023-06.xlsm): neither is taken, since either
    could be the one staff meant."""
    by_period: dict[Period, list[Path]] = defaultdict(list)
    for period, path in workbooks:
        by_period[period].append(path)
    kept, dropped = [], []
    for period, paths in by_period.items():
        if len(paths) == 1:
            kept.append((period, paths[0]))
            continue
        names = ", ".join(f"“{p.name}”" for p in paths)
        for path in paths:
            dropped.append(
                Dropped(
                    path,
                    f"Có {len(paths)} tệp cùng là số liệu {period.label_with_year}: {names}; chưa xử lý tệp nào.",
                    "Giữ lại một tệp đúng, xóa hoặc chuyển các tệp kia ra khỏi inputs/.",
                    period,
                )
            )
    return kept, dropped


def _stray_folder(folder: Path, units: frozenset[str]) -> list[Dropped]:
    """A folder of workbooks under inputs/ that belongs to no unit: its files would never be read."""
    try:
        has_workbooks = any(p.suffix.lower() in WORKBOOK_SUFFIXES and skip_reason(p) is None for p in folder.iterdir())
    except OSError:
        return []
    if not has_workbooks:
        return []
    if units:
        known = ", ".join(sorted(units))
        fix = (
            f"Nếu là tệp của một đơn vị, đổi tên thư mục thành mã đơn vị đó (các đơn vị: {known}) "
            "hoặc khai báo đơn vị trong [units] của reportgen.toml."
        )
    else:
        fix = "Chuyển tệp số liệu ra thẳng inputs/ (tên theo kỳ, ví dụ inputs/2023-06.xlsx)."
    return [
        Dropped(
            folder,
            "Thư mục này có tệp Excel nhưng không phải thư mục của đơn vị nào, nên các tệp trong đó không được xử lý.",
            fix,
        )
    ]


__all__ = ["PARTIAL_SUFFIXES", "WORKBOOK_SUFFIXES", "Dropped", "Inbox", "guess_period", "scan", "skip_reason"]
