"""The commands of the web page: ``serve`` (the page itself) and ``users`` (its accounts).

The web package (Flask, waitress, argon2) is imported by these commands only, when they run: every other
command starts without it."""

from __future__ import annotations

import logging

import click

from reportgen.cli.params import Group, State, command
from reportgen.core.errors import ExitStatus

ROLES = ("chuyen_vien", "lanh_dao", "van_thu", "tong_hop")


@command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ĐỊA_CHỈ",
    help="Địa chỉ nghe. Khác 127.0.0.1 (cho máy khác vào) thì phải có tài khoản trước.",
)
@click.option(
    "--port", default=0, type=click.IntRange(0, 65535), metavar="CỔNG", help="Cổng (mặc định: một cổng còn trống)."
)
@click.option("--no-browser", is_flag=True, help="Không tự mở trình duyệt.")
@click.pass_obj
def serve(state: State, host: str, port: int, no_browser: bool) -> int:
    """Mở trang web của reportgen: nộp số liệu, xem báo cáo, lịch sử — không cần gõ lệnh.

    Dòng đầu tiên in ra là địa chỉ của trang. Nhấn Ctrl+C để dừng.

    \b
    Ví dụ:
      reportgen serve
      reportgen serve --host 0.0.0.0 --port 8080   (máy chủ cho nhiều đơn vị; cần tài khoản)
    """
    from reportgen.web.server import ServeOptions
    from reportgen.web.server import serve as serve_page

    folder = state.folder()
    folder.require_folder()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    say = lambda text: click.echo(text)  # noqa: E731 - flushed line by line, the address first
    return serve_page(folder.root, state.config, ServeOptions(host, port, not no_browser), say)


@click.group(cls=Group)
def users() -> None:
    """Tài khoản của trang web (cần khi mở trang cho máy khác vào: reportgen serve --host …).

    \b
    Ví dụ:
      reportgen users add nguyen.van.a --role chuyen_vien --unit hoanh-mo
      reportgen users add tran.thi.b --role lanh_dao --unit hoanh-mo --unit dong-van
      reportgen users list
      reportgen users remove nguyen.van.a
    """


@users.command("add")
@click.argument("name", metavar="TÊN")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ROLES),
    help="chuyen_vien (nộp số liệu), lanh_dao (duyệt), van_thu (cấp số, ký, gửi), tong_hop (xem mọi đơn vị).",
)
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="ĐƠN_VỊ",
    help="Đơn vị của tài khoản (mã trong [units]); lặp lại cho nhiều đơn vị; bỏ trống: đơn vị chung.",
)
@click.password_option(
    "--password",
    prompt="Mật khẩu",
    confirmation_prompt="Nhập lại mật khẩu",
    help="Nên để trống: lệnh sẽ hỏi (không hiện lên màn hình).",
)
@click.pass_obj
def add(state: State, name: str, role: str, units: tuple[str, ...], password: str) -> int:
    """Tạo tài khoản (hoặc đặt lại mật khẩu, vai trò, đơn vị của tài khoản đã có)."""
    from reportgen.web import accounts

    folder = state.folder()
    folder.require_folder()
    account = accounts.add_account(folder.root, name, role, units, password, folder.units)
    where = "mọi đơn vị" if account.units is None else ", ".join(u or "(đơn vị chung)" for u in sorted(account.units))
    click.echo(f"Đã lưu tài khoản {account.name}: {account.role_names}; {where}.")
    return ExitStatus.SUCCESS


@users.command("remove")
@click.argument("name", metavar="TÊN")
@click.pass_obj
def remove(state: State, name: str) -> int:
    """Xóa một tài khoản."""
    from reportgen.web import accounts

    accounts.remove_account(state.folder().root, name)
    click.echo(f"Đã xóa tài khoản {name}.")
    return ExitStatus.SUCCESS


@users.command("list")
@click.pass_obj
def list_accounts(state: State) -> int:
    """Các tài khoản đã có."""
    from reportgen.web import accounts

    entries = accounts.load(state.folder().root)
    if not entries:
        click.echo("Chưa có tài khoản nào.")
    for entry in entries.values():
        account = accounts.account_of(entry)
        where = (
            "mọi đơn vị" if account.units is None else ", ".join(u or "(đơn vị chung)" for u in sorted(account.units))
        )
        click.echo(f"{account.name}\t{account.role_names}\t{where}")
    return ExitStatus.SUCCESS


COMMANDS = (serve, users)
