"""The ``reportgen`` command line: a thin layer over the library.

Each command parses its options, makes one library call and prints the
result.  Errors are mapped to exit statuses in one place, :func:`run`; a
traceback is shown only with ``--debug``.  click is imported here and nowhere
else.
"""

from __future__ import annotations

import signal
import sys
import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import click

from reportgen import __version__
from reportgen.core import collector
from reportgen.cli.language import speak_vietnamese
from reportgen.core.errors import ExitStatus, InputError, ReportgenError, UsageError
from reportgen.core.periods import Period, PeriodError
from reportgen.settings.workspace import Workspace

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


@click.group(cls=Group, context_settings=CONTEXT_SETTINGS)
@click.option("-C", "--dir", "root", type=click.Path(file_okay=False, path_type=Path), metavar="THƯ_MỤC",
              help="Thư mục làm việc (mặc định: thư mục hiện tại).")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), metavar="TỆP",
              help="Tệp cấu hình (mặc định: reportgen.toml của thư mục làm việc).")
@click.option("--debug", is_flag=True, help="Khi có lỗi không mong đợi, in chi tiết kỹ thuật (traceback).")
@click.version_option(__version__, "-V", "--version", prog_name="reportgen", message="%(prog)s, phiên bản %(version)s",
                      help="In số phiên bản rồi thoát.")
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


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".", metavar="[THƯ_MỤC]")
@click.option("--force", is_flag=True, help="Ghi đè các tệp đã có (cấu hình, tệp Excel mẫu).")
def init(directory: Path, force: bool) -> int:
    """Tạo thư mục làm việc: reportgen.toml, templates/, inputs/ (kèm tệp Excel mẫu), outputs/.

    \b
    Ví dụ:
      reportgen init baocao-binhlieu
    """
    from reportgen.report.init_folder import init_folder

    result = init_folder(directory, force=force)
    guides = Path(directory) / "docs"
    for path in result.created:
        if guides not in Path(path).parents:
            click.echo(f"Đã tạo  {path}")
    for path in result.kept:
        if guides not in Path(path).parents:
            click.echo(f"Giữ nguyên {path} (đã có; dùng --force để ghi đè)")
    copied = [p for p in result.created if guides in Path(p).parents and Path(p).suffix == ".md"]
    if copied:
        click.echo(f"Đã chép {len(copied)} hướng dẫn sử dụng vào {guides}")
    folder = Path(directory)
    example = folder / "inputs" / "2023-06.xlsx"
    click.echo(f"\nTiếp theo:\n"
               f"  1. Sửa {folder / 'reportgen.toml'} cho đúng đơn vị (tên, người ký, nơi nhận, mục [mail]); "
               f"hướng dẫn: {folder / 'docs' / 'cau-hinh.md'}.\n"
               f"  2. Xem thử báo cáo mẫu: reportgen -C {folder} generate {example}\n"
               f"  3. inputs/2023-06.xlsx là tệp DỮ LIỆU MẪU (số liệu minh họa của huyện Bình Liêu): báo cáo lập từ tệp "
               f"này chỉ gửi cho cán bộ ([mail] staff), không bao giờ gửi cho người nhận. Xem xong thì xóa tệp đó: "
               f"{example}\n"
               f"  4. Tạo tệp số liệu của tháng: reportgen -C {folder} new 2023-07 (thay bằng kỳ cần báo cáo), "
               f"rồi cài lịch chạy hằng ngày: reportgen -C {folder} schedule install")
    return ExitStatus.SUCCESS


UNIT_OPTION = click.option("--unit", default="", metavar="ĐƠN_VỊ",
                           help="Đơn vị (mã trong [units] của reportgen.toml); mặc định: đơn vị chung.")


