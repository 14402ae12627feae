"""The operating system's scheduler entry that runs ``reportgen run`` daily (cron, systemd, Windows).

Nothing in reportgen stays running: cron, a systemd user timer or Windows Task
Scheduler starts ``reportgen run`` once a day at ``[schedule] time``, and the
ledger decides what is due.  Each entry also catches up after the PC was off at
that time — cron through an ``@reboot`` line, systemd through
``Persistent=true``, Task Scheduler through ``StartWhenAvailable`` — and the
ledger makes the catch-up happen once, never as a flood.

When a report is due is :mod:`reportgen.delivery.due_dates`' business.
"""

from __future__ import annotations

import hashlib
import os
import re
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
from reportgen.delivery.due_dates import run_time
from reportgen.delivery.mail.credentials import password_file_variable
from reportgen.settings.config import CONFIG_NAME
from reportgen.settings.workspace import Workspace

SYSTEMS = ("cron", "systemd", "windows")

# After a boot, give the network (and the mail server) a moment before the catch-up run.
_REBOOT_DELAY_SECONDS = 120
# A run that takes longer than this is stuck (a hung mail server); Task Scheduler stops it.
_WINDOWS_TIME_LIMIT = "PT1H"
_SYSTEMD_USER_DIR = "~/.config/systemd/user"


# -- scheduler entries -------------------------------------------------------------------------------------------


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
    builders = {"cron": _cron_entry, "systemd": _systemd_entry, "windows": _windows_entry}
    if system not in builders:
        raise UsageError(f"không biết bộ lập lịch «{system}»; chọn một trong: {', '.join(SYSTEMS)}.")
    secret = password_setting(workspace, home or Path.home())
    if secret is not None:
        _check_printable([str(secret[1])])
    return builders[system](workspace, argv, secret)


def password_file(root: Path, home: Path) -> Path:
    """Where ``reportgen schedule password`` keeps this working folder's mail password (POSIX)."""
    return home / ".config" / "reportgen" / f"{slug(root)}.matkhau"


def password_setting(workspace: Workspace, home: Path) -> tuple[str, Path] | None:
    """(variable, file) a scheduled run needs to find the mail password; None when no password is needed."""
    mail = workspace.config.mail
    if not (mail.configured and mail.username):
        return None
    return password_file_variable(mail), password_file(workspace.root, home)


def _password_text(workspace: Workspace, secret: tuple[str, Path] | None, system: str) -> list[str]:
    if secret is None:
        return []
    command = f"reportgen -C {shlex.quote(str(workspace.root))} schedule password"
    if system == "windows":
        return [
            f"Mật khẩu thư: tác vụ theo lịch không thấy biến môi trường của cửa sổ lệnh. Chạy một lần "
            f"«{command}» để lưu mật khẩu vào Windows Credential Manager, nơi tác vụ (chạy dưới tên người "
            "dùng này) đọc được."
        ]
    return [
        f"Mật khẩu thư: lịch chạy không đọc ~/.profile hay biến môi trường của cửa sổ lệnh, nên dòng lệnh trên "
        f"đặt {secret[0]} chỉ tới tệp {secret[1]}. Chạy một lần «{command}» để lưu mật khẩu vào tệp đó "
        "(chỉ người dùng này đọc được, quyền 600)."
    ]


def default_command(workspace: Workspace) -> tuple[str, ...]:
    """``<python> -m reportgen -C <root> [--config FILE] run``, working from any current folder."""
    python = sys.executable or shutil.which("python3") or shutil.which("python") or "python"
    argv = [os.path.abspath(python), "-m", "reportgen", "-C", str(workspace.root)]
    # A configuration found through --config or REPORTGEN_CONFIG must be named: the
    # scheduler does not see this shell's options or environment.
    if workspace.config_path is not None and workspace.config_path != workspace.root / CONFIG_NAME:
        argv += ["--config", str(workspace.config_path)]
    return (*argv, "run")


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


def _check_printable(argv: Sequence[str]) -> None:
    """A line break or other control character cannot be written into any scheduler entry."""
    for arg in argv:
        if any(unicodedata.category(ch) == "Cc" for ch in arg):
            raise UsageError(
                f"đường dẫn có ký tự điều khiển, không ghi được vào lịch chạy: {arg!r}. Hãy đổi tên thư mục."
            )


# -- cron ---------------------------------------------------------------------------------------------------------


def _cron_entry(workspace: Workspace, argv: tuple[str, ...], secret: tuple[str, Path] | None) -> SchedulerEntry:
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
            f"Dòng thứ nhất chạy «reportgen run» mỗi ngày lúc {hour:02d}:{minute:02d}; dòng thứ hai chạy bù "
            f"{_REBOOT_DELAY_SECONDS} giây sau khi máy khởi động, nếu máy tắt vào giờ đó (báo cáo không bao giờ "
            "bị gửi hai lần).",
            f"Nhật ký mỗi lần chạy: {log_file}",
            "Cài tự động: reportgen schedule install",
            "Cài bằng tay: chạy «crontab -e», dán hai dòng trên vào cuối tệp, lưu lại.",
            f"Gỡ bỏ: chạy «crontab -e» và xóa các dòng kết thúc bằng «{marker}».",
            *_password_text(workspace, secret, "cron"),
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


# -- systemd ------------------------------------------------------------------------------------------------------


