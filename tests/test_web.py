"""The web page through Flask's test client: every route's status and content, the roles, the refusals.

The working folder is a real one (``reportgen init``); uploads go through the real check, the real run and
the real ledger.  Permissions are checked for each role on each unit; every form without its CSRF token, and
every parameter naming something outside the working folder, is refused.
"""

from __future__ import annotations

import json
import logging

import pytest
from lxml import html as lxml_html

from reportgen.web import accounts
from reportgen.web.auth import AttemptLimiter
from web_helpers import (
    PASSWORD, add_account, client_for, sign_in, text_of, token, upload, web_folder, with_mistake, workbook,
)


@pytest.fixture
def folder(tmp_path):
    return web_folder(tmp_path / "baocao")


@pytest.fixture
def local(folder, tmp_path):
    return client_for(folder, tmp=tmp_path)[1]


# ----------------------------------------------------------------- Nộp số liệu ---

def test_a_valid_workbook_becomes_the_periods_draft(folder, local):
    response = upload(local, workbook(folder))
    page = text_of(response)
    assert response.status_code == 200
    assert "Kỳ báo cáo: tháng 6 năm 2023" in page and "Không có lỗi." in page
    assert "Đã lập dự thảo báo cáo tháng 6 năm 2023 (lần lập thứ 1)." in page
    assert (folder / "inputs" / "2023-06.xlsx").is_file()
    assert (folder / "outputs" / "2023-06" / "bao-cao-2023-06-lan-1.pdf").is_file()
    overview = lxml_html.fromstring(local.get("/").get_data(as_text=True))
    [row] = overview.xpath('//table[@id="overview"]/tbody/tr[@data-period="2023-06"]')
    assert row.get("data-state") == "du_thao"
    assert [td.text_content().strip() for td in row.xpath("td")][3:] == ["dự thảo", "1", "Xem và duyệt"]


