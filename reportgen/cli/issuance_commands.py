"""The commands of issuing a report: checking a signed PDF."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen import api
from reportgen.cli.params import State, command, shown
from reportgen.core.errors import ExitStatus


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


COMMANDS = (verify,)