def _systemd_entry(workspace: Workspace, argv: tuple[str, ...], secret: tuple[str, Path] | None) -> SchedulerEntry:
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
            f"Bộ hẹn giờ chạy «reportgen run» mỗi ngày lúc {hour:02d}:{minute:02d}. Nhờ Persistent=true, nếu máy tắt "
            "vào giờ đó thì lần chạy bị lỡ được chạy bù một lần ngay khi máy bật lại.",
            "Cài tự động: reportgen schedule install",
            f"Cài bằng tay: lưu hai tệp trên vào {_SYSTEMD_USER_DIR}/, rồi chạy:",
            *(f"  {shlex.join(c)}" for c in commands),
            f"Kiểm tra: systemctl --user list-timers {unit}.timer",
            f"Xem nhật ký: journalctl --user -u {unit}.service",
            "Nếu trên máy này không ai đăng nhập (máy chủ), bộ hẹn giờ của người dùng chỉ chạy khi đã bật:",
            "  loginctl enable-linger $USER",
            *_password_text(workspace, secret, "systemd"),
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


# -- Windows Task Scheduler -----------------------------------------------------------------------------------

_TASK_XML = """<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>{description}</Description>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>2020-01-01T{hour:02d}:{minute:02d}:00</StartBoundary>
      <Enabled>true</Enabled>
      <ScheduleByDay>
        <DaysInterval>1</DaysInterval>
      </ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <Enabled>true</Enabled>
    <ExecutionTimeLimit>{time_limit}</ExecutionTimeLimit>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{program}</Command>
      <Arguments>{arguments}</Arguments>
      <WorkingDirectory>{root}</WorkingDirectory>
    </Exec>
  </Actions>
</Task>
"""


def _windows_entry(workspace: Workspace, argv: tuple[str, ...], secret: tuple[str, Path] | None) -> SchedulerEntry:
    from xml.sax.saxutils import escape

    hour, minute = run_time(workspace.config.schedule)
    task = f"reportgen\\{slug(workspace.root)}"
    xml_path = str(workspace.outputs / "reportgen-task.xml")
    xml = _TASK_XML.format(
        description=escape(f"reportgen: lập và gửi báo cáo cho {workspace.root}"),
        hour=hour,
        minute=minute,
        time_limit=_WINDOWS_TIME_LIMIT,
        program=escape(argv[0]),
        arguments=escape(subprocess.list2cmdline(argv[1:])),
        root=escape(str(workspace.root)),
    )
    create = ("schtasks", "/Create", "/TN", task, "/XML", xml_path, "/F")
    text = "\n".join(
        [
            xml,
            f"Tác vụ «{task}» chạy «reportgen run» mỗi ngày lúc {hour:02d}:{minute:02d}. Nếu máy tắt vào giờ đó, "
            "tác vụ chạy bù một lần ngay khi có thể (StartWhenAvailable); báo cáo không bao giờ bị gửi hai lần.",
            "Cài tự động: reportgen schedule install",
            f"Cài bằng tay: lưu nội dung trên thành tệp {xml_path} (trong Notepad: Save As, mục Encoding chọn "
            "UTF-16 LE), rồi trong Command Prompt (cmd) chạy:",
            f"  {subprocess.list2cmdline(create)}",
            "  hoặc mở Task Scheduler, chọn Action > Import Task… và chọn tệp đó.",
            "Cách ngắn hơn, một dòng lệnh trong Command Prompt (cmd), nhưng KHÔNG chạy bù khi máy tắt vào giờ đã hẹn:",
            f"  {_schtasks_one_line(task, hour, minute, argv)}",
            *(
                ["  (Dòng lệnh /TR dài quá 261 ký tự nên schtasks sẽ từ chối; hãy dùng cách XML ở trên.)"]
                if len(subprocess.list2cmdline(argv)) > 261
                else []
            ),
            f'Kiểm tra: schtasks /Query /TN "{task}" /V /FO LIST',
            f'Gỡ bỏ: schtasks /Delete /TN "{task}" /F',
            *_password_text(workspace, secret, "windows"),
        ]
    )
    return SchedulerEntry("windows", {xml_path: xml}, (create,), text + "\n")


def _schtasks_one_line(task: str, hour: int, minute: int, argv: tuple[str, ...]) -> str:
    """The ``schtasks /SC DAILY`` variant: /TR is one argument holding the whole command line,
    so it is quoted again (inner quotes become \\")."""
    task_run = subprocess.list2cmdline([subprocess.list2cmdline(argv)])
    return f'schtasks /Create /SC DAILY /ST {hour:02d}:{minute:02d} /TN "{task}" /TR {task_run} /F'


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
        raise ReportgenError(f"Không đọc được lịch cron hiện có («crontab -l»): {(listed.stderr or '').strip()}")
    merged = merge_crontab(current, entry.cron_lines, entry.marker)
    _run_checked(run, entry.commands[1], input=merged)
    replaced = sum(line.rstrip().endswith(entry.marker) for line in current.splitlines())
    added = len(entry.cron_lines)
    action = f"Đã thay {replaced} dòng cũ bằng {added} dòng mới" if replaced else f"Đã thêm {added} dòng"
    return [f"{action} trong lịch cron của người dùng (crontab), đánh dấu «{entry.marker}»."]


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
            f"Không tìm thấy lệnh «{argv[0]}» trên máy này. Chọn bộ lập lịch khác bằng "
            "--system, hoặc cài bằng tay theo «reportgen schedule show»."
        ) from None
    if result.returncode != 0 and not allow_failure:
        reply = (result.stderr or result.stdout or "").strip()
        raise ReportgenError(f"Lệnh «{shlex.join(argv)}» không thành công (mã {result.returncode}): {reply}")
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