@cli.command()
@click.argument("period", type=PeriodType(), metavar="KỲ")
@click.option("--force", is_flag=True, help="Tạo lại dù tệp đã có (số liệu đã nhập sẽ mất).")
@UNIT_OPTION
@click.pass_obj
def new(state: State, period: Period, force: bool, unit: str) -> int:
    """Tạo tệp Excel nhập số liệu cho một kỳ: inputs/<KỲ>.xlsx.

    Kế hoạch và tên chỉ tiêu lấy từ tệp gần nhất trước đó trong inputs/,
    nếu không có thì lấy kế hoạch mặc định.

    \b
    Ví dụ:
      reportgen new 2023-07
      reportgen new 2023-Q3
      reportgen new 2023-07 --unit hoanh-mo
    """
    from reportgen.report.new_workbook import create_workbook

    workspace = state.workspace()
    workspace.require_folder()
    result = create_workbook(period, workspace.for_unit(unit), force=force)
    source = "kế hoạch mặc định" if result.plan_source == "default" else result.plan_source
    click.echo(f"Đã tạo {shown(result.path)}")
    click.echo(f"Kế hoạch lấy từ: {source}")
    if result.same_period_source:
        click.echo(f"Số cùng kỳ lấy từ: {result.same_period_source}")
    for note in result.notes:
        click.echo(f"Lưu ý: {note}")
    return ExitStatus.SUCCESS


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path), metavar="TỆP")
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
    from reportgen.report.check import check_workbook, render_check

    result = check_workbook(file, state.workspace(), annotate_to)
    click.echo(render_check(result))
    return ExitStatus.SUCCESS if result.ok else ExitStatus.INVALID_INPUT


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path), metavar="TỆP")
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
    from reportgen.readback.read_back import pdf_process

    wanted = tuple(fmt for fmt in ("docx", "pdf") if fmt in (formats or ("docx", "pdf")))
    with pdf_process(wanted) as pdf_pool:  # forked before the imports below, which it need not wait for
        from reportgen.domain.headline import summary_line
        from reportgen.report.check import render_issues
        from reportgen.report.generate import GenerateOptions, generate as generate_report

        options = GenerateOptions(draft=draft, formats=wanted, out_dir=out_dir)
        result = generate_report(file, state.workspace(), options, pdf_pool)
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


class MomentType(click.ParamType):
    """--now: an ISO date and time, e.g. 2023-07-20T07:00 (tests and catch-up drills)."""

    name = "THỜI_ĐIỂM"

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"«{value}» không phải thời điểm dạng 2023-07-20T07:00", param, ctx)


NOW_OPTION = click.option("--now", type=MomentType(), default=None,
                          help="Chạy như thể bây giờ là thời điểm này (dạng 2023-07-20T07:00).")
WAIT_OPTION = click.option("--wait", type=float, default=60.0, show_default=True, metavar="GIÂY",
                           help="Số giây chờ nếu một lần chạy khác đang làm việc.")


def _options(now: datetime | None, wait: float = 60.0):
    from reportgen.run.daily import RunOptions

    return RunOptions(now=now or datetime.now().replace(microsecond=0), wait=wait, progress=_progress())


def _progress():
    """Long work says what it is doing on a terminal (stderr, so the receipt on stdout stays clean); a
    schedule's log gets only the receipt."""
    if not sys.stderr.isatty():
        return lambda _text: None
    return lambda text: click.echo(f"… {text}", err=True)


@cli.command("run")
@NOW_OPTION
@WAIT_OPTION
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None, metavar="SỐ",
              help="Số tiến trình lập báo cáo song song (mặc định: số nhân CPU).")
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
    from dataclasses import replace

    from reportgen.run.batch import default_jobs
    from reportgen.run.daily import run

    result = run(state.workspace(), replace(_options(now, wait), jobs=jobs or default_jobs()))
    click.echo(result.receipt, nl=False)
    for path in result.receipt_files[:1]:
        click.echo(f"Biên nhận lưu tại: {shown(path)}")
    return result.status


