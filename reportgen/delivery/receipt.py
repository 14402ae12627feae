"""The receipt of one run: what was read, built and sent, and what still needs doing — in Vietnamese.

Printed at the end of ``reportgen run`` and kept as a text file next to the
outputs, so staff (not only administrators) can see that the report went out,
to whom, and what the mail server answered, without asking anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from reportgen.core.errors import ExitStatus
from reportgen.core.vnformat import moment

VERDICTS = {
    ExitStatus.SUCCESS: "HOÀN THÀNH",
    ExitStatus.INVALID_INPUT: "CÓ TỆP SỐ LIỆU LỖI",
    ExitStatus.RENDER: "LỖI KHI LẬP BÁO CÁO",
    ExitStatus.CONFIG: "LỖI CẤU HÌNH",
    ExitStatus.DELIVERY: "CHƯA GỬI XONG",
}
SEVERITY = (ExitStatus.CONFIG, ExitStatus.RENDER, ExitStatus.INVALID_INPUT, ExitStatus.DELIVERY)
"""When several things went wrong, the exit status is the first of these that occurred."""


@dataclass
class RunLog:
    """Everything one run did, collected as it happens."""

    now: datetime
    root: Path
    inputs: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    deliveries: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    periods: set[str] = field(default_factory=set)
    """Output folders (by period, and unit) this run touched: the receipt is kept in each."""
    problems: set[ExitStatus] = field(default_factory=set)

    def problem(self, status: ExitStatus) -> None:
        self.problems.add(status)

    @property
    def status(self) -> ExitStatus:
        for status in SEVERITY:
            if status in self.problems:
                return status
        return ExitStatus.SUCCESS

    @property
    def quiet(self) -> bool:
        """Nothing happened and nothing is pending: a daily run with no news."""
        return not (self.inputs or self.reports or self.deliveries or self.todo or self.problems)

    def render(self) -> str:
        when = moment(self.now)
        lines = [f"BIÊN NHẬN LẦN CHẠY reportgen — {when}", f"Thư mục làm việc: {self.root}"]
        if self.quiet:
            lines += ["", "Không có việc mới: không có tệp số liệu mới hoặc đã sửa, không có thư đến hạn."]
        for title, items in (
            ("Tệp số liệu", self.inputs),
            ("Báo cáo đã lập", self.reports),
            ("Gửi thư", self.deliveries),
            ("Còn phải làm", self.todo),
        ):
            if items:
                lines += ["", f"{title}:"] + [f"  - {item}" for item in items]
        lines += ["", f"Kết quả: {VERDICTS[self.status]} (mã thoát {int(self.status)})"]
        return "\n".join(lines) + "\n"
