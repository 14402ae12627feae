"""The operating system's scheduler entry that runs ``reportgen run`` daily (cron, systemd, Windows).

Nothing in reportgen stays running: cron, a systemd user timer or Windows Task
Scheduler starts ``reportgen run`` once a day at ``[schedule] time``, and the
ledger decides what is due.  Each entry also catches up after the PC was off at
that time — cron through an ``@reboot`` line, systemd through
``Persistent=true``, Task Scheduler through ``StartWhenAvailable`` — and the
ledger makes the catch-up happen once, never as a flood.

Each system's entry is made by its own module (:mod:`~reportgen.delivery.cron_entry`,
:mod:`~reportgen.delivery.systemd_entry`, :mod:`~reportgen.delivery.windows_task`);
this one chooses the system, makes the command and installs the entry.  When a
report is due is :mod:`reportgen.delivery.due_dates`' business.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.core.errors import ReportgenError, UsageError
from reportgen.core.files import atomic_write_bytes
from reportgen.delivery.cron_entry import cron_entry
from reportgen.delivery.scheduler_entry import SchedulerEntry, password_setting
from reportgen.delivery.systemd_entry import systemd_entry
from reportgen.delivery.windows_task import windows_entry
from reportgen.settings.config import CONFIG_NAME
from reportgen.settings.workspace import Workspace

__all__ = [
    "SYSTEMS",
    "SchedulerEntry",
    "default_command",
    "detect_system",
    "install_entry",
    "merge_crontab",
    "password_setting",
    "scheduler_entry",
]

SYSTEMS = ("cron", "systemd", "windows")


def detect_system(
    platform: str = sys.platform,
    which: Callable[[str], str | None] = shutil.which,
    systemd_running: Callable[[], bool] | None = None,
) -> str:
    """The scheduler of this machine: "windows" on Windows; on Linux a systemd user timer
    when systemd runs (its ``Persistent=true`` catches up more reliably than cron's @reboot),
    else cron; cron on macOS and other Unixes."""
    if platform.startswith("win"):
        return "windows"
    if platform.startswith("linux") and which("systemctl"):
        running = systemd_running() if systemd_running else Path("/run/systemd/system").is_dir()
        if running or not which("crontab"):
            return "systemd"
    return "cron"


def scheduler_entry(
    workspace: Workspace, system: str, command: Sequence[str] | None = None, home: Path | None = None
) -> SchedulerEntry:
    """The entry that runs ``command`` daily at ``[schedule] time``.

    ``command`` is the whole argv; by default this interpreter (absolute path, so a
    virtual environment keeps working) with ``-m reportgen -C <root> run``.  When the
    mail server needs a password, the entry also says where the scheduled run finds
    it (``home``: the user's home folder, for the password file's path).
    """
    argv = tuple(command) if command is not None else default_command(workspace)
    _check_printable(argv)
    builders = {"cron": cron_entry, "systemd": systemd_entry, "windows": windows_entry}
    if system not in builders:
        raise UsageError(f"không biết bộ lập lịch “{system}”; chọn một trong: {', '.join(SYSTEMS)}.")
    secret = password_setting(workspace, home or Path.home())
    if secret is not None:
        _check_printable([str(secret[1])])
    return builders[system](workspace, argv, secret)


def default_command(workspace: Workspace) -> tuple[str, ...]:
    """``<python> -m reportgen -C <root> [--config FILE] run``, working from any current folder."""
    python = sys.executable or shutil.which("python3") or shutil.which("python") or "python"
    argv = [os.path.abspath(python), "-m", "reportgen", "-C", str(workspace.root)]
    # A configuration found through --config or REPORTGEN_CONFIG must be named: the
    # scheduler does not see this shell's options or environment.
    if workspace.config_path is not None and workspace.config_path != workspace.root / CONFIG_NAME:
        argv += ["--config", str(workspace.config_path)]
    return (*argv, "run")


def _check_printable(argv: Sequence[str]) -> None:
    """A line break or other control character cannot be written into any scheduler entry."""
    for arg in argv:
        if any(unicodedata.category(ch) == "Cc" for ch in arg):
            raise UsageError(
                f"đường dẫn có ký tự điều khiển, không ghi được vào lịch chạy: {arg!r}. Hãy đổi tên thư mục."
            )


# -- install ----------------------------------------------------------------------------------------------------


def install_entry(
    entry: SchedulerEntry, run: Callable[..., subprocess.CompletedProcess] = subprocess.run, home: Path | None = None
) -> list[str]:
    """Install ``entry`` for the current user; return, in Vietnamese, one line per thing done.

    Idempotent: installing the same entry again leaves the same result.  ``run``
    and ``home`` are injected so tests never touch the real crontab or systemd.
    """
    if entry.system == "cron":
        return _install_cron(entry, run)
    home = Path.home() if home is None else home
    done = [_write_file(_expand(path, home), content, entry.system) for path, content in entry.files.items()]
    for argv in entry.commands:
        _run_checked(run, argv)
        done.append(f"Đã chạy: {_shown(argv, entry.system)}")
    if entry.system == "systemd":
        done.append("Nếu trên máy này không ai đăng nhập, chạy thêm: loginctl enable-linger $USER")
    return done


def merge_crontab(current: str, lines: Sequence[str], marker: str) -> str:
    """``current`` without the lines ending in ``marker``, then ``lines``: installing twice changes nothing."""
    kept = [line for line in current.splitlines() if not line.rstrip().endswith(marker)]
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join([*kept, *lines]) + "\n"


def _install_cron(entry: SchedulerEntry, run: Callable[..., subprocess.CompletedProcess]) -> list[str]:
    listed = _run_checked(run, entry.commands[0], allow_failure=True)
    current = listed.stdout if listed.returncode == 0 else ""
    if listed.returncode != 0 and "no crontab" not in (listed.stderr or "").lower():
        raise ReportgenError(f"Không đọc được lịch cron hiện có (“crontab -l”): {(listed.stderr or '').strip()}")
    merged = merge_crontab(current, entry.cron_lines, entry.marker)
    _run_checked(run, entry.commands[1], input=merged)
    replaced = sum(line.rstrip().endswith(entry.marker) for line in current.splitlines())
    added = len(entry.cron_lines)
    action = f"Đã thay {replaced} dòng cũ bằng {added} dòng mới" if replaced else f"Đã thêm {added} dòng"
    return [f"{action} trong lịch cron của người dùng (crontab), đánh dấu “{entry.marker}”."]


def _run_checked(
    run: Callable[..., subprocess.CompletedProcess],
    argv: Sequence[str],
    allow_failure: bool = False,
    input: str | None = None,
) -> subprocess.CompletedProcess:
    # crontab content round-trips byte for byte, even lines that are not UTF-8.
    options = (
        {"encoding": "utf-8", "errors": "surrogateescape"}
        if argv[0] == "crontab"
        else {"text": True, "errors": "replace"}
    )
    try:
        result = run(list(argv), input=input, capture_output=True, check=False, **options)
    except FileNotFoundError:
        raise ReportgenError(
            f"Không tìm thấy lệnh “{argv[0]}” trên máy này. Chọn bộ lập lịch khác bằng "
            "--system, hoặc cài bằng tay theo “reportgen schedule show”."
        ) from None
    if result.returncode != 0 and not allow_failure:
        reply = (result.stderr or result.stdout or "").strip()
        raise ReportgenError(f"Lệnh “{shlex.join(argv)}” không thành công (mã {result.returncode}): {reply}")
    return result


def _write_file(path: Path, content: str, system: str) -> str:
    # schtasks /XML reads UTF-16 (with its byte order mark) as the file's declaration says.
    data = content.encode("utf-16") if system == "windows" else content.encode("utf-8")
    atomic_write_bytes(path, data)
    return f"Đã ghi {path}"


def _expand(path: str, home: Path) -> Path:
    if path == "~" or path.startswith(("~/", "~\\")):
        return home / path[2:]
    return Path(path)


def _shown(argv: Sequence[str], system: str) -> str:
    return subprocess.list2cmdline(argv) if system == "windows" else shlex.join(argv)


@dataclass(frozen=True)
class SchedulePassword:
    needed: bool
    """False when the configured mail server takes no password."""
    username: str
    file: Path | None
    """Where scheduled runs read it (Windows: the Credential Manager instead)."""
