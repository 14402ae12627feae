"""Due dates, and the cron / systemd / Task Scheduler entries that call “reportgen run” daily."""

from __future__ import annotations

import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

from reportgen.settings.config import Config
from reportgen.settings.sections import ScheduleConfig
from reportgen.core.errors import ReportgenError, UsageError
from reportgen.core.periods import Period
from reportgen.delivery.schedule import default_command, detect_system, install_entry, merge_crontab, scheduler_entry
from reportgen.delivery.scheduler_entry import slug
from reportgen.delivery.due_dates import current_period, due_at, reminder_from
from reportgen.settings.workspace import Workspace

TASK_NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
PYTHON = "/opt/py/bin/python"


def workspace(root: Path, time: str = "07:00", config_path: Path | None = None) -> Workspace:
    return Workspace(root, Config(schedule=ScheduleConfig(due_day=20, time=time, remind_days_before=5)), config_path)


def command(root: Path) -> tuple[str, ...]:
    return (PYTHON, "-m", "reportgen", "-C", str(root), "run")


# -- calendar ------------------------------------------------------------------------------------------------

def test_due_at_is_due_day_of_the_periods_last_month():
    schedule = ScheduleConfig(due_day=20, time="07:00")
    assert due_at(Period.month(2023, 6), schedule) == datetime(2023, 6, 20, 7, 0)
    assert due_at(Period.parse("2023-Q2"), schedule) == datetime(2023, 6, 20, 7, 0)
    assert due_at(Period.parse("2023-9M"), schedule) == datetime(2023, 9, 20, 7, 0)
    assert due_at(Period.parse("2023"), ScheduleConfig(due_day=5, time="16:30")) == datetime(2023, 12, 5, 16, 30)
    assert due_at(Period.month(2024, 2), ScheduleConfig(due_day=28, time="7:05")) == datetime(2024, 2, 28, 7, 5)


def test_reminder_from_counts_back_from_the_deadline():
    assert reminder_from(Period.month(2023, 6), ScheduleConfig(due_day=20, remind_days_before=5)) == \
        datetime(2023, 6, 15, 7, 0)
    # Across a month boundary, and "0" means: on the due day itself.
    assert reminder_from(Period.month(2023, 3), ScheduleConfig(due_day=3, remind_days_before=5)) == \
        datetime(2023, 2, 26, 7, 0)
    assert reminder_from(Period.month(2023, 3), ScheduleConfig(due_day=3, remind_days_before=0)) == \
        datetime(2023, 3, 3, 7, 0)


def test_current_period_is_the_month_of_now():
    assert current_period(datetime(2023, 7, 20, 7, 0)) == Period.month(2023, 7)
    assert current_period(datetime(2024, 1, 1, 0, 0)) == Period.parse("2024-01")
    assert current_period(datetime(2023, 12, 31, 23, 59)).code == "2023-12"


# -- detection and the command -----------------------------------------------------------------------------

def test_detect_system():
    has = lambda *names: (lambda name: f"/usr/bin/{name}" if name in names else None)  # noqa: E731
    assert detect_system("win32", has()) == "windows"
    assert detect_system("darwin", has("crontab")) == "cron"
    assert detect_system("linux", has("systemctl", "crontab"), systemd_running=lambda: True) == "systemd"
    # systemctl installed in a container without systemd running: cron it is.
    assert detect_system("linux", has("systemctl", "crontab"), systemd_running=lambda: False) == "cron"
    assert detect_system("linux", has("crontab")) == "cron"
    assert detect_system("linux", has()) == "cron"


def test_default_command_runs_this_interpreter_in_the_working_folder(tmp_path):
    assert default_command(workspace(tmp_path)) == (sys.executable, "-m", "reportgen", "-C", str(tmp_path), "run")
    # The folder's own reportgen.toml is found through -C; any other file must be named.
    own = workspace(tmp_path, config_path=tmp_path / "reportgen.toml")
    assert "--config" not in default_command(own)
    other = workspace(tmp_path, config_path=tmp_path / "etc" / "office.toml")
    assert default_command(other)[-3:] == ("--config", str(tmp_path / "etc" / "office.toml"), "run")