def test_a_mistake_is_listed_drawn_on_its_cell_and_nothing_is_built(folder, local):
    response = upload(local, with_mistake(workbook(folder)), name="2023-06.xlsx")
    assert response.status_code == 422
    tree = lxml_html.fromstring(response.get_data(as_text=True))
    errors = [" ".join(li.text_content().split()) for li in tree.xpath('//ol[@id="errors"]/li')]
    assert len(errors) == 1 and errors[0].startswith('Sheet "Chỉ tiêu", ô H5:') and "12,4 tỷ" in errors[0]
    cell = tree.xpath('//td[contains(@class, "rg-error")]')
    assert [c.get("id").rsplit("-", 1)[1] for c in cell] == ["H5"]
    assert "Tệp có 1 lỗi, chưa lập báo cáo." in text_of(response)
    assert not (folder / "inputs" / "2023-06.xlsx").exists() and not (folder / "outputs" / "2023-06").exists()
    copy = local.get(tree.xpath('//a[@id="annotated"]')[0].get("href"))
    assert copy.status_code == 200 and copy.data[:2] == b"PK"
    assert copy.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("name, content, expected", [
    ("2023-06.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel 97-2003"),
    ("2023-06.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "mà là tệp PDF"),
])
def test_a_file_of_the_wrong_kind_gets_the_command_lines_message(folder, local, tmp_path, name, content, expected):
    from reportgen import api

    path = tmp_path / name
    path.write_bytes(content)
    cli_message = str(api.check(api.open_folder(folder), path).read.issues[0])
    response = upload(local, path)
    assert response.status_code == 422
    assert cli_message in text_of(response) and expected in cli_message
    assert 'id="picture"' not in response.get_data(as_text=True) and 'id="annotated"' not in response.get_data(as_text=True)
    assert str(tmp_path) not in response.get_data(as_text=True)  # no path of the server's shown


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(folder, tmp_path):
    config = folder / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[limits]\nmax_file_mb = 1\n", encoding="utf-8")
    client = client_for(folder, tmp=tmp_path)[1]
    big = tmp_path / "2023-06.xlsx"
    big.write_bytes(b"PK" + b"\0" * (2 * 1024 * 1024))
    response = upload(client, big)
    assert response.status_code == 413
    assert "lớn hơn giới hạn 1 MB" in text_of(response)
    assert not list((tmp_path / "uploads").iterdir())


def test_an_upload_is_kept_in_the_servers_temporary_folder_under_a_safe_name(folder, local, tmp_path):
    response = upload(local, with_mistake(workbook(folder)), name="..\\..\\C:/x/../Số liệu tháng 6.xlsx")
    assert response.status_code == 422
    kept = [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()]
    assert sorted(p.name for p in kept) == ["Số liệu tháng 6-danh-dau.xlsx", "Số liệu tháng 6.xlsx"]
    assert all(p.parent.parent == tmp_path / "uploads" for p in kept)


# ----------------------------------------------------------------- Xem báo cáo, Lịch sử ---

def test_the_draft_is_read_in_the_page_with_its_downloads_and_changes(folder, local):
    upload(local, workbook(folder))
    upload(local, workbook(folder, value="999"))
    page = local.get("/bao-cao?unit=&period=2023-06")
    tree = lxml_html.fromstring(page.get_data(as_text=True))
    assert "lần lập thứ 2" in text_of(page)
    assert tree.xpath('//section[@id="report"]//article') and tree.xpath('//section[@id="report"]//svg')
    changes = [[" ".join(td.text_content().split()) for td in tr] for tr in tree.xpath('//section[@id="changes"]//tbody/tr')]
    assert ["XH01"] == sorted({row[0] for row in changes})
    assert any(row[2] == "Thực hiện" and row[4] == "999" for row in changes)
    links = {a.text_content(): a.get("href") for a in tree.xpath('//p[@id="downloads"]/a')}
    assert set(links) == {"Tải Word", "Tải PDF", "Tải Số liệu (JSON)", "Tải Số liệu (Excel)"}
    pdf = local.get(links["Tải PDF"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    figures = json.loads(local.get(links["Tải Số liệu (JSON)"]).data)
    assert figures["period"]["code"] == "2023-06"
    first = lxml_html.fromstring(local.get("/bao-cao?unit=&period=2023-06&rev=1").get_data(as_text=True))
    assert not first.xpath('//section[@id="report"]')  # its workbook was replaced: read from its files
    assert "đã được thay bằng tệp khác" in first.text_content()


def test_the_history_shows_the_ledger_filtered_by_period(folder, local):
    upload(local, with_mistake(workbook(folder)), name="2023-06.xlsx")
    upload(local, workbook(folder))
    upload(local, workbook(folder, period="2023-07"))
    page = local.get("/lich-su?unit=&period=2023-07")
    tree = lxml_html.fromstring(page.get_data(as_text=True))
    rows = [[td.text_content().strip() for td in tr.xpath("td")] for tr in tree.xpath('//table[@id="reports"]/tbody/tr')]
    assert len(rows) == 1 and rows[0][2:4] == ["2023-07", "1"]
    everything = lxml_html.fromstring(local.get("/lich-su").get_data(as_text=True))
    assert len(everything.xpath('//table[@id="reports"]/tbody/tr')) == 2
    assert len(everything.xpath('//table[@id="inputs"]/tbody/tr')) == 2


# ----------------------------------------------------------------- security ---

def test_every_response_carries_the_security_headers(local):
    for url in ("/", "/nop-so-lieu", "/lich-su", "/bao-cao", "/khong-co", "/static/web.css"):
        headers = local.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"], url
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], url
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff", url


def test_no_page_carries_inline_script_or_style(folder, local):
    upload(local, with_mistake(workbook(folder)), name="2023-06.xlsx")
    upload(local, workbook(folder))
    for url in ("/", "/nop-so-lieu", "/lich-su", "/bao-cao"):
        tree = lxml_html.fromstring(local.get(url).get_data(as_text=True))
        assert all(script.get("src") for script in tree.xpath("//script")), url
        assert not tree.xpath("//style | //*[@style] | //*[@onclick or @onload or @onerror]"), url


@pytest.mark.parametrize("url", [
    "/bao-cao?unit=../..&period=2023-06", "/bao-cao?unit=&period=../../etc/passwd",
    "/bao-cao?unit=&period=2023-06&rev=../1", "/bao-cao/tep?unit=&period=2023-06&fmt=../../reportgen.toml",
    "/bao-cao/tep?unit=&period=2023-06&fmt=toml", "/bao-cao/tep?unit=%2Fetc&period=2023-06&fmt=pdf",
    "/lich-su?unit=..%2F..&period=2023-06", "/lich-su?unit=&period=2023-06%2F..",
    "/tai-nguyen/..%2F..%2Freportgen.toml", "/tai-nguyen/../api.py", "/static/../api.py",
    "/nop-so-lieu/ban-danh-dau/..%2F..%2Freportgen.toml", "/nop-so-lieu/ban-danh-dau/" + "a" * 30,
])
def test_a_parameter_naming_anything_else_is_refused(folder, local, url):
    upload(local, workbook(folder))
    response = local.get(url)
    assert response.status_code == 404, url
    assert b"[units]" not in response.data and b"def " not in response.data


def test_a_form_without_its_csrf_token_is_refused(folder, local):
    with open(workbook(folder), "rb") as handle:
        response = local.post("/nop-so-lieu", data={"unit": "", "workbook": (handle, "2023-06.xlsx")},
                              content_type="multipart/form-data")
    assert response.status_code == 400 and "Biểu mẫu đã hết hạn" in text_of(response)
    assert not (folder / "inputs" / "2023-06.xlsx").exists()
    forged = local.post("/nop-so-lieu", data={"csrf_token": "giả", "unit": ""})
    assert forged.status_code == 400


def test_an_unexpected_failure_shows_a_vietnamese_page_and_logs_the_details(folder, tmp_path, caplog, monkeypatch):
    from reportgen import api

    app, client = client_for(folder, tmp=tmp_path)
    monkeypatch.setattr(api, "period_states", lambda *a, **k: 1 / 0)
    with caplog.at_level(logging.ERROR):
        response = client.get("/")
    assert response.status_code == 500
    assert "lỗi không mong đợi (ZeroDivisionError)" in text_of(response)
    assert b"Traceback" not in response.data and b"division by zero" not in response.data
    assert "Traceback" in caplog.text or "ZeroDivisionError" in caplog.text


# ----------------------------------------------------------------- accounts and roles ---

@pytest.fixture
def units_folder(tmp_path):
    root = web_folder(tmp_path / "huyen", units=True)
    add_account(root, "cv.hoanhmo", "chuyen_vien", "hoanh-mo")
    add_account(root, "ld.hoanhmo", "lanh_dao", "hoanh-mo")
    add_account(root, "th.huyen", "tong_hop")
    return root


def test_the_password_is_stored_only_as_an_argon2_hash(units_folder):
    text = accounts.accounts_file(units_folder).read_text(encoding="utf-8")
    assert PASSWORD not in text and '"hash": "$argon2id$' in text
    assert oct(accounts.accounts_file(units_folder).stat().st_mode & 0o777) == "0o600"


def test_without_signing_in_every_page_leads_to_the_sign_in(units_folder, tmp_path):
    client = client_for(units_folder, local=False, tmp=tmp_path)[1]
    for url in ("/", "/nop-so-lieu", "/bao-cao", "/lich-su", "/bao-cao/tep?unit=&period=2023-06&fmt=pdf"):
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"], url
    assert client.post("/nop-so-lieu", data={}).status_code in (302, 400)


def test_an_account_acts_on_its_own_units_only(units_folder, tmp_path):
    client = client_for(units_folder, local=False, tmp=tmp_path)[1]
    assert sign_in(client, "cv.hoanhmo").status_code == 302
    assert upload(client, workbook(units_folder, unit="hoanh-mo"), unit="hoanh-mo").status_code == 200
    assert (units_folder / "inputs" / "hoanh-mo" / "2023-06.xlsx").is_file()
    refused = upload(client, workbook(units_folder, unit="dong-van"), unit="dong-van")
    assert refused.status_code == 403 and "không được nộp số liệu cho đơn vị “dong-van”" in text_of(refused)
    assert not (units_folder / "inputs" / "dong-van").exists()
    assert client.get("/bao-cao?unit=dong-van").status_code == 403
    assert client.get("/bao-cao?unit=hoanh-mo&period=2023-06").status_code == 200
    options = lxml_html.fromstring(client.get("/nop-so-lieu").get_data(as_text=True)).xpath("//select[@id='unit']/option/@value")
    assert options == [] or options == ["hoanh-mo"]


def test_a_leader_and_the_summary_role_read_but_do_not_hand_in(units_folder, tmp_path):
    for name, units in (("ld.hoanhmo", ["hoanh-mo"]), ("th.huyen", ["", "hoanh-mo", "dong-van"])):
        client = client_for(units_folder, local=False, tmp=tmp_path)[1]
        sign_in(client, name)
        assert client.get("/nop-so-lieu").status_code == 403
        assert client.get("/").status_code == 200 and client.get("/lich-su").status_code == 200
        seen = lxml_html.fromstring(client.get("/lich-su").get_data(as_text=True)).xpath("//select[@name='unit']/option/@value")
        assert seen == ["*", *units], name


def test_sign_in_attempts_are_limited(units_folder, tmp_path):
    client = client_for(units_folder, local=False, tmp=tmp_path)[1]
    for _ in range(5):
        assert sign_in(client, "cv.hoanhmo", "sai-mật-khẩu").status_code == 401
    blocked = sign_in(client, "cv.hoanhmo")  # the right password, too late
    assert blocked.status_code == 429 and "Đăng nhập sai quá 5 lần" in text_of(blocked)
    assert client.get("/").status_code == 302


def test_the_limiter_forgets_failures_after_its_window():
    now = [0.0]
    limiter = AttemptLimiter(limit=2, window=60, clock=lambda: now[0])
    limiter.failed("a")
    limiter.failed("a")
    assert limiter.wait_for("a") == 60 and limiter.wait_for("b") == 0
    now[0] = 61
    assert limiter.wait_for("a") == 0


def test_an_idle_session_ends(units_folder, tmp_path, monkeypatch):
    import time as clock

    client = client_for(units_folder, local=False, tmp=tmp_path)[1]
    sign_in(client, "th.huyen")
    assert client.get("/").status_code == 200
    later = clock.time() + 31 * 60
    monkeypatch.setattr(clock, "time", lambda: later)
    response = client.get("/")
    assert response.status_code == 302
    assert "hết hạn vì để lâu không dùng" in text_of(client.get("/dang-nhap"))


def test_signing_in_never_redirects_elsewhere(units_folder, tmp_path):
    client = client_for(units_folder, local=False, tmp=tmp_path)[1]
    csrf = token(client, "/dang-nhap")
    response = client.post("/dang-nhap?next=//evil.example/x",
                           data={"csrf_token": csrf, "name": "th.huyen", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_the_summary_role_makes_the_table_across_units(units_folder, tmp_path):
    clerk = client_for(units_folder, local=False, tmp=tmp_path)[1]
    sign_in(clerk, "cv.hoanhmo")
    upload(clerk, workbook(units_folder, unit="hoanh-mo"), unit="hoanh-mo")
    assert clerk.get("/tong-hop").status_code == 403
    summary = client_for(units_folder, local=False, tmp=tmp_path)[1]
    sign_in(summary, "th.huyen")
    page = lxml_html.fromstring(summary.get("/tong-hop").get_data(as_text=True))
    assert page.xpath("//select[@name='period']/option/@value") == ["2023-06"]
    made = summary.post("/tong-hop", data={"csrf_token": token(summary, "/tong-hop"), "period": "2023-06"})
    assert made.status_code == 200
    tree = lxml_html.fromstring(made.get_data(as_text=True))
    rows = {tr.get("data-unit"): [td.text_content().strip() for td in tr.xpath("td")]
            for tr in tree.xpath('//table[@id="summary-table"]/tbody/tr')}
    assert set(rows) == {"hoanh-mo", "dong-van"}  # the district itself makes no report of its own here
    assert rows["dong-van"][1] == "chưa có tệp"
    assert rows["hoanh-mo"][1].count("/") == 1 and {"V", "Đ", "CĐ"} & set(rows["hoanh-mo"][2:])
    links = [a.get("href") for a in tree.xpath('//section[@id="summary"]//a')]
    workbook_file = summary.get(links[0])
    assert workbook_file.status_code == 200 and workbook_file.data[:2] == b"PK"
    assert summary.get(links[1]).data.startswith(b"%PDF")
    assert clerk.get(links[0]).status_code == 403  # another account: not its file


def test_a_workbook_resaved_by_libreoffice_becomes_the_draft(folder, local, tmp_path):
    """As an office without Excel hands it in: typed, then saved again by LibreOffice Calc."""
    from test_office_month import resave_with_libreoffice

    book = workbook(folder, period="2023-07", value="640")
    resave_with_libreoffice(book, tmp_path / "lo")
    response = upload(local, book)
    assert response.status_code == 200, text_of(response)[-800:]
    assert "Đã lập dự thảo báo cáo tháng 7 năm 2023 (lần lập thứ 1)." in text_of(response)
    view = lxml_html.fromstring(local.get("/bao-cao?unit=&period=2023-07").get_data(as_text=True))
    assert "640" in " ".join(view.xpath('//section[@id="report"]//text()'))


@pytest.mark.parametrize("url, form", [
    ("/nop-so-lieu", {"unit": "../../etc"}),
    ("/ban-hanh/duyet", {"unit": "", "period": "../2023-06", "xac_nhan": "1"}),
    ("/ban-hanh/cap-so", {"unit": "..", "period": "2023-06", "xac_nhan": "1"}),
    ("/ban-hanh/gui", {"unit": "", "period": "2023-06/../..", "xac_nhan": "1"}),
    ("/tong-hop", {"period": "..\\..\\reportgen"}),
])
def test_a_form_naming_anything_else_is_refused(folder, local, url, form):
    response = local.post(url, data={"csrf_token": token(local), **form})
    assert response.status_code == 404, url
    assert not list((folder / "inputs").iterdir())


def test_an_upload_waits_for_a_scheduled_run_holding_the_lock_and_then_builds(folder, local):
    import threading

    from reportgen.delivery.lock import run_lock
    from reportgen.delivery.ledger import Ledger
    from reportgen.run.daily import LOCK_NAME

    book = workbook(folder)
    answers = []
    with run_lock(folder / LOCK_NAME):  # a scheduled `reportgen run` in progress
        sender = threading.Thread(target=lambda: answers.append(upload(local, book)))
        sender.start()
        sender.join(timeout=2)
        assert sender.is_alive() and not answers  # waiting for the run, not failing
        if (folder / "reportgen.db").exists():
            with Ledger(folder / "reportgen.db") as ledger:
                assert not ledger.reports()
    sender.join(timeout=600)
    assert answers and answers[0].status_code == 200
    assert "Đã lập dự thảo báo cáo tháng 6 năm 2023 (lần lập thứ 1)." in text_of(answers[0])


def test_what_users_typed_is_shown_escaped(folder, local):
    response = upload(local, with_mistake(workbook(folder), value="<script>alert(1)</script>"),
                      name="<img src=x onerror=alert(1)>.xlsx")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
