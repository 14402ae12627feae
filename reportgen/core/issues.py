"""Problems found in an input workbook, each pinned to its sheet and cell.

An :class:`Issue` renders itself as one Vietnamese line a member of staff can act
on: where (sheet, cell), what was found, what was expected, what to do.
Readers collect every issue instead of stopping at the first, so staff fix a
workbook in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "Lỗi"
    WARNING = "Cảnh báo"
    NOTE = "Ghi chú"
    """For information only: what the reader left out on purpose (a column not in the template)."""


@dataclass(frozen=True)
class Issue:
    """One problem in the workbook."""

    severity: Severity
    """ERROR stops the report; WARNING is shown and the report is still made; NOTE only informs."""
    code: str
    """Stable machine identifier, e.g. ``number.invalid`` (tests and annotations key on it)."""
    message: str
    """What is wrong and what was expected, as a sentence."""
    hint: str = ""
    """What to do about it."""
    sheet: str | None = None
    """Sheet name as it appears in the workbook (None for file-level problems)."""
    cell: str | None = None
    """A1-style reference, or None when the problem is not tied to one cell."""
    found: str | None = None
    """The value seen, as text (None when there is nothing to show)."""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f'Sheet "{self.sheet}", ô {self.cell}'
        if self.sheet:
            return f'Sheet "{self.sheet}"'
        return "Tệp"

    def __str__(self) -> str:
        parts = [f"{self.location}: {self.message}"]
        if self.found is not None:
            parts.append(f"Giá trị đọc được: “{_shorten(self.found)}”.")
        if self.hint:
            parts.append(f"Cách sửa: {self.hint}")
        return " ".join(parts)


def error(
    code: str, message: str, hint: str = "", *, sheet: str | None = None, cell: str | None = None, found: object = None
) -> Issue:
    return Issue(Severity.ERROR, code, message, hint, sheet, cell, _found(found))


def warning(
    code: str, message: str, hint: str = "", *, sheet: str | None = None, cell: str | None = None, found: object = None
) -> Issue:
    return Issue(Severity.WARNING, code, message, hint, sheet, cell, _found(found))


def note(
    code: str, message: str, hint: str = "", *, sheet: str | None = None, cell: str | None = None, found: object = None
) -> Issue:
    return Issue(Severity.NOTE, code, message, hint, sheet, cell, _found(found))


def errors_in(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.is_error]


def warnings_in(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.WARNING]


def notes_in(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.NOTE]


def _found(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else repr(value) if not _plain(value) else str(value)


def _plain(value: object) -> bool:
    return isinstance(value, (int, float)) or type(value).__name__ in {"Decimal", "date", "datetime"}


def _shorten(text: str, limit: int = 80) -> str:
    # Cells may hold 32,767 characters; a message line must stay readable.
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"
