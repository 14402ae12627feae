"""The commands of one workbook: init, new, check, generate, and the summary across units."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen import api
from reportgen.cli.params import UNIT_OPTION, PeriodType, State, command, jobs_option, shown
from reportgen.core.errors import ExitStatus
from reportgen.core.periods import Period


@command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".", metavar="[THƯ_MỤC]")
@click.option("--force", is_flag=True, help="Ghi đè các tệp đã có (cấu hình, tệp Excel mẫu).")
def init(directory: Path, force: bool) -> int:
    """Tạo thư mục làm việc: reportgen.toml, templates/, inputs/ (kèm tệp Excel mẫu), outputs/.

    \b
    Ví dụ:
      reportgen init baocao-binhlieu
    """
    result = api.init(directory, force=force)
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
    click.echo(
        f"\nTiếp theo:\n"
        f"  1. Sửa {folder / 'reportgen.toml'} cho đúng đơn vị (tên, người ký, nơi nhận, mục [mail]); "
        f"hướng dẫn: {folder / 'docs' / 'cau-hinh.md'}.\n"
        f"  2. Xem thử báo cáo mẫu: reportgen -C {folder} generate {example}\n"
        f"  3. inputs/2023-06.xlsx là tệp DỮ LIỆU MẪU (số liệu minh họa của huyện Bình Liêu): báo cáo lập từ tệp "
        f"này chỉ gửi cho cán bộ ([mail] staff), không bao giờ gửi cho người nhận. Xem xong thì xóa tệp đó: "
        f"{example}\n"
        f"  4. Tạo tệp số liệu của tháng: reportgen -C {folder} new 2023-07 (thay bằng kỳ cần báo cáo), "
        f"rồi cài lịch chạy hằng ngày: reportgen -C {folder} schedule install"
    )
    return ExitStatus.SUCCESS


@command()
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
    result = api.new_workbook(state.folder(), period, unit, force=force)
    source = "kế hoạch mặc định" if result.plan_source == "default" else result.plan_source
    click.echo(f"Đã tạo {shown(result.path)}")
    click.echo(f"Kế hoạch lấy từ: {source}")
    if result.same_period_source:
        click.echo(f"Số cùng kỳ lấy từ: {result.same_period_source}")
    for note in result.notes:
        click.echo(f"Lưu ý: {note}")
    return ExitStatus.SUCCESS


@command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path), metavar="TỆP")
@click.option(
    "--annotate",
    "annotate_to",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="OUT.xlsx",
    help="Ghi thêm một bản sao của tệp, tô màu và chú thích từng ô có vấn đề.",
)
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
    from reportgen.cli.texts import render_check  # the assessment's modules, only for this command

    result = api.check(state.folder(), file, annotate_to)
    click.echo(render_check(result))
    return ExitStatus.SUCCESS if result.ok else ExitStatus.INVALID_INPUT


@command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path), metavar="TỆP")
@click.option("--draft", is_flag=True, help="Bản dự thảo: để trống số văn bản và ngày ký.")
@click.option(
    "--format",
    "formats",
    type=click.Choice(["docx", "pdf"]),
    multiple=True,
    help="Chỉ lập định dạng này (mặc định: cả docx và pdf). Có thể lặp lại.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="THƯ_MỤC",
    help="Ghi vào thư mục này thay cho outputs/<KỲ>/.",
)
@click.pass_obj
def generate(state: State, file: Path, draft: bool, formats: tuple[str, ...], out_dir: Path | None) -> int:
    """Lập báo cáo Word và PDF (kèm tệp số liệu JSON, XLSX) từ một tệp Excel.

    Tệp có lỗi thì không lập gì và trả về mã 3 kèm danh sách lỗi như “reportgen check”.

    \b
    Ví dụ:
      reportgen generate inputs/2023-06.xlsx
      reportgen generate inputs/2023-06.xlsx --draft --format pdf --out /tmp/du-thao
    """
    result = api.generate(state.folder(), file, draft=draft, formats=formats or api.FORMATS, out_dir=out_dir)
    from reportgen.cli.texts import render_issues
    from reportgen.domain.headline import summary_line

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


@command()
@click.argument("period", type=PeriodType(), metavar="KỲ")
@jobs_option("đọc")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="THƯ_MỤC",
    help="Ghi vào thư mục này thay cho outputs/tong-hop/<KỲ>/.",
)
@click.pass_obj
def summary(state: State, period: Period, jobs: int | None, out_dir: Path | None) -> int:
    """Tổng hợp các đơn vị: trạng thái từng chỉ tiêu của mọi đơn vị (Excel và PDF).

    Đọc tệp số liệu của kỳ ở inputs/<đơn vị>/ của mọi đơn vị khai báo trong
    [units], đánh giá, rồi ghi outputs/tong-hop/<KỲ>/tong-hop-<KỲ>.xlsx và .pdf.

    \b
    Ví dụ:
      reportgen summary 2023-06
    """
    result = api.summary(state.folder(), period, jobs, out_dir)
    table = result.table
    ready = sum(1 for line in table.lines if line.state == "ok")
    click.echo(
        f"Tổng hợp {period.label_with_year}: {ready}/{len(table.lines)} đơn vị có số liệu hợp lệ, "
        f"{len(table.heads)} chỉ tiêu."
    )
    for line in table.lines:
        if line.state != "ok":
            click.echo(f"  {line.name}: " + ("chưa có tệp" if line.state == "missing" else f"tệp có {line.errors} lỗi"))
    for path in result.files.values():
        click.echo(f"  {shown(path)}")
    return ExitStatus.SUCCESS


COMMANDS = (init, new, check, generate, summary)
