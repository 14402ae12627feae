"""The ``reportgen`` command line: a thin layer over the library.

Each command parses its options, makes one library call and prints the
result.  Errors are mapped to exit statuses in one place, :func:`run`; a
traceback is shown only with ``--debug``.  click is imported here and nowhere
else.
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import click

from . import __version__
from .errors import ExitStatus, InputError, ReportgenError
from .periods import Period, PeriodError
from .workspace import Workspace

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


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


@dataclass
class State:
    root: Path | None
    config: Path | None
    debug: bool

    def workspace(self) -> Workspace:
        return Workspace.open(self.root, self.config)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.option("-C", "--dir", "root", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục làm việc (mặc định: thư mục hiện tại).")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp cấu hình (mặc định: reportgen.toml của thư mục làm việc).")
@click.option("--debug", is_flag=True, help="Khi có lỗi không mong đợi, in chi tiết kỹ thuật (traceback).")
@click.version_option(__version__, "-V", "--version", prog_name="reportgen")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, config: Path | None, debug: bool) -> None:
    """reportgen — lập báo cáo tình hình kinh tế - xã hội từ tệp Excel chỉ tiêu.

    \b
    Thả tệp Excel của tháng vào inputs/, rồi:
      reportgen check inputs/2023-06.xlsx     kiểm tra từng ô, đánh giá chỉ tiêu
      reportgen new 2023-07                   tạo tệp Excel cho tháng sau
    """
    ctx.obj = State(root, config, debug)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--force", is_flag=True, help="Ghi đè các tệp đã có (cấu hình, tệp Excel mẫu).")
def init(directory: Path, force: bool) -> int:
    """Tạo thư mục làm việc: reportgen.toml, templates/, inputs/ (kèm tệp Excel mẫu), outputs/.

    \b
    Ví dụ:
      reportgen init baocao-binhlieu
    """
    from .init_folder import init_folder

    result = init_folder(directory, force=force)
    for path in result.created:
        click.echo(f"Đã tạo  {path}")
    for path in result.kept:
        click.echo(f"Giữ nguyên {path} (đã có; dùng --force để ghi đè)")
    click.echo(f"\nTiếp theo: sửa {Path(directory) / 'reportgen.toml'} cho đúng đơn vị, rồi chạy\n"
               f"  reportgen -C {directory} check {Path(directory) / 'inputs' / '2023-06.xlsx'}")
    return ExitStatus.SUCCESS


@cli.command()
@click.argument("period", type=PeriodType())
@click.option("--force", is_flag=True, help="Tạo lại dù tệp đã có (số liệu đã nhập sẽ mất).")
@click.pass_obj
def new(state: State, period: Period, force: bool) -> int:
    """Tạo tệp Excel nhập số liệu cho một kỳ: inputs/<KỲ>.xlsx.

    Kế hoạch và tên chỉ tiêu lấy từ tệp gần nhất trước đó trong inputs/,
    nếu không có thì lấy kế hoạch mặc định.

    \b
    Ví dụ:
      reportgen new 2023-07
      reportgen new 2023-Q3
    """
    from .newbook import create_workbook

    result = create_workbook(period, state.workspace(), force=force)
    source = "kế hoạch mặc định" if result.plan_source == "default" else result.plan_source
    click.echo(f"Đã tạo {shown(result.path)}")
    click.echo(f"Kế hoạch lấy từ: {source}")
    if result.same_period_source:
        click.echo(f"Số cùng kỳ lấy từ: {result.same_period_source}")
    for note in result.notes:
        click.echo(f"Lưu ý: {note}")
    return ExitStatus.SUCCESS


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--annotate", "annotate_to", type=click.Path(dir_okay=False, path_type=Path), metavar="OUT.xlsx",
              help="Ghi thêm một bản sao của tệp, tô màu và chú thích từng ô có vấn đề.")
@click.pass_obj
def check(state: State, file: Path, annotate_to: Path | None) -> int:
    """Kiểm tra tệp Excel từng ô và in bảng đánh giá chỉ tiêu.

    Liệt kê mọi lỗi và cảnh báo (sheet, ô, giá trị đọc được, cách sửa).
    Trả về mã 0 nếu không có lỗi, 3 nếu tệp có lỗi.

    \b
    Ví dụ:
      reportgen check inputs/2023-06.xlsx
      reportgen check inputs/2023-07.xlsx --annotate kiem-tra.xlsx
    """
    from .check import check_workbook, render_check

    result = check_workbook(file, state.workspace(), annotate_to)
    click.echo(render_check(result))
    return ExitStatus.SUCCESS if result.ok else ExitStatus.INVALID_INPUT


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--draft", is_flag=True, help="Bản dự thảo: để trống số văn bản và ngày ký.")
@click.option("--format", "formats", type=click.Choice(["docx", "pdf"]), multiple=True,
              help="Chỉ lập định dạng này (mặc định: cả docx và pdf). Có thể lặp lại.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), metavar="THƯ_MỤC",
              help="Ghi vào thư mục này thay cho outputs/<KỲ>/.")
@click.pass_obj
def generate(state: State, file: Path, draft: bool, formats: tuple[str, ...], out_dir: Path | None) -> int:
    """Lập báo cáo Word và PDF (kèm tệp số liệu JSON, XLSX) từ một tệp Excel.

    Tệp có lỗi thì không lập gì và trả về mã 3 kèm danh sách lỗi như «reportgen check».

    \b
    Ví dụ:
      reportgen generate inputs/2023-06.xlsx
      reportgen generate inputs/2023-06.xlsx --draft --format pdf --out /tmp/du-thao
    """
    from .generate import REPORT_FORMATS, GenerateOptions, generate as generate_report
    from .check import render_issues, summary_line

    options = GenerateOptions(draft=draft, formats=formats or REPORT_FORMATS, out_dir=out_dir)
    result = generate_report(file, state.workspace(), options)
    sample = " (DỮ LIỆU MẪU)" if result.report.info.sample else ""
    click.echo(f"Đã lập báo cáo {result.report.period.label_with_year}{sample}:")
    for fmt, path in result.files.items():
        pages = f"  ({result.pdf_pages} trang)" if fmt == "pdf" and result.pdf_pages else ""
        click.echo(f"  {shown(path)}{pages}")
    click.echo(summary_line(result.assessment))
    if result.warnings:
        click.echo("")
        click.echo("\n".join(render_issues(result.warnings)[1:]))
    return ExitStatus.SUCCESS


def shown(path: Path) -> str:
    """A path as staff typed it: relative to the current folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status (the one place errors become statuses)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        status = cli.main(args=args, prog_name="reportgen", standalone_mode=False)
    except click.exceptions.Abort:
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
        from .check import render_issues

        where = f"Tệp {exc.path}: " if exc.path else ""
        click.echo(f"{where}có lỗi, không lập báo cáo.", err=True)
        click.echo("\n".join(render_issues(exc.issues)), err=True)
        return exc.exit_status
    except ReportgenError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"Lỗi: {exc}", err=True)
        return exc.exit_status
    except KeyboardInterrupt:
        click.echo("Đã dừng.", err=True)
        return ExitStatus.INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for staff
        if debug:
            traceback.print_exc()
        else:
            click.echo(f"Lỗi không mong đợi ({type(exc).__name__}: {exc}). "
                       "Chạy lại với --debug để xem chi tiết và gửi cho người hỗ trợ.", err=True)
        return ExitStatus.ERROR
    return int(status or 0)


def main() -> None:
    _utf8_console()
    sys.exit(run())


def _utf8_console() -> None:
    # A Windows console defaults to a legacy code page that cannot print Vietnamese.
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