def test_slug_is_ascii_and_tells_folders_of_the_same_name_apart():
    name = slug(Path("/home/vp/Báo cáo Đầm Hà (2023)"))
    assert name.startswith("bao-cao-dam-ha-2023-") and name.isascii() and len(name) == len("bao-cao-dam-ha-2023-") + 6
    assert slug(Path("/a/Báo cáo")) != slug(Path("/b/Báo cáo"))
    assert slug(Path("/a/Báo cáo")) == slug(Path("/a/Báo cáo"))
    assert slug(Path("/a/Đường")).startswith("duong-")
    assert slug(Path("/")).startswith("reportgen-")


def test_unknown_system_and_control_characters_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="launchd"):
        scheduler_entry(workspace(tmp_path), "launchd", command(tmp_path))
    with pytest.raises(UsageError, match="ký tự điều khiển"):
        scheduler_entry(workspace(tmp_path / "a\nb"), "cron")


# -- cron -------------------------------------------------------------------------------------------------------

def test_cron_lines_exact(tmp_path):
    root = tmp_path / "bc"
    entry = scheduler_entry(workspace(root, time="7:05"), "cron", command(root))
    job = (f"mkdir -p {root}/outputs && {PYTHON} -m reportgen -C {root} run "
           f">> {root}/outputs/reportgen-cron.log 2>&1 # reportgen {root}")
    assert entry.system == "cron"
    assert entry.cron_lines == (f"5 7 * * * {job}", f"@reboot sleep 120 && {job}")
    assert entry.marker == f"# reportgen {root}"
    assert entry.commands == (("crontab", "-l"), ("crontab", "-"))
    assert entry.files == {}
    assert entry.text.startswith(f"5 7 * * * {job}\n@reboot sleep 120 && {job}\n\n")
    assert "mỗi ngày lúc 07:05" in entry.text and "crontab -e" in entry.text


def test_cron_quotes_spaces_vietnamese_and_percent(tmp_path):
    root = tmp_path / "Báo cáo Đầm Hà 100%"
    entry = scheduler_entry(workspace(root), "cron", command(root))
    quoted_root = f"'{root}'".replace("%", "\\%")
    assert f"-C {quoted_root} run" in entry.cron_lines[0]
    assert entry.cron_lines[0].endswith(f"# reportgen {root}".replace("%", "\\%"))
    # What cron hands to /bin/sh, once it has turned "\%" back into "%", splits into the right words.
    shell_line = entry.cron_lines[0].split(" ", 5)[5].replace("\\%", "%")
    words = shlex.split(shell_line, comments=True)
    assert words[words.index("-C") + 1] == str(root)
    assert words[-3:] == [">>", f"{root}/outputs/reportgen-cron.log", "2>&1"]


def fake_run(results: dict[tuple[str, ...], subprocess.CompletedProcess] | None = None):
    """A stand-in for subprocess.run recording argv and stdin; ``crontab -`` becomes the new ``crontab -l``."""
    calls: list[tuple[tuple[str, ...], str | None]] = []
    state = {"crontab": None}

    def run(argv, input=None, **kwargs):
        argv = tuple(argv)
        calls.append((argv, input))
        if results and argv in results:
            return results[argv]
        if argv == ("crontab", "-l"):
            if state["crontab"] is None:
                return subprocess.CompletedProcess(argv, 1, "", "no crontab for vp\n")
            return subprocess.CompletedProcess(argv, 0, state["crontab"], "")
        if argv == ("crontab", "-"):
            state["crontab"] = input
        return subprocess.CompletedProcess(argv, 0, "", "")

    run.calls = calls
    run.state = state
    return run


def test_cron_install_keeps_other_jobs_and_replaces_the_old_line_once(tmp_path):
    root = tmp_path / "Báo cáo"
    entry = scheduler_entry(workspace(root), "cron", command(root))
    other = "30 2 * * 0 /usr/local/bin/backup.sh"
    old = f"0 6 * * * /usr/bin/python3 -m reportgen -C '{root}' run # reportgen {root}"
    run = fake_run()
    run.state["crontab"] = f"MAILTO=vp@example.vn\n{other}\n{old}\n"

    lines = install_entry(entry, run=run, home=tmp_path / "home")

    expected = f"MAILTO=vp@example.vn\n{other}\n" + "\n".join(entry.cron_lines) + "\n"
    assert run.state["crontab"] == expected
    assert [argv for argv, _ in run.calls] == [("crontab", "-l"), ("crontab", "-")]
    assert run.calls[1][1] == expected
    assert lines == [f"Đã thay 1 dòng cũ bằng 2 dòng mới trong lịch cron của người dùng (crontab), "
                     f"đánh dấu “{entry.marker}”."]

    install_entry(entry, run=run, home=tmp_path / "home")  # again: nothing changes
    assert run.state["crontab"] == expected
    assert run.state["crontab"].count(entry.marker) == 2


