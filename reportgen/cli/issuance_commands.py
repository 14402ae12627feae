"""The commands of issuing a report: approve, issue (number, date, sign, send), the register, verify."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen import api
from reportgen.cli.params import NOW_OPTION, UNIT_OPTION, WAIT_OPTION, PeriodType, State, command, progress, shown
from reportgen.core.errors import ExitStatus
from reportgen.core.periods import Period
from reportgen.core.vnformat import moment, short_date


@command()
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
    from reportgen.issuance.verification import render_verification  # pyHanko is imported only when a PDF is verified

    result = api.verify(state.folder(), file)
    click.echo(render_verification(shown(file), result.signatures, result.roots_configured))
    return ExitStatus.SUCCESS if result.ok else ExitStatus.INVALID_INPUT


@command()
@click.argument("period", type=PeriodType(), metavar="KỲ")
@click.option("--by", "by", required=True, metavar="HỌ_TÊN", help="Họ tên người duyệt (người sẽ ký báo cáo).")
@UNIT_OPTION
@NOW_OPTION
@click.pass_obj
def approve(state: State, period: Period, by: str, unit: str, now) -> int:  # noqa: ANN001 - click's values
    """Duyệt dự thảo báo cáo của một kỳ (người ký duyệt trước khi cấp số, ký và gửi).

    Ghi lại ai duyệt, lúc nào, và duyệt đúng bản nào (mã băm SHA-256 của tệp
    PDF dự thảo). Nếu sau đó tệp số liệu được sửa, bản mới là dự thảo mới và
    phải duyệt lại.

    \b
    Ví dụ:
      reportgen approve 2023-06 --by "Nguyễn Văn A"
      reportgen approve 2023-06 --unit hoanh-mo --by "Hoàng Văn B"
    """
    made = api.approve(state.folder(), period, unit=unit, by=by, now=now)
    click.echo(
        f"Đã duyệt báo cáo {period.label_with_year} (bản {made.revision}): {made.by}, lúc {moment(made.at)}.\n"
        f"Mã SHA-256 của bản đã duyệt: {made.content_hash}\n"
        f"Bước tiếp theo — văn thư cấp số, ký số và gửi: reportgen issue {period.code}"
        + (f" --unit {unit}" if unit else "")
    )
    return ExitStatus.SUCCESS


@command("issue")
@click.argument("period", type=PeriodType(), metavar="KỲ")
@click.option(
    "--number",
    type=click.IntRange(min=1),
    default=None,
    metavar="SỐ",
    help="Số văn bản (mặc định: số tiếp theo trong sổ đăng ký văn bản đi của năm).",
)
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="NGÀY",
    help="Ngày ban hành, dạng 2023-06-22 (mặc định: hôm nay).",
)
@click.option("--approve-as", default=None, metavar="HỌ_TÊN", help="Người ký tự ban hành: duyệt và ban hành một lần.")
@click.option(
    "--pin-env",
    default=None,
    metavar="TÊN_BIẾN",
    help="Đọc mã PIN (hoặc mật khẩu tệp .p12) của người ký từ biến môi trường này thay vì hỏi.",
)
@click.option(
    "--office-pin-env", default=None, metavar="TÊN_BIẾN", help="Như --pin-env, cho khóa của cơ quan ([sign.office])."
)
@UNIT_OPTION
@NOW_OPTION
@WAIT_OPTION
@click.pass_obj
def issue_command(
    state: State, period: Period, number, on, approve_as, pin_env, office_pin_env, unit: str, now, wait: float
) -> int:  # noqa: ANN001 - click's values
    """Cấp số, ghi ngày, ký số và gửi báo cáo đã duyệt của một kỳ.

    Lấy số tiếp theo trong sổ đăng ký văn bản đi của năm (hoặc --number, nếu
    số đó chưa cấp), ghi số và ngày vào báo cáo, lập lại tệp, ký số bằng khóa
    của người ký và của cơ quan ([sign], [sign.office] trong reportgen.toml),
    vào sổ, rồi gửi cho người nhận ([mail] to). Mã PIN được hỏi khi ký và không
    lưu ở đâu. Có lỗi (chưa duyệt, sai PIN, thiếu token…) thì không cấp số, không
    để lại tệp nào.

    \b
    Ví dụ:
      reportgen issue 2023-06
      reportgen issue 2023-06 --number 215 --date 2023-06-22
      reportgen issue 2023-06 --approve-as "Nguyễn Văn A"
    """
    folder = state.folder()
    secrets = lambda: _secrets(folder, unit, pin_env, office_pin_env)  # noqa: E731 - asked once all checks pass
    made = api.issue(
        folder,
        period,
        unit=unit,
        number=number,
        on=on.date() if on else None,
        approve_as=approve_as,
        secrets=secrets,
        now=now,
        wait=wait,
        progress=progress(),
    )
    click.echo(
        f"Đã ban hành Báo cáo số {made.symbol} ngày {short_date(made.on)} (kỳ {period.label_with_year})"
        + (f", thay thế Báo cáo số {made.replaces}" if made.replaces else "")
        + "."
    )
    click.echo(f"Tệp đã ký: {shown(made.pdf)}")
    for signature in made.signatures:
        click.echo(f"  Chữ ký số: {signature.signer} ({signature.level}), trang {signature.page}")
    if made.run is not None:
        click.echo(made.run.receipt, nl=False)
        for path in made.run.receipt_files[:1]:
            click.echo(f"Biên nhận lưu tại: {shown(path)}")
        return made.run.status
    return ExitStatus.SUCCESS


@command()
@click.argument("year", type=click.IntRange(1900, 2999), metavar="NĂM")
@UNIT_OPTION
@click.pass_obj
def register(state: State, year: int, unit: str) -> int:
    """Xuất sổ đăng ký văn bản đi của một năm (mẫu Phụ lục IV, Nghị định 30/2020) ra .xlsx và .pdf.

    \b
    Ví dụ:
      reportgen register 2023
      reportgen register 2023 --unit hoanh-mo
    """
    made = api.register(state.folder(), year, unit=unit)
    click.echo(f"Sổ đăng ký văn bản đi năm {year}: {made.count} văn bản.")
    click.echo(f"  {shown(made.xlsx)}\n  {shown(made.pdf)}")
    return ExitStatus.SUCCESS


def _secrets(folder, unit: str, pin_env: str | None, office_pin_env: str | None):  # noqa: ANN001, ANN202
    """The PIN or passphrase of each key that signs: from the variables named, else asked for (hidden)."""
    ask = lambda prompt: click.prompt(prompt, hide_input=True, err=True)  # noqa: E731
    return api.signing_secrets(folder, ask, unit, pin_env or "", office_pin_env or "")


COMMANDS = (approve, issue_command, register, verify)
