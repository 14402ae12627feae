"""[issue]: what init writes, what a folder made before it gets, what a run sends in each case, and the
issued document's reproducibility."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from pki import OFFICE_P12_PASSPHRASE, P12_PASSPHRASE
from run_helpers import RECIPIENTS, STAFF, make_folder, run_at, write_month
from smtp_fixtures import *  # noqa: F401,F403  (pytest fixtures)
from reportgen import api
from reportgen.core.errors import ConfigError
from reportgen.core.periods import Period
from reportgen.issuance import Secrets
from reportgen.report.init_folder import init_folder
from reportgen.settings.config import load_config
from reportgen.settings.issue import IssueConfig

pytest_plugins = ("signing_fixtures",)

HINT = "Báo cáo đang được gửi thẳng cho người nhận vào ngày đến hạn, không qua duyệt."


def test_init_asks_for_approval(tmp_path):
    init_folder(tmp_path / "moi")
    assert load_config(tmp_path / "moi" / "reportgen.toml").issue == IssueConfig(True, (), declared=True)


def test_a_reviewer_address_is_checked(tmp_path):
    config = tmp_path / "reportgen.toml"
    config.write_text('[issue]\napproval = true\nreview_to = ["lanh dao"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert str(caught.value) == (f"Cấu hình {config}, mục [issue], khóa “review_to”: địa chỉ thư không hợp lệ: "
                                 "“lanh dao”.")


def test_a_folder_without_an_issue_table_keeps_sending_and_is_told_once(tmp_path, smtp_server):
    root = make_folder(tmp_path / "cu", smtp_server)
    config = root / "reportgen.toml"
    text = config.read_text(encoding="utf-8")
    start = text.index("\n[issue]\n")
    config.write_text(text[:start] + text[text.index("review_to = []\n", start) + len("review_to = []\n"):],
                      encoding="utf-8")
    assert load_config(config).issue == IssueConfig()
    first = run_at(root, "2023-06-20T07:00")
    assert HINT in first.receipt and "[issue]\n  approval = true" in first.receipt
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == sorted(RECIPIENTS)
    assert not any("DỰ THẢO" in str(m.message["Subject"]) for m in smtp_server.messages)
    write_month(root, "2023-07")
    second = run_at(root, "2023-07-20T07:00")
    assert "2023-07" in second.receipt and HINT not in second.receipt


def test_with_approval_nothing_goes_to_the_recipients_until_issued(tmp_path, smtp_server):
    """No reviewer named: the draft goes to staff; the recipients get nothing, on the due day or after."""
    root = make_folder(tmp_path / "vp", smtp_server, approval=True)
    run_at(root, "2023-06-20T07:00")
    run_at(root, "2023-06-25T07:00")
    assert [m.rcpt_tos for m in smtp_server.messages] == [(STAFF,)]
    assert str(smtp_server.messages[0].message["Subject"]).startswith("[DỰ THẢO] ")
    body = smtp_server.messages[0].message.get_body(("plain",)).get_content()
    assert 'reportgen approve 2023-06 --by "Họ tên"' in body and "chưa gửi đến nơi nhận" in body


def test_the_unsigned_issued_pdf_is_reproducible(tmp_path, pki, images):
    sign = (f'\n[sign]\nmethod = "pkcs12"\np12 = "{pki.signer_p12}"\nsignature_image = "{images.signature}"\n'
            f'seal_image = "{images.seal}"\n\n[sign.office]\nmethod = "pkcs12"\np12 = "{pki.office_p12}"\n')
    first = make_folder(tmp_path / "a", approval=True, extra=sign)
    run_at(first, "2023-06-20T07:00")
    second = tmp_path / "b"
    shutil.copytree(first, second)
    made = []
    for root in (first, second):
        made.append(api.issue(api.open_folder(root), Period.parse("2023-06"), approve_as="Nguyễn Văn A",
                              secrets=Secrets(P12_PASSPHRASE, OFFICE_P12_PASSPHRASE),
                              now=datetime(2023, 6, 22, 9, 30)))
    assert made[0].unsigned_pdf.read_bytes() == made[1].unsigned_pdf.read_bytes()
    assert made[0].pdf.read_bytes() != made[1].pdf.read_bytes(), "a signature carries its own time"


def test_a_report_issued_before_its_due_day_withdraws_the_waiting_draft(tmp_path, smtp_server, pki, images):
    sign = (f'\n[sign]\nmethod = "pkcs12"\np12 = "{pki.signer_p12}"\nsignature_image = "{images.signature}"\n')
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, extra=sign)
    run_at(root, "2023-06-16T07:00")
    assert smtp_server.messages == [], "the draft waits for its due day"
    api.issue(api.open_folder(root), Period.parse("2023-06"), approve_as="Nguyễn Văn A",
              secrets=Secrets(P12_PASSPHRASE), now=datetime(2023, 6, 17, 9))
    run_at(root, "2023-06-20T07:00")
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == sorted(RECIPIENTS)
    assert all("Báo cáo số 01/BC-UBND" in str(m.message["Subject"]) for m in smtp_server.messages)


def test_a_sample_report_is_not_said_to_wait_for_approval(tmp_path):
    root = make_folder(tmp_path / "mau", approval=True, sample=True)
    receipt = run_at(root, "2023-06-20T07:00").receipt
    assert "DỮ LIỆU MẪU" in receipt and "chờ duyệt" not in receipt and "DỰ THẢO" not in receipt


OLD_THU = """{%- macro tieu_de_bao_cao(don_vi, ky, thay_the) -%}
[{{ don_vi.ten_ngan or don_vi.ten }}] Báo cáo tình hình kinh tế - xã hội {{ ky.nhan_nam }}
{%- endmacro -%}
{%- macro noi_dung_bao_cao(don_vi, ky, thay_the, tep, tong_hop) -%}
{{ don_vi.ten }} gửi kèm theo thư này báo cáo {{ ky.nhan_nam }} (tệp {{ tep }}).
{%- endmacro -%}
"""
"""A folder's own thu.j2 written before drafts and issued reports had their arguments."""


