"""``reportgen register YEAR``: where the register's files go, and a clear word when it is empty."""

from __future__ import annotations

from contextlib import nullcontext

from reportgen.delivery.ledger import Ledger
from reportgen.issuance.register_of_year import RegisterFiles, write_register_of_year
from reportgen.issuance.signing_errors import IssueRefused
from reportgen.settings.workspace import Workspace

REGISTER_FOLDER = "so-dang-ky"
"""In the unit's outputs/: so-dang-ky/so-van-ban-di-2023.xlsx and .pdf."""


def write_register_files(workspace: Workspace, year: int, unit: str = "") -> RegisterFiles:
    workspace.require_folder()
    unit_workspace = workspace.for_unit(unit)
    with Ledger(workspace.ledger) if workspace.ledger.exists() else nullcontext() as ledger:
        if ledger is None or not ledger.register(unit, year):
            raise IssueRefused(
                f"Sổ đăng ký văn bản đi năm {year}{' của đơn vị ' + unit if unit else ''} chưa có văn bản nào: "
                "báo cáo vào sổ khi được ban hành («reportgen issue KỲ»)."
            )
        folder = unit_workspace.outputs / REGISTER_FOLDER
        return write_register_of_year(ledger, unit_workspace.config, unit, year, folder)
