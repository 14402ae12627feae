"""Cài đặt: the folder's names, signer, addressees and recipients, mail server and schedule, edited in a form;
on a folder of many units, each unit's own names, signer, addressees and recipients ([units.<unit>]) by the văn
thư of that unit (the mail server and the schedule stay the folder's).

The form shows the keys of reportgen.toml the page may change, as the file has them; saving goes through
:func:`reportgen.api.save_settings` (the file's own checks, a backup of the previous file, an atomic
rename).  The mail server's password is never a field: the page says where it is kept instead.  "Gửi thư
thử" sends ``reportgen send --test``'s message and shows the server's reply.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from reportgen import api
from reportgen.core.errors import ReportgenError
from reportgen.web.auth import allow, current_account, requires
from reportgen.web.request_params import folder, unit_arg

bp = Blueprint("settings", __name__)
SECTIONS = {
    "unit": "Đơn vị",
    "signer": "Người ký",
    "report": "Kính gửi và nơi nhận",
    "mail": "Máy chủ thư",
    "schedule": "Lịch",
}


@bp.route("/cai-dat", methods=["GET"])
@requires("settings")
def form():
    unit = _unit()
    return _current(unit)


@bp.route("/cai-dat", methods=["POST"])
@requires("settings")
def save():
    unit = _unit()
    fields = api.settings_form(folder(), unit)
    changes = {(field.section, field.key): request.form.get(field.name, "") for field in fields}
    try:
        saved = api.save_settings(folder(), changes, unit)
    except ReportgenError as exc:  # the form shown again as typed, with the file's own message
        typed = {
            f.name: tuple(changes[(f.section, f.key)].splitlines())
            if f.kind == "lines"
            else changes[(f.section, f.key)]
            for f in fields
        }
        return _page(unit, typed, error=str(exc)), 422
    return _current(unit, saved=saved)


@bp.route("/cai-dat/gui-thu", methods=["POST"])
@requires("settings")
def test_mail():
    allow("settings", "")
    try:
        sent = api.send_test(folder())
    except ReportgenError as exc:
        return _current("", mail_error=str(exc)), 422
    return _current("", mail=sent)


def _unit() -> str:
    """The unit whose settings are asked for ('' the folder's own), which the account must administer."""
    unit = unit_arg()
    allow("settings", unit)
    return unit


def _current(unit: str, **outcome):
    return _page(unit, None, **outcome)


def _page(unit: str, typed: dict | None, **outcome):
    """The form of ``unit`` with the file's values, or with what was ``typed`` when it was refused; the
    working folder is opened once for the page (each opening reads reportgen.toml again)."""
    ws = folder()
    fields = api.settings_form(ws, unit)
    values = typed if typed is not None else {field.name: field.value for field in fields}
    groups: dict[str, list] = {name: [] for name in SECTIONS}
    for field in fields:
        groups[field.section].append((field, values[field.name]))
    account = current_account()
    units = [u for u in ws.units if account is not None and account.may("settings", u)]
    return render_template(
        "settings.html",
        groups={name: fields for name, fields in groups.items() if fields},
        sections=SECTIONS,
        password=api.schedule_password(ws),
        config=ws.for_unit(unit).config,
        unit=unit,
        units=[(u, ws.for_unit(u).config.unit.short_name or u or "của thư mục") for u in units],
        **outcome,
    )
