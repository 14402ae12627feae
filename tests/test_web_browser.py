"""The web page in a real browser: Debian's headless Chromium driven by Selenium through chromium-driver.

The journey of an office's month: open the page, drop the workbook with a mistake on the drop zone, see the
cell coloured and its message, choose the corrected file, read the draft, find it in the history and the
overview.  A screenshot of each page is saved (``REPORTGEN_WEB_SCREENSHOTS=docs/img/web`` writes them where the
README shows them).  Nothing is downloaded: the browser and its driver are the system's (bootstrap.py
installs ``chromium`` and ``chromium-driver``), named to Selenium explicitly.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from browser import FLAGS, chromium
from pkcs11_token import SIGNER_KEY, SIGNER_PIN
from run_helpers import RECIPIENTS, make_folder
from smtp_fixtures import *  # noqa: F401,F403  (pytest fixtures)
from web_helpers import web_folder, with_mistake, workbook

pytest_plugins = ("signing_fixtures",)

ERROR_FILL = (0xFF, 0xC7, 0xCE)
WAIT_S = 180

DROP = """
const [zone, path] = arguments;
const input = document.createElement('input');
input.type = 'file';
input.id = 'test-drop-source';
document.body.appendChild(input);
return input.id;
"""
DISPATCH = """
const zone = document.getElementById('dropzone');
const file = document.getElementById('test-drop-source').files[0];
const data = new DataTransfer();
data.items.add(file);
for (const name of ['dragenter', 'dragover', 'drop']) {
  zone.dispatchEvent(new DragEvent(name, {bubbles: true, cancelable: true, dataTransfer: data}));
}
"""


def driver_path() -> str:
    found = shutil.which("chromedriver")
    if not found:
        pytest.fail("chromium-driver is not installed: `apt-get install chromium-driver` (bootstrap.py test does it)")
    return found


@pytest.fixture
def server(tmp_path):
    folder = web_folder(tmp_path / "baocao")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "reportgen", "-C", str(folder), "serve", "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    address = process.stdout.readline().strip()
    assert address.startswith("http://127.0.0.1:"), process.stderr.read()
    yield folder, address
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = chromium()
    for flag in (*FLAGS, "--window-size=1280,900", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path()))
    driver.set_page_load_timeout(WAIT_S)
    yield driver
    driver.quit()


def shot(driver, name: str, tmp_path: Path) -> Path:
    """The whole page as the browser draws it, saved (and copied where REPORTGEN_WEB_SCREENSHOTS says)."""
    driver.execute_script("window.scrollTo(0, 0)")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height + 120, 700), 2400))
    path = tmp_path / f"web-{name}.png"
    driver.save_screenshot(str(path))
    target = os.environ.get("REPORTGEN_WEB_SCREENSHOTS")
    if target:
        shutil.copy(path, Path(target) / path.name)
    driver.set_window_size(1280, 900)
    return path


def pixel_of(driver, element, png: Path) -> tuple[int, int, int]:
    """The colour the browser drew at the middle of ``element`` (screen pixels: device scale 1)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    driver.save_screenshot(str(png))
    box = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width, r.height]",
                                element)
    x, y = int(box[0] + 3), int(box[1] + box[3] / 2)
    return Image.open(png).convert("RGB").getpixel((x, y))