def test_a_folder_s_own_mail_template_of_before_still_marks_drafts_and_numbers(tmp_path, smtp_server, pki, images):
    old_text = OLD_THU
    sign = f'\n[sign]\nmethod = "pkcs12"\np12 = "{pki.signer_p12}"\nsignature_image = "{images.signature}"\n'
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, extra=sign)
    (root / "templates" / "thu.j2").write_text(old_text, encoding="utf-8")
    run_at(root, "2023-06-20T07:00")
    api.issue(api.open_folder(root), Period.parse("2023-06"), approve_as="Nguyễn Văn A",
              secrets=Secrets(P12_PASSPHRASE), now=datetime(2023, 6, 21, 9))
    subjects = [str(m.message["Subject"]) for m in smtp_server.messages]
    assert subjects[0].startswith("[DỰ THẢO] ")
    assert all(s.startswith("Báo cáo số 01/BC-UBND: [UBND huyện Bình Liêu]") for s in subjects[1:]) and subjects[1:]


def test_looking_at_a_new_folder_makes_no_ledger(tmp_path, capsys):
    from reportgen.cli.app import run as cli

    root = tmp_path / "moi"
    init_folder(root)
    rows = api.period_states(api.open_folder(root), now=datetime(2023, 3, 25, 9))
    # Before its first run a folder waits for the report last due, not for every month of the year.
    assert [(r.period_code, r.state, r.next_action) for r in rows] == [("2023-03", "chua_co_so_lieu", "nop_so_lieu")]
    assert cli(["-C", str(root), "register", "2023"]) == 2
    assert "chưa có văn bản nào" in capsys.readouterr().err
    assert not (root / "reportgen.db").exists()