def test_cron_install_into_an_empty_crontab(tmp_path):
    entry = scheduler_entry(workspace(tmp_path), "cron", command(tmp_path))
    run = fake_run()
    assert install_entry(entry, run=run)[0].startswith("Đã thêm 2 dòng")
    assert run.state["crontab"] == "\n".join(entry.cron_lines) + "\n"


def test_merge_crontab_leaves_other_folders_alone():
    other_folder = "0 7 * * * x -C /srv/bc2 run # reportgen /srv/bc2"
    merged = merge_crontab(f"{other_folder}\n0 7 * * * old # reportgen /srv/bc\n\n", ["new # reportgen /srv/bc"],
                           "# reportgen /srv/bc")
    assert merged == f"{other_folder}\nnew # reportgen /srv/bc\n"


def test_cron_install_refuses_an_unreadable_crontab(tmp_path):
    entry = scheduler_entry(workspace(tmp_path), "cron", command(tmp_path))
    denied = subprocess.CompletedProcess(("crontab", "-l"), 1, "", "You (vp) are not allowed to use this program\n")
    run = fake_run({("crontab", "-l"): denied})
    with pytest.raises(ReportgenError, match="not allowed"):
        install_entry(entry, run=run)
    assert [argv for argv, _ in run.calls] == [("crontab", "-l")]  # nothing written


def test_missing_scheduler_program_is_explained(tmp_path):
    entry = scheduler_entry(workspace(tmp_path), "cron", command(tmp_path))

    def no_crontab(argv, **kwargs):
        raise FileNotFoundError(argv[0])

    with pytest.raises(ReportgenError, match="Không tìm thấy lệnh “crontab”"):
        install_entry(entry, run=no_crontab)


# -- systemd ----------------------------------------------------------------------------------------------------

def test_systemd_units_exact(tmp_path):
    root = tmp_path / "bc"
    entry = scheduler_entry(workspace(root), "systemd", command(root))
    unit = f"reportgen-{slug(root)}"
    assert entry.files == {
        f"~/.config/systemd/user/{unit}.service": (
            "[Unit]\n"
            f"Description=reportgen: lập và gửi báo cáo cho {root}\n"
            "\n"
            "[Service]\n"
            "Type=oneshot\n"
            f"WorkingDirectory={root}\n"
            f"ExecStart={PYTHON} -m reportgen -C {root} run\n"),
        f"~/.config/systemd/user/{unit}.timer": (
            "[Unit]\n"
            f"Description=reportgen: chạy hằng ngày lúc 07:00 cho {root}\n"
            "\n"
            "[Timer]\n"
            "OnCalendar=*-*-* 07:00:00\n"
            "Persistent=true\n"
            f"Unit={unit}.service\n"
            "\n"
            "[Install]\n"
            "WantedBy=timers.target\n"),
    }
    assert entry.commands == (("systemctl", "--user", "daemon-reload"),
                              ("systemctl", "--user", "enable", "--now", f"{unit}.timer"))
    assert "loginctl enable-linger" in entry.text and "Persistent=true" in entry.text


def test_systemd_quotes_spaces_vietnamese_and_specifiers(tmp_path):
    root = tmp_path / "Báo cáo Đầm Hà 50%"
    entry = scheduler_entry(workspace(root), "systemd", command(root))
    service = next(content for path, content in entry.files.items() if path.endswith(".service"))
    escaped = str(root).replace("%", "%%")
    assert f'\nExecStart={PYTHON} -m reportgen -C "{escaped}" run\n' in service
    assert f"\nWorkingDirectory={escaped}\n" in service
    root2 = tmp_path / 'say "hi" $HOME'
    service2 = next(iter(scheduler_entry(workspace(root2), "systemd", command(root2)).files.values()))
    assert 'run' in service2 and f'-C "{tmp_path}/say \\"hi\\" $$HOME" run' in service2