def test_the_month_of_an_office_in_a_real_browser(server, browser, tmp_path):
    folder, address = server
    wait = WebDriverWait(browser, WAIT_S)
    browser.get(address)
    assert not browser.find_elements(By.CSS_SELECTOR, '#overview tr[data-period="2023-06"]')
    shot(browser, "tong-quan-trong", tmp_path)

    browser.find_element(By.LINK_TEXT, "Nộp số liệu").click()
    wait.until(seen.presence_of_element_located((By.ID, "dropzone")))
    shot(browser, "nop-so-lieu", tmp_path)
    wrong = with_mistake(workbook(folder))
    browser.execute_script(DROP)
    browser.find_element(By.ID, "test-drop-source").send_keys(str(wrong))
    browser.execute_script(DISPATCH)
    wait.until(seen.presence_of_element_located((By.ID, "outcome")))
    errors = browser.find_elements(By.CSS_SELECTOR, "#errors li")
    assert len(errors) == 1 and errors[0].text.startswith('Sheet "Chỉ tiêu", ô H5:') and "12,4 tỷ" in errors[0].text
    cell = browser.find_element(By.CSS_SELECTOR, "td.rg-error")
    assert cell.get_attribute("id").endswith("-H5") and "12,4 tỷ" in cell.text
    shot(browser, "nop-so-lieu-co-loi", tmp_path)
    assert pixel_of(browser, cell, tmp_path / "cell.png") == ERROR_FILL

    browser.find_element(By.ID, "workbook").send_keys(str(workbook(folder)))  # "Chọn tệp…", the corrected file
    wait.until(seen.presence_of_element_located((By.ID, "draft")))
    assert "Đã lập dự thảo báo cáo tháng 6 năm 2023 (lần lập thứ 1)." in browser.find_element(By.ID, "draft").text
    assert not browser.find_elements(By.CSS_SELECTOR, "td.rg-error")
    shot(browser, "nop-so-lieu-hop-le", tmp_path)

    browser.find_element(By.LINK_TEXT, "Xem báo cáo").click()
    report = wait.until(seen.presence_of_element_located((By.CSS_SELECTOR, "#report article")))
    assert "BÁO CÁO" in report.text and "kinh tế - xã hội" in report.text
    assert browser.find_elements(By.CSS_SELECTOR, "#report svg")
    shot(browser, "xem-bao-cao", tmp_path)

    browser.find_element(By.LINK_TEXT, "Lịch sử").click()
    rows = wait.until(seen.presence_of_all_elements_located((By.CSS_SELECTOR, "#reports tbody tr")))
    assert len(rows) == 1 and "2023-06" in rows[0].text
    shot(browser, "lich-su", tmp_path)

    browser.find_element(By.LINK_TEXT, "Tổng quan").click()
    row = wait.until(seen.presence_of_element_located((By.CSS_SELECTOR, '#overview tr[data-period="2023-06"]')))
    assert row.find_element(By.CSS_SELECTOR, ".state").text == "dự thảo"
    shot(browser, "tong-quan", tmp_path)

    browser.find_element(By.LINK_TEXT, "Cài đặt").click()
    name = wait.until(seen.presence_of_element_located((By.NAME, "signer.name")))
    assert name.get_attribute("value") and not browser.find_elements(By.CSS_SELECTOR, "input[type=password]")
    shot(browser, "cai-dat", tmp_path)
    console = [entry for entry in browser.get_log("browser")
               if entry["level"] == "SEVERE" and "status of 422" not in entry["message"]]  # 422: the workbook's errors
    assert not console, console  # nothing refused by the CSP, no script error, no missing file


# ----------------------------------------------------------------- the leader and the clerk ---

