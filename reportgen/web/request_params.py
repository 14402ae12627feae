"""The parameters of the page's addresses and forms, each checked against what may be asked.

No parameter is ever joined to a path: a unit must be one of the working
folder's units, a period must parse as a period, a revision is a number, a
file format one of a fixed few, a download token a random name the server
made.  Anything else is refused (404) before it reaches the library, so no
``../``, absolute path, drive letter or encoded separator can name a file
outside the working folder.
"""

from __future__ import annotations

import re

from flask import abort, current_app, request

from reportgen.core.periods import Period, PeriodError
from reportgen.web.auth import current_account

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
DOWNLOADS = {
    "issued_pdf": "PDF đã ký",
    "issued_docx": "Word đã ban hành",
    "docx": "Word",
    "pdf": "PDF",
    "json": "Số liệu (JSON)",
    "xlsx": "Số liệu (Excel)",
}
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]|9M))?$")


def folder():
    return current_app.config["REPORTGEN"].folder()


def unit_arg(name: str = "unit", source=None) -> str:
    """The unit named by the request ('' for the folder's own), known to the folder, or 404."""
    value = (source if source is not None else request.values).get(name, "")
    if value not in folder().units:
        abort(404, f"Không có đơn vị “{value[:60]}” trong thư mục làm việc.")
    return value


def period_arg(name: str = "period", source=None, required: bool = True) -> Period | None:
    value = (source if source is not None else request.values).get(name, "")
    if not value and not required:
        return None
    try:
        if not _PERIOD.match(value):
            raise PeriodError(value)
        return Period.parse(value)
    except PeriodError:
        abort(404, f"Kỳ báo cáo “{value[:60]}” không đúng dạng (ví dụ: 2023-06, 2023-Q2, 2023-H1).")


def revision_arg(name: str = "rev") -> int | None:
    value = request.values.get(name, "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 6:
        abort(404, f"Lần lập “{value[:20]}” không phải một số.")
    return int(value)


def format_arg(name: str = "fmt") -> str:
    value = request.values.get(name, "")
    if value not in DOWNLOADS:
        abort(404, f"Không có loại tệp “{value[:20]}”; chỉ có: {', '.join(DOWNLOADS)}.")
    return value


def token_arg(value: str) -> str:
    if not TOKEN.match(value):
        abort(404, "Tệp tải về không có hoặc đã hết hạn.")
    return value


def visible_units() -> list[str]:
    """The folder's units the signed-in account sees, in the folder's order."""
    account = current_account()
    return [unit for unit in folder().units if account is not None and account.sees(unit)]


def unit_name(unit: str) -> str:
    """A unit as people call it: its configured name ('' is the folder's own unit)."""
    config = folder().for_unit(unit).config if unit in folder().units else None
    name = getattr(getattr(config, "unit", None), "name", "") if config else ""
    return name or (unit or "Đơn vị của thư mục")