def test_systemd_install_writes_units_under_home_then_enables_the_timer(tmp_path):
    root = tmp_path / "bc"
    home = tmp_path / "home"
    entry = scheduler_entry(workspace(root), "systemd", command(root))
    unit = f"reportgen-{slug(root)}"
    run = fake_run()

    lines = install_entry(entry, run=run, home=home)

    unit_dir = home / ".config" / "systemd" / "user"
    assert sorted(p.name for p in unit_dir.iterdir()) == [f"{unit}.service", f"{unit}.timer"]
    for path, content in entry.files.items():
        assert (home / path[2:]).read_text(encoding="utf-8") == content
    assert run.calls == [(("systemctl", "--user", "daemon-reload"), None),
                         (("systemctl", "--user", "enable", "--now", f"{unit}.timer"), None)]
    assert lines[:4] == [f"Đã ghi {unit_dir / (unit + '.service')}", f"Đã ghi {unit_dir / (unit + '.timer')}",
                         "Đã chạy: systemctl --user daemon-reload",
                         f"Đã chạy: systemctl --user enable --now {unit}.timer"]


def test_failed_command_is_reported_with_its_reply(tmp_path):
    entry = scheduler_entry(workspace(tmp_path), "systemd", command(tmp_path))
    failed = subprocess.CompletedProcess(entry.commands[0], 1, "", "Failed to connect to bus: No medium found\n")
    run = fake_run({entry.commands[0]: failed})
    with pytest.raises(ReportgenError, match="mã 1.*Failed to connect to bus"):
        install_entry(entry, run=run, home=tmp_path / "home")
    assert len(run.calls) == 1


# -- Windows ----------------------------------------------------------------------------------------------------

def windows_entry(root: Path, time: str = "07:00"):
    python = r"C:\Program Files\Python311\python.exe"
    return scheduler_entry(workspace(root, time), "windows", (python, "-m", "reportgen", "-C", str(root), "run"))


def test_windows_task_xml(tmp_path):
    root = tmp_path / "Báo cáo Đầm Hà"
    entry = windows_entry(root, time="6:45")
    [(path, xml)] = entry.files.items()
    assert path == str(root / "outputs" / "reportgen-task.xml")
    task = ET.fromstring(xml.encode("utf-16"))
    find = lambda where: task.find(where, TASK_NS).text  # noqa: E731
    assert find("t:Triggers/t:CalendarTrigger/t:StartBoundary").endswith("T06:45:00")
    assert find("t:Triggers/t:CalendarTrigger/t:ScheduleByDay/t:DaysInterval") == "1"
    assert find("t:Settings/t:StartWhenAvailable") == "true"
    assert find("t:Settings/t:MultipleInstancesPolicy") == "IgnoreNew"
    assert find("t:Settings/t:ExecutionTimeLimit") == "PT1H"
    assert find("t:Settings/t:DisallowStartIfOnBatteries") == "false"
    assert find("t:Actions/t:Exec/t:Command") == r"C:\Program Files\Python311\python.exe"
    assert find("t:Actions/t:Exec/t:Arguments") == f'-m reportgen -C "{root}" run'
    assert find("t:Actions/t:Exec/t:WorkingDirectory") == str(root)
    task_name = f"reportgen\\{slug(root)}"
    assert entry.commands == (("schtasks", "/Create", "/TN", task_name, "/XML", path, "/F"),)


def test_windows_text_offers_the_one_line_schtasks_and_says_it_does_not_catch_up(tmp_path):
    root = tmp_path / "Báo cáo"
    entry = windows_entry(root)
    one_line = (f'schtasks /Create /SC DAILY /ST 07:00 /TN "reportgen\\{slug(root)}" '
                f'/TR "\\"C:\\Program Files\\Python311\\python.exe\\" -m reportgen -C \\"{root}\\" run" /F')
    assert one_line in entry.text
    assert "KHÔNG chạy bù" in entry.text and "StartWhenAvailable" in entry.text
    assert "Import Task" in entry.text


def test_windows_xml_escapes_markup_characters(tmp_path):
    root = tmp_path / "A&B <cũ>"
    [xml] = windows_entry(root).files.values()
    task = ET.fromstring(xml.encode("utf-16"))
    assert task.find("t:Actions/t:Exec/t:WorkingDirectory", TASK_NS).text == str(root)


def test_windows_install_writes_utf16_xml_and_runs_schtasks(tmp_path):
    root = tmp_path / "Báo cáo"
    entry = windows_entry(root)
    run = fake_run()
    lines = install_entry(entry, run=run, home=tmp_path / "home")
    [(path, xml)] = entry.files.items()
    data = Path(path).read_bytes()
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")  # the byte order mark schtasks expects
    assert data.decode("utf-16") == xml
    assert run.calls == [(entry.commands[0], None)]
    assert lines == [f"Đã ghi {path}", "Đã chạy: " + subprocess.list2cmdline(entry.commands[0])]