@pytest.fixture
def office_server(tmp_path, smtp_server, tokens, images, pki):
    """A folder with approval on, the tests' SMTP server and the signer's key on a SoftHSM2 token."""
    table = (f'\n[sign]\nmethod = "pkcs11"\npkcs11_module = "{tokens.module}"\nkey_label = "{SIGNER_KEY}"\n'
             f'signature_image = "{images.signature}"\ntrust_roots = ["{pki.ca_pem}"]\n')
    folder = make_folder(tmp_path / "vp", smtp_server, approval=True, extra=table)
    (folder / "inputs" / "2023-06.xlsx").unlink()  # handed in through the page below
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "SOFTHSM2_CONF": str(tokens.conf)}
    process = subprocess.Popen([sys.executable, "-m", "reportgen", "-C", str(folder), "serve", "--no-browser"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    address = process.stdout.readline().strip()
    assert address.startswith("http://127.0.0.1:"), process.stderr.read()
    yield folder, address
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert SIGNER_PIN not in _out + err


def test_the_leader_approves_and_the_clerk_issues_with_the_token(office_server, browser, smtp_server, tmp_path):
    folder, address = office_server
    wait = WebDriverWait(browser, WAIT_S)
    browser.get(address + "nop-so-lieu")
    browser.find_element(By.ID, "workbook").send_keys(str(workbook(folder)))
    wait.until(seen.presence_of_element_located((By.ID, "draft")))

    browser.find_element(By.LINK_TEXT, "Tổng quan").click()
    row = wait.until(seen.presence_of_element_located((By.CSS_SELECTOR, '#overview tr[data-period="2023-06"]')))
    assert row.find_element(By.CSS_SELECTOR, ".state").text == "dự thảo"
    row.find_element(By.LINK_TEXT, "Xem và duyệt").click()
    form = wait.until(seen.presence_of_element_located((By.ID, "approve-form")))
    form.find_element(By.NAME, "xac_nhan").click()
    shot(browser, "duyet", tmp_path)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    receipt = wait.until(seen.presence_of_element_located((By.ID, "receipt")))
    assert "được duyệt bởi" in receipt.text and browser.find_element(By.ID, "state").text == "đã duyệt"

    form = browser.find_element(By.ID, "issue-form")
    form.find_element(By.ID, "pin").send_keys(SIGNER_PIN)
    form.find_element(By.NAME, "xac_nhan").click()
    shot(browser, "cap-so-va-ky", tmp_path)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    symbol = wait.until(seen.presence_of_element_located((By.ID, "symbol")))
    assert symbol.text == "01/BC-UBND" and browser.find_element(By.ID, "state").text == "đã gửi"
    shot(browser, "da-gui", tmp_path)
    to_recipients = [m for m in smtp_server.messages if set(m.rcpt_tos) & set(RECIPIENTS)]
    assert sorted(r for m in to_recipients for r in m.rcpt_tos) == sorted(RECIPIENTS)
    assert "Báo cáo số 01/BC-UBND" in str(to_recipients[0].message["Subject"])
    browser.find_element(By.LINK_TEXT, "Tổng quan").click()
    row = wait.until(seen.presence_of_element_located((By.CSS_SELECTOR, '#overview tr[data-period="2023-06"]')))
    assert row.find_element(By.CSS_SELECTOR, ".state").text == "đã gửi"
    shot(browser, "tong-quan-da-gui", tmp_path)


def test_on_a_server_for_many_units_each_account_signs_in_and_sees_its_own(tmp_path, browser):
    from reportgen.web import accounts
    from run_helpers import UNITS_TOML

    folder = web_folder(tmp_path / "huyen")
    config = folder / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8") + UNITS_TOML, encoding="utf-8")
    accounts.add_account(folder, "cv.hoanhmo", "chuyen_vien", ("hoanh-mo",), "mật-khẩu-thật-dài", ("", "hoanh-mo"))
    process = subprocess.Popen([sys.executable, "-m", "reportgen", "-C", str(folder), "serve", "--host", "0.0.0.0",
                                "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        port = process.stdout.readline().strip().rsplit(":", 1)[1].rstrip("/")
        wait = WebDriverWait(browser, WAIT_S)
        browser.get(f"http://127.0.0.1:{port}/nop-so-lieu")
        name = wait.until(seen.presence_of_element_located((By.NAME, "name")))
        name.send_keys("cv.hoanhmo")
        browser.find_element(By.NAME, "password").send_keys("sai")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        message = wait.until(seen.presence_of_element_located((By.ID, "login-message")))
        assert message.text == "Sai tên tài khoản hoặc mật khẩu."
        shot(browser, "dang-nhap", tmp_path)
        browser.find_element(By.NAME, "password").send_keys("mật-khẩu-thật-dài")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        unit = wait.until(seen.presence_of_element_located((By.CSS_SELECTOR, "input[name=unit]")))
        assert unit.get_attribute("value") == "hoanh-mo"  # its only unit: no choice offered
        assert "cv.hoanhmo · chuyên viên" in browser.find_element(By.CSS_SELECTOR, "header .who").text
        assert not browser.find_elements(By.LINK_TEXT, "Cài đặt")
        browser.find_element(By.ID, "workbook").send_keys(str(workbook(folder, unit="hoanh-mo")))
        wait.until(seen.presence_of_element_located((By.ID, "draft")))
        assert (folder / "inputs" / "hoanh-mo" / "2023-06.xlsx").is_file()
        browser.find_element(By.CSS_SELECTOR, "header .who button").click()  # Đăng xuất
        wait.until(seen.presence_of_element_located((By.NAME, "password")))
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
