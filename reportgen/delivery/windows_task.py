"""The Windows Task Scheduler task that runs ``reportgen run`` daily (``StartWhenAvailable`` catches up).

The task is an XML file for ``schtasks /Create /XML`` (UTF-16, as its declaration
says); the shorter one-line ``schtasks /SC DAILY`` form is shown too, with the
warning that it does not catch up.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from reportgen.delivery.due_dates import run_time
from reportgen.delivery.scheduler_entry import SchedulerEntry, password_text, slug
from reportgen.settings.workspace import Workspace

__all__ = ["windows_entry"]

# A run that takes longer than this is stuck (a hung mail server); Task Scheduler stops it.
_WINDOWS_TIME_LIMIT = "PT1H"

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


def windows_entry(workspace: Workspace, argv: tuple[str, ...], secret: tuple[str, Path] | None) -> SchedulerEntry:
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
            f"Tác vụ “{task}” chạy “reportgen run” mỗi ngày lúc {hour:02d}:{minute:02d}. Nếu máy tắt vào giờ đó, "
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
            *password_text(workspace, secret, "windows"),
        ]
    )
    return SchedulerEntry("windows", {xml_path: xml}, (create,), text + "\n")


def _schtasks_one_line(task: str, hour: int, minute: int, argv: tuple[str, ...]) -> str:
    """The ``schtasks /SC DAILY`` variant: /TR is one argument holding the whole command line,
    so it is quoted again (inner quotes become \\")."""
    task_run = subprocess.list2cmdline([subprocess.list2cmdline(argv)])
    return f'schtasks /Create /SC DAILY /ST {hour:02d}:{minute:02d} /TN "{task}" /TR {task_run} /F'
