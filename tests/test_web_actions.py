"""Duyệt, Cấp số và ký, Gửi and Cài đặt through the test client, on a real folder with real keys and mail.

The office's folder has approval on, the signer's and the office's .p12 keys of the signing tests and the
tests' SMTP server: the page approves the draft, issues it with the passphrases typed in the form (kept
nowhere), and the recipients get the signed report.  Each action refuses without its confirmation box and
for a role that may not do it; the settings page saves through the file's own checks and keeps a backup.
"""

from __future__ import annotations

import logging
import tomllib

import pytest
from lxml import html as lxml_html

from pki import OFFICE_P12_PASSPHRASE, P12_PASSPHRASE
from run_helpers import RECIPIENTS, make_folder, run_at
from smtp_fixtures import *  # noqa: F401,F403  (pytest fixtures)
from test_issuing_flow import sign_table
from web_helpers import add_account, client_for, sign_in, text_of, token

pytest_plugins = ("signing_fixtures",)
PAGE = "/ban-hanh?unit=&period=2023-06"


@pytest.fixture
def office(tmp_path, smtp_server, pki, images):
    root = make_folder(tmp_path / "vp", smtp_server, approval=True, extra=sign_table(pki, images))
    run_at(root, "2023-06-20T07:00")  # the draft of June, built by the daily run
    return root


def act(client, action: str, confirm: bool = True, **form):
    data = {"csrf_token": token(client, PAGE), "unit": "", "period": "2023-06", **form}
    if confirm:
        data["xac_nhan"] = "1"
    return client.post(f"/ban-hanh/{action}", data=data)


def state_of(client) -> str:
    return lxml_html.fromstring(client.get(PAGE).get_data(as_text=True)).xpath('//span[@id="state"]')[0].text


def test_approve_then_issue_with_the_passphrases_typed_in_the_page(office, smtp_server, tmp_path, caplog):
    client = client_for(office, tmp=tmp_path)[1]
    assert state_of(client) == "dự thảo"
    assert 'id="approve-form"' in client.get(PAGE).get_data(as_text=True)
    refused = act(client, "duyet", confirm=False, by="Nguyễn Văn A")
    assert refused.status_code == 422 and "Hãy đánh dấu ô xác nhận" in text_of(refused)
    assert state_of(client) == "dự thảo"

    approved = act(client, "duyet", by="Nguyễn Văn A")
    assert approved.status_code == 200
    assert "Lần lập thứ 1 của báo cáo 2023-06 được duyệt bởi Nguyễn Văn A" in text_of(approved)
    assert state_of(client) == "đã duyệt" and 'id="issue-form"' in client.get(PAGE).get_data(as_text=True)
    again = act(client, "duyet", by="Nguyễn Văn A")
    assert again.status_code in (200, 409)  # nothing to approve twice: the page says so or shows no form

    with caplog.at_level(logging.DEBUG):
        wrong = act(client, "cap-so", pin="sai-mật-khẩu", office_pin=OFFICE_P12_PASSPHRASE)
        assert wrong.status_code == 409 and "mật khẩu" in text_of(wrong).lower()
        assert state_of(client) == "đã duyệt"  # no number taken
        issued = act(client, "cap-so", pin=P12_PASSPHRASE, office_pin=OFFICE_P12_PASSPHRASE)
    page = text_of(issued)
    assert issued.status_code == 200, page
    symbol = lxml_html.fromstring(issued.get_data(as_text=True)).xpath('//strong[@id="symbol"]')[0].text
    assert symbol == "01/BC-UBND"
    assert "Chữ ký người ký" in page and "Chữ ký cơ quan" in page
    to_recipients = [m for m in smtp_server.messages if set(m.rcpt_tos) & set(RECIPIENTS)]
    assert sorted(r for m in to_recipients for r in m.rcpt_tos) == sorted(RECIPIENTS)
    assert "Báo cáo số 01/BC-UBND" in str(to_recipients[0].message["Subject"])
    assert state_of(client) == "đã gửi"
    report = client.get("/bao-cao?unit=&period=2023-06")
    assert "Đã ban hành: số 01/BC-UBND" in text_of(report)
    signed = client.get("/bao-cao/tep?unit=&period=2023-06&fmt=issued_pdf")
    [(_name, attached)] = [a for a in to_recipients[0].attachments() if a[0].endswith(".pdf")]
    assert signed.status_code == 200 and signed.data == attached  # the very file the recipients got
    history = lxml_html.fromstring(client.get("/lich-su?unit=&period=2023-06").get_data(as_text=True))
    assert [td.text_content() for td in history.xpath('//table[@id="issued"]/tbody/tr/td')][:1] == ["01/BC-UBND"]
    assert history.xpath('//table[@id="approvals"]/tbody/tr/td')[1].text_content() == "Nguyễn Văn A"
    # the passphrases are in no log line and no file of the folder
    for secret in (P12_PASSPHRASE, OFFICE_P12_PASSPHRASE, "sai-mật-khẩu"):
        assert secret not in caplog.text
        for path in office.rglob("*"):
            if path.is_file():
                assert secret.encode("utf-8") not in path.read_bytes(), path


