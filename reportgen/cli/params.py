"""What every command shares: the folder's state, the argument types, the common options, progress."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import click

from reportgen import api
from reportgen.core.periods import Period, PeriodError
from reportgen.settings.workspace import Workspace


@dataclass
class State:
    """The group's options (-C, --config, --debug), handed to every command."""

    root: Path | None
    config: Path | None
    debug: bool

    def folder(self) -> Workspace:
        return api.open_folder(self.root, self.config)


class PeriodType(click.ParamType):
    """A period argument: 2023-06, 2023-Q2, 2023-H1, 2023-9M, 2023."""

    name = "KỲ"

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        if isinstance(value, Period):
            return value
        try:
            return Period.parse(value)
        except PeriodError as exc:
            self.fail(str(exc), param, ctx)


class MomentType(click.ParamType):
    """--now: an ISO date and time, e.g. 2023-07-20T07:00 (tests and catch-up drills)."""

    name = "THỜI_ĐIỂM"

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"“{value}” không phải thời điểm dạng 2023-07-20T07:00", param, ctx)


class Command(click.Command):
    """A command whose usage line is written in Vietnamese ("[TÙY_CHỌN]" rather than "[OPTIONS]")."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - click's signature
        kwargs.setdefault("options_metavar", "[TÙY_CHỌN]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    command_class = Command

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - click's signature
        kwargs.setdefault("options_metavar", "[TÙY_CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)


def command(name: str | None = None):  # noqa: ANN201 - a decorator
    """``@click.command`` with the Vietnamese usage line."""
    return click.command(name, cls=Command)


UNIT_OPTION = click.option(
    "--unit", default="", metavar="ĐƠN_VỊ", help="Đơn vị (mã trong [units] của reportgen.toml); mặc định: đơn vị chung."
)
NOW_OPTION = click.option(
    "--now", type=MomentType(), default=None, help="Chạy như thể bây giờ là thời điểm này (dạng 2023-07-20T07:00)."
)
WAIT_OPTION = click.option(
    "--wait",
    type=float,
    default=60.0,
    show_default=True,
    metavar="GIÂY",
    help="Số giây chờ nếu một lần chạy khác đang làm việc.",
)


def jobs_option(work: str):  # noqa: ANN201 - a decorator
    """--jobs, saying what the processes do ("lập báo cáo", "đọc")."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(1, 256),
        default=None,
        metavar="SỐ",
        help=f"Số tiến trình {work} song song (mặc định: số nhân CPU).",
    )


def progress():  # noqa: ANN201 - a callable or None
    """Long work says what it is doing on a terminal (stderr, so the receipt on stdout stays clean); a
    schedule's log gets only the receipt."""
    if not sys.stderr.isatty():
        return None
    return lambda text: click.echo(f"… {text}", err=True)


def shown(path: Path | str) -> str:
    """A path as staff typed it: relative to the current folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
