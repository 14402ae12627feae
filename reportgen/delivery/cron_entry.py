"""The crontab lines that run ``reportgen run`` daily, and once more after a boot that missed the time.

cron runs the job with a bare environment and turns an unescaped % into a line
break, even inside shell quotes: both are handled here.  The ``@reboot`` line
catches up after the PC was off at the time; the ledger makes the catch-up happen
once.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from reportgen.delivery.due_dates import run_time
from reportgen.delivery.scheduler_entry import SchedulerEntry, password_text
from reportgen.settings.workspace import Workspace

__all__ = ["cron_entry"]

# After a boot, give the network (and the mail server) a moment before the catch-up run.
_REBOOT_DELAY_SECONDS = 120


def cron_entry(workspace: Workspace, argv: tuple[str, ...], secret: tuple[str, Path] | None) -> SchedulerEntry:
    hour, minute = run_time(workspace.config.schedule)
    log_dir = workspace.outputs
    log_file = log_dir / "reportgen-cron.log"
    # cron runs the job with a bare environment: the password file is named on the command itself.
    assignment = f"{secret[0]}={_cron_quote(str(secret[1]))} " if secret else ""
    # The log folder must exist before the shell opens the log, or the run never starts.
    job = (
        f"mkdir -p {_cron_quote(str(log_dir))} && {assignment}{' '.join(_cron_quote(a) for a in argv)} "
        f">> {_cron_quote(str(log_file))} 2>&1"
    )
    marker = "# reportgen " + _cron_escape(str(workspace.root))
    lines = (f"{minute} {hour} * * * {job} {marker}", f"@reboot sleep {_REBOOT_DELAY_SECONDS} && {job} {marker}")
    text = "\n".join(
        [
            *lines,
            "",
            f"Dòng thứ nhất chạy “reportgen run” mỗi ngày lúc {hour:02d}:{minute:02d}; dòng thứ hai chạy bù "
            f"{_REBOOT_DELAY_SECONDS} giây sau khi máy khởi động, nếu máy tắt vào giờ đó (báo cáo không bao giờ "
            "bị gửi hai lần).",
            f"Nhật ký mỗi lần chạy: {log_file}",
            "Cài tự động: reportgen schedule install",
            "Cài bằng tay: chạy “crontab -e”, dán hai dòng trên vào cuối tệp, lưu lại.",
            f"Gỡ bỏ: chạy “crontab -e” và xóa các dòng kết thúc bằng “{marker}”.",
            *password_text(workspace, secret, "cron"),
        ]
    )
    return SchedulerEntry(
        "cron", {}, (("crontab", "-l"), ("crontab", "-")), text + "\n", cron_lines=lines, marker=marker
    )


def _cron_quote(arg: str) -> str:
    return _cron_escape(shlex.quote(arg))


def _cron_escape(text: str) -> str:
    """cron turns an unescaped % into a line break, even inside shell quotes."""
    return text.replace("%", "\\%")