@cli.command()
@click.argument("period", type=PeriodType(), required=False, metavar="[KỲ]")
@click.option("--to", "to", metavar="ĐỊA_CHỈ", help="Gửi đến địa chỉ này (mặc định: người nhận trong cấu hình).")
@click.option("--again", is_flag=True, help="Gửi thêm lần nữa dù đã gửi đến địa chỉ này.")
@click.option("--test", "test", is_flag=True, help="Gửi một thư thử để kiểm tra cấu hình máy chủ thư.")
@click.option("--retry-failed", is_flag=True, help="Gửi lại các thư đã bị máy chủ từ chối (sau khi đã sửa).")
@UNIT_OPTION
@NOW_OPTION
@WAIT_OPTION
@click.pass_obj
def send(state: State, period: Period | None, to: str | None, again: bool, test: bool, retry_failed: bool,
         unit: str, now: datetime | None, wait: float) -> int:
    """Gửi thư: thư thử, gửi lại thư lỗi, hoặc gửi tay báo cáo một kỳ.

    \b
    Ví dụ:
      reportgen send --test
      reportgen send --retry-failed
      reportgen send 2023-06                     gửi ngay (kể cả bản đang giữ lại)
      reportgen send 2023-06 --to tonghop@example.vn
      reportgen send 2023-06 --unit hoanh-mo
    """
    from reportgen.run import by_hand as sending

    chosen = sum((test, retry_failed, period is not None))
    if chosen != 1:
        raise click.UsageError("Chọn đúng một trong: --test, --retry-failed, hoặc KỲ (ví dụ 2023-06).")
    options = _options(now, wait)
    workspace = state.workspace()
    if test:
        reply = sending.send_test(workspace, options.now, to)
        click.echo(f"Đã gửi thư thử đến {to or workspace.config.mail.staff or workspace.config.mail.sender}; "
                   f"máy chủ trả lời: {reply}")
        return ExitStatus.SUCCESS
    if retry_failed:
        count, result = sending.retry_failed(workspace, options, unit or None)
        click.echo(f"Gửi lại {count} thư đã lỗi.")
    else:
        count, result = sending.send_period(workspace, period, options, to=to, again=again, unit=unit)
        click.echo(f"Đã xếp {count} thư để gửi ngay.")
    click.echo(result.receipt, nl=False)
    return result.status


@cli.command()
@click.argument("period", type=PeriodType(), metavar="KỲ")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None, metavar="SỐ",
              help="Số tiến trình đọc song song (mặc định: số nhân CPU).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), metavar="THƯ_MỤC",
              help="Ghi vào thư mục này thay cho outputs/tong-hop/<KỲ>/.")
@click.pass_obj
def summary(state: State, period: Period, jobs: int | None, out_dir: Path | None) -> int:
    """Tổng hợp các đơn vị: trạng thái từng chỉ tiêu của mọi đơn vị (Excel và PDF).

    Đọc tệp số liệu của kỳ ở inputs/<đơn vị>/ của mọi đơn vị khai báo trong
    [units], đánh giá, rồi ghi outputs/tong-hop/<KỲ>/tong-hop-<KỲ>.xlsx và .pdf.

    \b
    Ví dụ:
      reportgen summary 2023-06
    """
    from reportgen.run.batch import default_jobs
    from reportgen.report.summary import write_summary

    result = write_summary(state.workspace(), period, jobs or default_jobs(), out_dir)
    table = result.table
    ready = sum(1 for line in table.lines if line.state == "ok")
    click.echo(f"Tổng hợp {period.label_with_year}: {ready}/{len(table.lines)} đơn vị có số liệu hợp lệ, "
               f"{len(table.heads)} chỉ tiêu.")
    for line in table.lines:
        if line.state != "ok":
            click.echo(f"  {line.name}: " + ("chưa có tệp" if line.state == "missing" else f"tệp có {line.errors} lỗi"))
    for path in result.files.values():
        click.echo(f"  {shown(path)}")
    return ExitStatus.SUCCESS


@cli.command()
@click.option("--unit", default=None, metavar="ĐƠN_VỊ", help="Chỉ hiện một đơn vị.")
@click.pass_obj
def status(state: State, unit: str | None) -> int:
    """Lịch sử: tệp đã nhận, báo cáo đã lập, từng thư với số lần thử và trả lời của máy chủ.

    \b
    Ví dụ:
      reportgen status
    """
    from reportgen.run.history import render_status

    workspace = state.workspace()
    workspace.require_folder()
    if unit:
        workspace.for_unit(unit)  # an unknown unit is an error, not an empty history
    click.echo(render_status(workspace, unit))
    return ExitStatus.SUCCESS


@cli.command()
@click.argument("action", type=click.Choice(["show", "install", "password"]), metavar="show|install|password")
@click.option("--system", type=click.Choice(["auto", "cron", "systemd", "windows"]), default="auto",
              show_default=True, help="Lịch của hệ điều hành nào (mặc định: của máy đang chạy).")