def test_each_action_needs_its_role(office, tmp_path):
    add_account(office, "cv", "chuyen_vien")
    add_account(office, "ld", "lanh_dao")
    add_account(office, "vt", "van_thu")
    for name, forbidden in (("cv", ("duyet", "cap-so", "gui")), ("ld", ("cap-so", "gui")), ("vt", ("duyet",))):
        client = client_for(office, local=False, tmp=tmp_path)[1]
        sign_in(client, name)
        assert client.get(PAGE).status_code == 200
        for action in forbidden:
            response = act(client, action, by="x", pin="x")
            assert response.status_code == 403, (name, action)
    client = client_for(office, local=False, tmp=tmp_path)[1]
    sign_in(client, "ld")
    assert act(client, "duyet", by="Lãnh đạo").status_code == 200


def test_an_action_without_its_csrf_token_is_refused(office, tmp_path):
    client = client_for(office, tmp=tmp_path)[1]
    response = client.post("/ban-hanh/duyet", data={"unit": "", "period": "2023-06", "xac_nhan": "1", "by": "A"})
    assert response.status_code == 400 and state_of(client) == "dự thảo"


# ----------------------------------------------------------------- Cài đặt ---

def settings_form(client) -> dict[str, str]:
    tree = lxml_html.fromstring(client.get("/cai-dat").get_data(as_text=True))
    form = tree.xpath('//form[@id="settings-form"]')[0]
    values = {field.get("name"): field.get("value") or "" for field in form.xpath(".//input")}
    values.update({area.get("name"): area.text or "" for area in form.xpath(".//textarea")})
    return values


def test_the_settings_are_saved_with_their_comments_and_a_backup(office, tmp_path):
    client = client_for(office, tmp=tmp_path)[1]
    config = office / "reportgen.toml"
    before = config.read_text(encoding="utf-8")
    form = settings_form(client)
    assert form["signer.name"] and "password" not in " ".join(form)
    form.update({"signer.name": "Trần Thị B", "report.recipients": "Thường trực Huyện ủy\nLưu: VT",
                 "schedule.due_day": "18"})
    saved = client.post("/cai-dat", data=form)
    assert saved.status_code == 200 and "Đã lưu 3 thay đổi" in text_of(saved)
    after = config.read_text(encoding="utf-8")
    data = tomllib.loads(after)
    assert data["signer"]["name"] == "Trần Thị B" and data["schedule"]["due_day"] == 18
    assert data["report"]["recipients"] == ["Thường trực Huyện ủy", "Lưu: VT"]
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in after for line in comments)  # every comment kept
    assert (office / "reportgen.toml.truoc").read_text(encoding="utf-8") == before


def test_a_value_the_file_would_refuse_is_refused_with_the_files_message(office, tmp_path):
    client = client_for(office, tmp=tmp_path)[1]
    config = office / "reportgen.toml"
    before = config.read_text(encoding="utf-8")
    form = settings_form(client)
    form.update({"schedule.time": "25:99"})
    refused = client.post("/cai-dat", data=form)
    assert refused.status_code == 422
    assert "Chưa lưu: Cấu hình" in text_of(refused) and "[schedule], khóa “time”" in text_of(refused)
    assert config.read_text(encoding="utf-8") == before and not (office / "reportgen.toml.truoc").exists()
    form.update({"schedule.time": "07:00", "mail.port": "năm trăm"})
    assert "phải là một số nguyên" in text_of(client.post("/cai-dat", data=form))


def test_the_test_mail_button(office, smtp_server, tmp_path):
    client = client_for(office, tmp=tmp_path)[1]
    sent = client.post("/cai-dat/gui-thu", data={"csrf_token": token(client, "/cai-dat")})
    assert sent.status_code == 200 and "Đã gửi thư thử đến vanphong@example.vn" in text_of(sent)
    assert any("vanphong@example.vn" in m.rcpt_tos for m in smtp_server.messages)


def test_only_the_clerk_of_the_folders_unit_edits_the_settings(office, tmp_path):
    add_account(office, "ld", "lanh_dao")
    client = client_for(office, local=False, tmp=tmp_path)[1]
    sign_in(client, "ld")
    assert client.get("/cai-dat").status_code == 403
    assert "Cài đặt" not in text_of(client.get("/"))


def test_two_browsers_issuing_the_same_period_at_once_number_it_once(office, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    first = client_for(office, tmp=tmp_path)[1]
    act(first, "duyet", by="Nguyễn Văn A")
    clients = [client_for(office, tmp=tmp_path)[1] for _ in range(2)]
    forms = [{"csrf_token": token(c, PAGE), "unit": "", "period": "2023-06", "xac_nhan": "1",
              "pin": P12_PASSPHRASE, "office_pin": OFFICE_P12_PASSPHRASE} for c in clients]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda pair: pair[0].post("/ban-hanh/cap-so", data=pair[1]), zip(clients, forms)))
    assert sorted(a.status_code for a in answers) == [200, 409], [text_of(a)[-300:] for a in answers]
    import sqlite3

    db = sqlite3.connect(office / "reportgen.db")
    assert db.execute("SELECT COUNT(*) FROM issued").fetchone()[0] == 1
    db.close()
