"""Working folders for the `reportgen run` tests: an initialised folder, its mail settings, workbooks per month."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from reportgen.report.init_folder import init_folder
from reportgen.delivery.ledger import Ledger
from reportgen.core.periods import Period
from reportgen.domain.plan import example_book, period_label
from reportgen.run.daily import RunOptions, RunResult, run
from reportgen.workbook.write.input_workbook import write_book
from reportgen.settings.workspace import Workspace

RECIPIENTS = ("lanhdao@example.vn", "tonghop@example.vn")
STAFF = "vanphong@example.vn"


def make_folder(root: Path, server=None, *, mail: dict | None = None, extra: str = "", sample: bool = False,
                approval: bool = False, review_to: tuple[str, ...] = ()) -> Path:
    """An initialised working folder; with ``server``, its [mail] points at that test SMTP server.
    Without ``approval`` its [issue] table says approval = false (the report goes to [mail] to on its due day).

    ``init`` leaves the example (sample data, never mailed to recipients) in inputs/; unless ``sample``,
    it is replaced by the same figures as an office's own workbook, as staff do after trying the example."""
    init_folder(root)
    if not sample:
        write_month(root, "2023-06")
    config = root / "reportgen.toml"
    text = config.read_text(encoding="utf-8")
    if not approval:  # the flow without approval: the report goes to [mail] to on its due day
        text = text.replace("\napproval = true\n", "\napproval = false\n")
    if review_to:
        text = text.replace("\nreview_to = []\n", f"\nreview_to = {_toml(list(review_to))}\n")
    if server is not None:
        settings = {"host": "127.0.0.1", "port": server.port,
                    "security": "starttls" if server.starttls else "ssl" if server.ssl else "none",
                    "sender": STAFF, "to": list(RECIPIENTS), "staff": STAFF, "retry_delay": 0, "timeout": 5,
                    **(mail or {})}
        if server.auth:
            settings.setdefault("username", server.auth[0])
        text += "\n[mail]\n" + "".join(f"{key} = {_toml(value)}\n" for key, value in settings.items())
    config.write_text(text + extra, encoding="utf-8")
    return root


def _toml(value) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def write_month(root: Path, period: str, value: str | None = None, unit: str = "") -> Path:
    """inputs/<period>.xlsx: the example's figures, for another month (and optionally another XH01 value)."""
    book = example_book()
    target = Period.parse(period)
    rows = book.indicators
    if value is not None:
        from decimal import Decimal

        rows = tuple({**r, "value": Decimal(value)} if r["code"] == "XH01" else r for r in rows)
    book = dataclasses.replace(book, period=target, info={**book.info, "period": period_label(target), "sample": False},
                               indicators=rows, sample=False)
    path = root / "inputs" / unit / f"{target.code}.xlsx"
    write_book(book, path)
    return path


UNITS_TOML = """
[units.hoanh-mo]
agency = ["ỦY BAN NHÂN DÂN", "XÃ HOÀNH MÔ"]
name = "Ủy ban nhân dân xã Hoành Mô"
short_name = "UBND xã Hoành Mô"
place = "Hoành Mô"
area = "xã"
signer_authority = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
signer_title = "CHỦ TỊCH"
signer_name = "Hoàng Văn B"
recipients = ["UBND huyện Bình Liêu (b/c)"]
mail_to = ["hoanhmo@example.vn"]

[units.dong-van]
agency = ["ỦY BAN NHÂN DÂN", "XÃ ĐỒNG VĂN"]
name = "Ủy ban nhân dân xã Đồng Văn"
place = "Đồng Văn"
area = "xã"
mail_to = ["dongvan@example.vn"]
"""


def report_file(root: Path, period: str, revision: int = 1, fmt: str = "pdf", unit: str = "") -> Path:
    """A recorded revision's file: outputs/[<unit>/]<period>/bao-cao-<period>-lan-<revision>.<fmt>."""
    stem = "so-lieu" if fmt in ("json", "xlsx") else "bao-cao"
    return root / "outputs" / unit / period / f"{stem}-{period}-lan-{revision}.{fmt}"


def run_at(root: Path, when: str, **options) -> RunResult:
    return run(Workspace.open(root), RunOptions(now=datetime.fromisoformat(when), sleep=lambda _: None, **options))


def ledger_of(root: Path) -> Ledger:
    return Ledger(root / "reportgen.db")
