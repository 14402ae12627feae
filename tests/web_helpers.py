"""Working folders, accounts and signed-in test clients for the web page's tests."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from reportgen.report.init_folder import init_folder
from reportgen.web import accounts
from reportgen.web.flask_app import WebSettings, create_app
from run_helpers import UNITS_TOML, write_month

PASSWORD = "mật-khẩu-đủ-dài-1"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def web_folder(root: Path, units: bool = False) -> Path:
    """An initialised working folder with no workbook in inputs/ yet (the page hands them in)."""
    init_folder(root)
    (root / "inputs" / "2023-06.xlsx").unlink()
    if units:
        config = root / "reportgen.toml"
        config.write_text(config.read_text(encoding="utf-8") + UNITS_TOML, encoding="utf-8")
    return root


def workbook(folder: Path, period: str = "2023-06", unit: str = "", value: str | None = None) -> Path:
    """An office's own workbook of ``period`` (the example's figures), outside inputs/."""
    made = write_month(folder.parent / "scratch", period, value)
    target = folder.parent / f"upload-{unit or 'chung'}-{period}-{value or 'x'}" / f"{period}.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    made.replace(target)
    return target


def with_mistake(path: Path, cell: str = "H5", value: str = "12,4 tỷ") -> Path:
    """The workbook as staff get it wrong: text typed in a figure's cell."""
    book = load_workbook(path)
    book["Chỉ tiêu"][cell] = value
    wrong = path.with_name(f"{path.stem}-sai.xlsx")
    book.save(wrong)
    return wrong


def client_for(root: Path, local: bool = True, tmp: Path | None = None):
    settings = WebSettings(root, None, local_user=local, uploads=(tmp or root.parent) / "uploads")
    settings.uploads.mkdir(exist_ok=True)
    app = create_app(settings)
    return app, app.test_client()


def token(client, url: str = "/nop-so-lieu") -> str:
    page = client.get(url)
    found = _TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {url}: {page.status_code}"
    return found.group(1)


def add_account(root: Path, name: str, role: str, *units: str) -> None:
    accounts.add_account(root, name, role, units, PASSWORD, ("", "hoanh-mo", "dong-van"))


def sign_in(client, name: str, password: str = PASSWORD):
    return client.post("/dang-nhap", data={"csrf_token": token(client, "/dang-nhap"), "name": name,
                                           "password": password})


def upload(client, path: Path, unit: str = "", name: str | None = None):
    with open(path, "rb") as handle:
        return client.post("/nop-so-lieu", data={"csrf_token": token(client), "unit": unit,
                                                 "workbook": (handle, name or path.name)},
                           content_type="multipart/form-data")


def text_of(response) -> str:
    """The page's text, tags removed, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())
