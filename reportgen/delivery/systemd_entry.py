"""The systemd user service and timer that run ``reportgen run`` daily (``Persistent=true`` catches up).

Quoting follows systemd's own rules: % starts a specifier in every setting, $ a
variable in ExecStart, and an argument with spaces or quotes is double-quoted with
C-style escapes.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from reportgen.delivery.due_dates import run_time
from reportgen.delivery.scheduler_entry import SchedulerEntry, password_text, slug
from reportgen.settings.workspace import Workspace

__all__ = ["systemd_entry"]

_SYSTEMD_USER_DIR = "~/.config/systemd/user"


def systemd_entry(workspace: Workspace, argv: tuple[str, ...], secret: tuple[str, Path] | None) -> SchedulerEntry:
    hour, minute = run_time(workspace.config.schedule)
    unit = f"reportgen-{slug(workspace.root)}"
    root = _systemd_specifiers(str(workspace.root))
    # A user service does not see ~/.profile: the password file is named in the unit itself.
    environment = f"Environment={_systemd_environment(secret[0], str(secret[1]))}\n" if secret else ""
    service = (
        f"[Unit]\nDescription=reportgen: lập và gửi báo cáo cho {root}\n\n"
        f"[Service]\nType=oneshot\nWorkingDirectory={root}\n{environment}"
        f"ExecStart={' '.join(_systemd_quote(a) for a in argv)}\n"
    )
    timer = (
        f"[Unit]\nDescription=reportgen: chạy hằng ngày lúc {hour:02d}:{minute:02d} cho {root}\n\n"
        f"[Timer]\nOnCalendar=*-*-* {hour:02d}:{minute:02d}:00\nPersistent=true\nUnit={unit}.service\n\n"
        f"[Install]\nWantedBy=timers.target\n"
    )
    files = {f"{_SYSTEMD_USER_DIR}/{unit}.service": service, f"{_SYSTEMD_USER_DIR}/{unit}.timer": timer}
    commands = (("systemctl", "--user", "daemon-reload"), ("systemctl", "--user", "enable", "--now", f"{unit}.timer"))
    text = "\n".join(
        [
            *(f"# {path}\n{content}" for path, content in files.items()),
            f"Bộ hẹn giờ chạy “reportgen run” mỗi ngày lúc {hour:02d}:{minute:02d}. Nhờ Persistent=true, nếu máy tắt "
            "vào giờ đó thì lần chạy bị lỡ được chạy bù một lần ngay khi máy bật lại.",
            "Cài tự động: reportgen schedule install",
            f"Cài bằng tay: lưu hai tệp trên vào {_SYSTEMD_USER_DIR}/, rồi chạy:",
            *(f"  {shlex.join(c)}" for c in commands),
            f"Kiểm tra: systemctl --user list-timers {unit}.timer",
            f"Xem nhật ký: journalctl --user -u {unit}.service",
            "Nếu trên máy này không ai đăng nhập (máy chủ), bộ hẹn giờ của người dùng chỉ chạy khi đã bật:",
            "  loginctl enable-linger $USER",
            *password_text(workspace, secret, "systemd"),
        ]
    )
    return SchedulerEntry("systemd", files, commands, text + "\n")


_SYSTEMD_PLAIN = re.compile(r"[^\s\"'\\;]+")


def _systemd_specifiers(text: str) -> str:
    """% starts a systemd specifier (%h, %u …) in every setting; %% means a plain %."""
    return text.replace("%", "%%")


def _systemd_escape(text: str) -> str:
    """In ExecStart, $ also starts a variable; $$ means a plain $."""
    return _systemd_specifiers(text).replace("$", "$$")


def _systemd_environment(name: str, value: str) -> str:
    """One Environment= assignment: quoted as a whole, with C-style escapes; % is still a specifier there,
    $ is not (systemd expands no variables in Environment=)."""
    text = f"{name}={value}"
    if _SYSTEMD_PLAIN.fullmatch(text):
        return _systemd_specifiers(text)
    return '"' + _systemd_specifiers(text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def _systemd_quote(arg: str) -> str:
    """One ExecStart argument: double quotes with C-style escapes when it holds spaces or quotes."""
    if arg and _SYSTEMD_PLAIN.fullmatch(arg):
        return _systemd_escape(arg)
    return '"' + _systemd_escape(arg.replace("\\", "\\\\").replace('"', '\\"')) + '"'
