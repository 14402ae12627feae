"""The ``reportgen`` command line: click and presentation over :mod:`reportgen.api`.

The group and its global options live here, with :func:`run`, the one place
where errors become exit statuses (a traceback only with ``--debug``), and
:func:`main`, the console entry: the console made UTF-8, SIGTERM and SIGHUP
turned into a clean stop, the garbage collector tuned.  The commands live in
``*_commands.py`` by what they concern, each one call of the library.
"""

from __future__ import annotations

import signal
import sys
import traceback
from pathlib import Path

import click

from reportgen import __version__
from reportgen.cli import delivery_commands, issuance_commands, web_commands, workbook_commands
from reportgen.cli.language import speak_vietnamese
from reportgen.cli.params import Group, State
from reportgen.core import collector
from reportgen.core.errors import ExitStatus, InputError, ReportgenError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=Group, context_settings=CONTEXT_SETTINGS)
@click.option(
    "-C",
    "--dir",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="THƯ_MỤC",
    help="Thư mục làm việc (mặc định: thư mục hiện tại).",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="TỆP",
    help="Tệp cấu hình (mặc định: reportgen.toml của thư mục làm việc).",
)
@click.option("--debug", is_flag=True, help="Khi có lỗi không mong đợi, in chi tiết kỹ thuật (traceback).")
@click.version_option(
    __version__,
    "-V",
    "--version",
    prog_name="reportgen",
    message="%(prog)s, phiên bản %(version)s",
    help="In số phiên bản rồi thoát.",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None, config: Path | None, debug: bool) -> None:
    """reportgen — lập báo cáo tình hình kinh tế - xã hội từ tệp Excel chỉ tiêu.

    \b
    Thả tệp Excel của tháng vào inputs/, rồi:
      reportgen run                           lập và gửi mọi báo cáo đến hạn (lịch gọi hằng ngày)
      reportgen check inputs/2023-06.xlsx     kiểm tra từng ô, đánh giá chỉ tiêu
      reportgen generate inputs/2023-06.xlsx  lập báo cáo Word và PDF
      reportgen new 2023-07                   tạo tệp Excel cho tháng sau
    """
    ctx.obj = State(root, config, debug)


for module in (workbook_commands, delivery_commands, issuance_commands, web_commands):
    for command in module.COMMANDS:
        cli.add_command(command)


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status (the one place errors become statuses)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    speak_vietnamese()
    try:
        status = cli.main(args=args, prog_name="reportgen", standalone_mode=False)
    except click.exceptions.Abort as exc:  # click turns KeyboardInterrupt (and so Terminated) into Abort
        if isinstance(exc.__cause__, Terminated):
            return _terminated(exc.__cause__)
        click.echo("Đã dừng.", err=True)
        return ExitStatus.INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:  # --help, --version
        return exc.exit_code
    except InputError as exc:
        if debug:
            traceback.print_exc()
        from reportgen.cli.texts import render_issues

        where = f"Tệp {exc.path}: " if exc.path else ""
        click.echo(f"{where}có lỗi, không lập báo cáo.", err=True)
        click.echo("\n".join(render_issues(exc.issues)), err=True)
        return exc.exit_status
    except ReportgenError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"Lỗi: {exc}", err=True)
        return exc.exit_status
    except Terminated as exc:
        return _terminated(exc)
    except KeyboardInterrupt:
        click.echo("Đã dừng.", err=True)
        return ExitStatus.INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for staff
        if debug:
            traceback.print_exc()
        else:
            click.echo(
                f"Lỗi không mong đợi ({type(exc).__name__}: {exc}). "
                "Chạy lại với --debug để xem chi tiết và gửi cho người hỗ trợ.",
                err=True,
            )
        return ExitStatus.ERROR
    return int(status or 0)


def _terminated(exc: Terminated) -> int:
    click.echo(f"Đã dừng theo yêu cầu của hệ điều hành (tín hiệu {exc.signum}); không để lại tệp dở dang.", err=True)
    return ExitStatus.TERMINATED


def main() -> None:
    _utf8_console()
    _stop_cleanly_on_signals()
    collector.tune_for_reports()
    code = run()
    collector.spare_shutdown()
    sys.exit(code)


def main_web() -> None:
    """``reportgen-web``: ``reportgen serve`` in the current folder (its options after it), for a desktop shortcut
    whose "Start in" is the working folder."""
    sys.argv[1:1] = ["serve"]
    main()


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a service stopped, a terminal closed): the command unwinds as after Ctrl+C, so every
    temporary file is removed and every open ledger transaction rolled back on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop_cleanly_on_signals() -> None:
    def terminate(signum: int, _frame: object) -> None:
        raise Terminated(signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), terminate)


def _utf8_console() -> None:
    # A Windows console defaults to a legacy code page that cannot print Vietnamese.
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
