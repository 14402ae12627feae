"""What a scheduler entry is (:class:`SchedulerEntry`), and what every kind of entry shares.

A working folder's ASCII name for unit and task names (:func:`slug`), and where a
scheduled run finds the mail password (:func:`password_setting`): the scheduler does
not see the environment of the window the entry was made in.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportgen.delivery.mail.credentials import password_file_variable
from reportgen.settings.workspace import Workspace

__all__ = ["SchedulerEntry", "password_file", "password_setting", "password_text", "slug"]


@dataclass(frozen=True)
class SchedulerEntry:
    """What ``reportgen schedule show`` prints and ``reportgen schedule install`` installs."""

    system: str
    """"cron" | "systemd" | "windows"."""
    files: dict[str, str]
    """Path (may start with ~) → content: the systemd units, the Windows task XML."""
    commands: tuple[tuple[str, ...], ...]
    """The commands ``install`` runs, in order."""
    text: str
    """The entry and, in Vietnamese, how to install it by hand."""
    cron_lines: tuple[str, ...] = ()
    """cron only: the crontab lines, each ending with :attr:`marker`."""
    marker: str = ""
    """cron only: the comment that identifies this working folder's lines in a crontab."""


def password_file(root: Path, home: Path) -> Path:
    """Where ``reportgen schedule password`` keeps this working folder's mail password (POSIX)."""
    return home / ".config" / "reportgen" / f"{slug(root)}.matkhau"


def password_setting(workspace: Workspace, home: Path) -> tuple[str, Path] | None:
    """(variable, file) a scheduled run needs to find the mail password; None when no password is needed."""
    mail = workspace.config.mail
    if not (mail.configured and mail.username):
        return None
    return password_file_variable(mail), password_file(workspace.root, home)


def password_text(workspace: Workspace, secret: tuple[str, Path] | None, system: str) -> list[str]:
    """The lines of an entry's text that say where its scheduled run finds the mail password, if it needs one."""
    if secret is None:
        return []
    command = f"reportgen -C {shlex.quote(str(workspace.root))} schedule password"
    if system == "windows":
        return [
            f"Mật khẩu thư: tác vụ theo lịch không thấy biến môi trường của cửa sổ lệnh. Chạy một lần "
            f"“{command}” để lưu mật khẩu vào Windows Credential Manager, nơi tác vụ (chạy dưới tên người "
            "dùng này) đọc được."
        ]
    return [
        f"Mật khẩu thư: lịch chạy không đọc ~/.profile hay biến môi trường của cửa sổ lệnh, nên dòng lệnh trên "
        f"đặt {secret[0]} chỉ tới tệp {secret[1]}. Chạy một lần “{command}” để lưu mật khẩu vào tệp đó "
        "(chỉ người dùng này đọc được, quyền 600)."
    ]


def slug(root: Path) -> str:
    """ASCII name of a working folder for unit and task names: "Báo cáo Đầm Hà" → "bao-cao-dam-ha-3f9c2e".

    The short hash of the full path keeps two folders of the same name (one per
    unit, say) from overwriting each other's schedule.
    """
    decomposed = unicodedata.normalize("NFD", root.name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:40].strip("-") or "reportgen"
    digest = hashlib.sha256(os.path.normcase(str(root)).encode("utf-8")).hexdigest()[:6]
    return f"{name}-{digest}"
