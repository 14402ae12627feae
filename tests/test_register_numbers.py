"""The register's numbers: unique per unit and year in the ledger itself, and each unit's own register."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from pki import P12_PASSPHRASE
from run_helpers import UNITS_TOML, make_folder, run_at, write_month
from reportgen import api
from reportgen.core.periods import Period
from reportgen.delivery.ledger import Ledger
from reportgen.issuance import Secrets

pytest_plugins = ("signing_fixtures",)

NOW = datetime(2023, 6, 21, 9)


def _issue(ledger: Ledger, db, unit: str, number: int, report_id: int, approval_id: int):
    return ledger.record_issue(db, unit=unit, number=number, symbol="BC-UBND", on=date(2023, 6, 21), period="2023-06",
                               report_id=report_id, approval_id=approval_id, replaces=None, summary="s", signer="A",
                               recipients=("x",), copies=1, notes="", files={}, signatures=[], now=NOW)


def test_a_number_is_unique_in_the_unit_s_register_of_the_year(tmp_path):
    with Ledger(tmp_path / "reportgen.db") as ledger:
        with ledger.transaction() as db:
            input_id = ledger.record_input(db, unit="", path="inputs/2023-06.xlsx", sha256="a", period="2023-06",
                                           valid=True, errors=0, summary="", now=NOW)
            report = ledger.record_report(db, unit="", period="2023-06", input_id=input_id, out_dir="outputs",
                                          files={}, pdf_pages=1, now=NOW)
            approval = ledger.record_approval(db, report_id=report.id, unit="", period="2023-06", revision=1,
                                              content_hash="h", by="A", now=NOW)
            _issue(ledger, db, "", 1, report.id, approval.id)
            _issue(ledger, db, "hoanh-mo", 1, report.id, approval.id)  # another unit's register
        with pytest.raises(sqlite3.IntegrityError), ledger.transaction() as db:
            _issue(ledger, db, "", 1, report.id, approval.id)
        assert ledger.next_number("", 2023) == 2 and ledger.next_number("", 2024) == 1
        assert [r.number_symbol for r in ledger.register("", 2023)] == ["01/BC-UBND"]


def test_each_unit_of_a_folder_has_its_own_register(tmp_path, pki, images):
    sign = f'\n[sign]\nmethod = "pkcs12"\np12 = "{pki.signer_p12}"\nsignature_image = "{images.signature}"\n'
    root = make_folder(tmp_path / "huyen", approval=True, extra=UNITS_TOML + sign)
    write_month(root, "2023-06", unit="hoanh-mo")
    run_at(root, "2023-06-20T07:00")
    folder = api.open_folder(root)
    june = Period.parse("2023-06")
    shared = api.issue(folder, june, approve_as="Nguyễn Văn A", secrets=Secrets(P12_PASSPHRASE), now=NOW)
    commune = api.issue(folder, june, unit="hoanh-mo", approve_as="Hoàng Văn B", secrets=Secrets(P12_PASSPHRASE),
                        now=NOW)
    assert (shared.symbol, commune.symbol) == ("01/BC-UBND", "01/BC-UBND")
    assert commune.pdf.parent == root / "outputs" / "hoanh-mo" / "2023-06"
    files = api.register(folder, 2023, unit="hoanh-mo")
    assert files.xlsx == root / "outputs" / "hoanh-mo" / "so-dang-ky" / "so-van-ban-di-2023.xlsx"
    book = load_workbook(files.xlsx)
    assert [row[0] for row in book["Bìa"].iter_rows(values_only=True) if row[0]][0] == "ỦY BAN NHÂN DÂN XÃ HOÀNH MÔ"
    rows = list(book["Văn bản đi"].iter_rows(values_only=True))[2:]
    assert [(r[0], r[3], r[4]) for r in rows] == [("01/BC-UBND", "Hoàng Văn B",
                                                   "- UBND huyện Bình Liêu (b/c)\n- Lưu: VT, TCKH")]
    eml = sorted((root / "outputs" / "outbox").rglob("*.eml"))
    assert any(b"01/BC-UBND" in p.read_bytes() or "01/BC-UBND" in p.name for p in eml)
