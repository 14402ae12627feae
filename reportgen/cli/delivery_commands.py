"""The commands of the daily job and the mail: run, send, status, schedule, watch."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from reportgen import api
from reportgen.cli.params import (
    NOW_OPTION,
    UNIT_OPTION,
    WAIT_OPTION,
    PeriodType,
    State,
    command,
    jobs_option,
    progress,
    shown,
)
from reportgen.core.errors import ExitStatus, UsageError
from reportgen.core.periods import Period


@command("run")
@NOW_OPTION
@WAIT_OPTION
@jobs_option("lập báo cáo")
@click.pass_obj
def run_command(state: State, now: datetime | None, wait: float, jobs: int | None) -> int:
    """Lập và gửi báo cáo: việc lịch chạy hằng ngày gọi.

    Kiểm tra và lập báo cáo cho mọi tệp mới hoặc đã sửa trong inputs/, gửi các
    thư đến hạn (hoặc ghi ra outputs/outbox/ nếu chưa cấu hình máy chủ thư), gửi
    lại thư lỗi tạm thời, nhắc việc khi gần hạn mà chưa có số liệu, rồi in biên
    nhận. Chạy lại không lập lại, không gửi trùng.

    Với nhiều đơn vị ([units] trong reportgen.toml, tệp ở inputs/<đơn vị>/), mọi
    đơn vị được xử lý, song song trên mọi nhân CPU; tệp lỗi của một đơn vị không
    làm dừng các đơn vị khác.

    \b
    Ví dụ:
      reportgen run
      reportgen run --now 2023-07-20T07:00
      reportgen run --jobs 4
    """
    result = api.run(state.folder(), now, wait=wait, jobs=jobs, progress=progress())
    click.echo(result.receipt, nl=False)
    for path in result.receipt_files[:1]:
        click.echo(f"Biên nhận lưu tại: {shown(path)}")
    return result.status


@command()
@click.argument("period", type=PeriodType(), required=False, metavar="[KỲ]")
@click.option("--to", "to", metavar="ĐỊA_CHỈ", help="Gửi đến địa chỉ này (mặc định: người nhận trong cấu hình).")
@click.option("--again", is_flag=True, help="Gửi thêm lần nữa dù đã gửi đến địa chỉ này.")
@click.option("--test", "test", is_flag=True, help="Gửi một thư thử để kiểm tra cấu hình máy chủ thư.")
@click.option("--retry-failed", is_flag=True, help="Gửi lại các thư đã bị máy chủ từ chối (sau khi đã sửa).")
@UNIT_OPTION
@NOW_OPTION
@WAIT_OPTION
@click.pass_obj
def send(
    state: State,
    period: Period | None,
    to: str | None,
    again: bool,
    test: bool,
    retry_failed: bool,
    unit: str,
    now: datetime | None,
    wait: float,
) -> int:
    """Gửi thư: thư thử, gửi lại thư lỗi, hoặc gửi tay báo cáo một kỳ.

    \b
    Ví dụ:
      reportgen send --test
      reportgen send --retry-failed
      reportgen send 2023-06                     gửi ngay (kể cả bản đang giữ lại)
      reportgen send 2023-06 --to tonghop@example.vn
      reportgen send 2023-06 --unit hoanh-mo
    """
    if sum((test, retry_failed, period is not None)) != 1:
        raise click.UsageError("Chọn đúng một trong: --test, --retry-failed, hoặc KỲ (ví dụ 2023-06).")
    folder = state.folder()
    if test:
        mail = api.send_test(folder, to, now)
        click.echo(f"Đã gửi thư thử đến {mail.to}; máy chủ trả lời: {mail.reply}")
        return ExitStatus.SUCCESS
    if retry_failed:
        sending = api.retry_failed(folder, unit or None, now, wait=wait, progress=progress())
        click.echo(f"Gửi lại {sending.queued} thư đã lỗi.")
    else:
        assert period is not None  # one of the three was chosen
        sending = api.send_report(
            folder, period, to=to, again=again, unit=unit, now=now, wait=wait, progress=progress()
        )
        click.echo(f"Đã xếp {sending.queued} thư để gửi ngay.")
    click.echo(sending.run.receipt, nl=False)
    return sending.run.status


@command()
@click.option("--unit", default=None, metavar="ĐƠN_VỊ", help="Chỉ hiện một đơn vị.")
@click.pass_obj
def status(state: State, unit: str | None) -> int:
    """Lịch sử: tệp đã nhận, báo cáo đã lập, từng thư với số lần thử và trả lời của máy chủ.

    \b
    Ví dụ:
      reportgen status
    """
    from reportgen.cli.texts import render_status

    click.echo(render_status(api.history(state.folder(), unit)))
    return ExitStatus.SUCCESS


@command()
@click.argument("action", type=click.Choice(["show", "install", "password"]), metavar="show|install|password")
@click.option(
    "--system",
    type=click.Choice(["auto", "cron", "systemd", "windows"]),
    default="auto",
    show_default=True,
    help="Lịch của hệ điều hành nào (mặc định: của máy đang chạy).",
)
@click.pass_obj
def schedule(state: State, action: str, system: str) -> int:
    """In hoặc cài lịch chạy “reportgen run” hằng ngày (cron, systemd, Windows Task Scheduler).

    “password” lưu mật khẩu thư cho các lần chạy theo lịch (lịch không đọc
    biến môi trường của cửa sổ lệnh): vào tệp chỉ người dùng này đọc được,
    hoặc Windows Credential Manager.

    \b
    Ví dụ:
      reportgen schedule show
      reportgen schedule show --system windows
      reportgen schedule install
      reportgen schedule password
    """
    folder = state.folder()
    secret = api.schedule_password(folder)
    if action == "password":
        if not secret.needed:
            raise UsageError(
                "Máy chủ thư không cần mật khẩu (chưa có [mail] host và username trong reportgen.toml); "
                "không có gì để lưu."
            )
        password = click.prompt(
            f"Mật khẩu thư của tài khoản {secret.username}",
            hide_input=True,
            confirmation_prompt="Nhập lại mật khẩu để xác nhận",
        )
        click.echo(api.store_schedule_password(folder, password))
        return ExitStatus.SUCCESS
    entry = api.schedule_entry(folder, system)
    if action == "show":
        click.echo(entry.text)
        return ExitStatus.SUCCESS
    for line in api.install_schedule(entry):
        click.echo(line)
    if secret.needed and secret.file is not None and not secret.file.is_file() and sys.platform != "win32":
        click.echo(
            f"Chưa lưu mật khẩu thư cho các lần chạy theo lịch: chạy “reportgen -C {folder.root} schedule password”."
        )
    return ExitStatus.SUCCESS


@command()
@click.option(
    "--settle",
    type=float,
    default=2.0,
    show_default=True,
    metavar="GIÂY",
    help="Số giây tệp phải đứng yên (chép xong, Excel lưu xong) trước khi xử lý.",
)
@click.pass_obj
def watch(state: State, settle: float) -> int:
    """Theo dõi inputs/: khi có tệp Excel mới hoặc đã sửa, chạy ngay “reportgen run”.

    Bỏ qua tệp khóa ~$ của Excel và tệp tạm; chờ tệp chép xong. Dừng bằng Ctrl+C.

    \b
    Ví dụ:
      reportgen watch
    """
    folder = state.folder()

    def run_once() -> None:
        click.echo(api.run(folder, progress=progress()).receipt)

    def on_workbook(path: Path) -> None:
        click.echo(f"Có tệp mới hoặc đã sửa: {shown(path)}")
        run_once()

    # Workbooks already in the folder are not events: one run first picks them up.
    run_once()
    click.echo(f"Đang theo dõi {shown(folder.inputs)} (Ctrl+C để dừng)…")
    api.watch(folder, on_workbook, settle=settle)
    return ExitStatus.SUCCESS


COMMANDS = (run_command, send, status, schedule, watch)