@click.pass_obj
def schedule(state: State, action: str, system: str) -> int:
    """In hoặc cài lịch chạy «reportgen run» hằng ngày (cron, systemd, Windows Task Scheduler).

    «password» lưu mật khẩu thư cho các lần chạy theo lịch (lịch không đọc
    biến môi trường của cửa sổ lệnh): vào tệp chỉ người dùng này đọc được,
    hoặc Windows Credential Manager.

    \b
    Ví dụ:
      reportgen schedule show
      reportgen schedule show --system windows
      reportgen schedule install
      reportgen schedule password
    """
    from reportgen.delivery.mail.credentials import store_password
    from reportgen.delivery.schedule import detect_system, install_entry, password_setting, scheduler_entry

    workspace = state.workspace()
    workspace.require_folder()
    secret = password_setting(workspace, Path.home())
    if action == "password":
        if secret is None:
            raise UsageError("Máy chủ thư không cần mật khẩu (chưa có [mail] host và username trong reportgen.toml); "
                             "không có gì để lưu.")
        mail = workspace.config.mail
        password = click.prompt(f"Mật khẩu thư của tài khoản {mail.username}", hide_input=True,
                                confirmation_prompt="Nhập lại mật khẩu để xác nhận")
        click.echo(store_password(mail, password, secret[1]))
        return ExitStatus.SUCCESS
    entry = scheduler_entry(workspace, detect_system() if system == "auto" else system)
    if action == "show":
        click.echo(entry.text)
        return ExitStatus.SUCCESS
    for line in install_entry(entry):
        click.echo(line)
    if secret is not None and not secret[1].is_file() and sys.platform != "win32":
        click.echo(f"Chưa lưu mật khẩu thư cho các lần chạy theo lịch: chạy «reportgen -C {workspace.root} "
                   "schedule password».")
    return ExitStatus.SUCCESS


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), metavar="TỆP")
@click.pass_obj
def verify(state: State, file: Path) -> int:
    """Kiểm tra chữ ký số trong một tệp PDF.

    Với từng chữ ký: người ký, tổ chức cấp chứng thư số, thời điểm ký, tài liệu
    còn nguyên vẹn từ khi ký không, và chứng thư có do tổ chức gốc tin cậy cấp
    không (khai báo ở [sign] trust_roots của reportgen.toml). Trả về mã 0 chỉ khi
    mọi chữ ký còn nguyên vẹn (và tin cậy, nếu đã khai báo trust_roots), 3 nếu không.

    \b
    Ví dụ:
      reportgen verify outputs/2023-06/bao-cao-2023-06-ky.pdf
    """
    from reportgen.issuance import all_good, render_verification, trust_roots_of, verify_pdf

    workspace = state.workspace()
    roots = trust_roots_of(workspace.config.sign, workspace.root)
    reports = verify_pdf(file, roots)
    click.echo(render_verification(shown(file), reports, bool(roots)))
    return ExitStatus.SUCCESS if all_good(reports, bool(roots)) else ExitStatus.INVALID_INPUT


@cli.command()
@click.option("--settle", type=float, default=2.0, show_default=True, metavar="GIÂY",
              help="Số giây tệp phải đứng yên (chép xong, Excel lưu xong) trước khi xử lý.")
@click.pass_obj
def watch(state: State, settle: float) -> int:
    """Theo dõi inputs/: khi có tệp Excel mới hoặc đã sửa, chạy ngay «reportgen run».

    Bỏ qua tệp khóa ~$ của Excel và tệp tạm; chờ tệp chép xong. Dừng bằng Ctrl+C.

    \b
    Ví dụ:
      reportgen watch
    """
    from reportgen.run.daily import run
    from reportgen.delivery.watch import watch as watch_folder

    workspace = state.workspace()

    def run_once() -> None:
        click.echo(run(workspace, _options(None)).receipt)

    def on_workbook(path: Path) -> None:
        click.echo(f"Có tệp mới hoặc đã sửa: {shown(path)}")
        run_once()

    # Workbooks already in the folder are not events: one run first picks them up.
    run_once()
    click.echo(f"Đang theo dõi {shown(workspace.inputs)} (Ctrl+C để dừng)…")
    watch_folder(workspace.inputs, on_workbook, settle=settle)
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
        from reportgen.report.check import render_issues

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
            click.echo(f"Lỗi không mong đợi ({type(exc).__name__}: {exc}). "
                       "Chạy lại với --debug để xem chi tiết và gửi cho người hỗ trợ.", err=True)
        return ExitStatus.ERROR
    return int(status or 0)


def _terminated(exc: "Terminated") -> int:
    click.echo(f"Đã dừng theo yêu cầu của hệ điều hành (tín hiệu {exc.signum}); không để lại tệp dở dang.", err=True)
    return ExitStatus.TERMINATED


def main() -> None:
    _utf8_console()
    _stop_cleanly_on_signals()
    collector.tune_for_reports()
    code = run()
    collector.spare_shutdown()
    sys.exit(code)


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
