"""Cài đặt on a server of many units: each commune's văn thư edits its own [units.<unit>] table, and only it."""

from __future__ import annotations

import tomllib

from lxml import html as lxml_html

from reportgen import api
from web_helpers import add_account, client_for, sign_in, text_of, web_folder


def form_of(client, url: str) -> dict[str, str]:
    tree = lxml_html.fromstring(client.get(url).get_data(as_text=True))
    form = tree.xpath('//form[@id="settings-form"]')[0]
    values = {field.get("name"): field.get("value") or "" for field in form.xpath(".//input")}
    values.update({area.get("name"): area.text or "" for area in form.xpath(".//textarea")})
    return values


def test_a_communes_clerk_edits_its_own_unit_and_the_folder_keeps_the_rest(tmp_path):
    root = web_folder(tmp_path / "huyen", units=True)
    add_account(root, "vt-hm", "van_thu", "hoanh-mo")
    client = client_for(root, local=False, tmp=tmp_path)[1]
    sign_in(client, "vt-hm")
    page = text_of(client.get("/cai-dat?unit=hoanh-mo"))
    assert "Cài đặt — UBND xã Hoành Mô" in page and "[units.hoanh-mo]" in page
    form = form_of(client, "/cai-dat?unit=hoanh-mo")
    assert form["unit"] == "hoanh-mo" and form["signer.name"] == "Hoàng Văn B"
    assert "mail.host" not in form and "schedule.due_day" not in form  # the folder's, not a unit's
    before = (root / "reportgen.toml").read_text(encoding="utf-8")
    form.update({"signer.name": "Lý Văn C", "mail.to": "hoanhmo@example.vn\nchutich.hoanhmo@example.vn",
                 "unit.place": ""})
    saved = client.post("/cai-dat", data=form)
    assert saved.status_code == 200 and "Đã lưu 3 thay đổi" in text_of(saved), text_of(saved)[-400:]
    data = tomllib.loads((root / "reportgen.toml").read_text(encoding="utf-8"))
    unit = data["units"]["hoanh-mo"]
    assert unit["signer_name"] == "Lý Văn C" and unit["mail_to"] == ["hoanhmo@example.vn", "chutich.hoanhmo@example.vn"]
    assert "place" not in unit  # emptied: the folder's own value applies again
    assert data["signer"] == tomllib.loads(before)["signer"] and data["units"]["dong-van"] == tomllib.loads(before)["units"]["dong-van"]
    merged = api.open_folder(root).for_unit("hoanh-mo").config
    assert merged.signer.name == "Lý Văn C" and merged.unit.place == api.open_folder(root).config.unit.place
    assert (root / "reportgen.toml.truoc").read_text(encoding="utf-8") == before


def test_another_units_settings_and_the_folders_are_refused(tmp_path):
    root = web_folder(tmp_path / "huyen", units=True)
    add_account(root, "vt-hm", "van_thu", "hoanh-mo")
    client = client_for(root, local=False, tmp=tmp_path)[1]
    sign_in(client, "vt-hm")
    assert client.get("/cai-dat?unit=dong-van").status_code == 403
    assert client.get("/cai-dat").status_code == 403
    form = form_of(client, "/cai-dat?unit=hoanh-mo")
    before = (root / "reportgen.toml").read_text(encoding="utf-8")
    refused = client.post("/cai-dat", data={**form, "unit": "dong-van", "signer.name": "Ai Đó"})
    assert refused.status_code == 403
    assert client.get("/cai-dat?unit=../../etc").status_code == 404
    assert (root / "reportgen.toml").read_text(encoding="utf-8") == before


def test_a_units_bad_address_is_refused_with_the_files_message(tmp_path):
    root = web_folder(tmp_path / "huyen", units=True)
    client = client_for(root, tmp=tmp_path)[1]  # the office PC's own user administers every unit
    page = text_of(client.get("/cai-dat"))
    assert "UBND xã Hoành Mô" in page  # the units to choose from
    form = form_of(client, "/cai-dat?unit=hoanh-mo")
    before = (root / "reportgen.toml").read_text(encoding="utf-8")
    refused = client.post("/cai-dat", data={**form, "mail.to": "không phải địa chỉ"})
    assert refused.status_code == 422
    assert "Chưa lưu: Cấu hình" in text_of(refused) and "không phải địa chỉ" in text_of(refused)
    assert (root / "reportgen.toml").read_text(encoding="utf-8") == before
