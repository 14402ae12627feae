"""Cài đặt: the folder's names, signer, addressees and recipients, mail server and schedule, edited in a form.

The form shows the keys of reportgen.toml the page may change, as the file has them; saving goes through
:func:`reportgen.api.save_settings` (the file's own checks, a backup of the previous file, an atomic
rename).  The mail server's password is never a field: the page says where it is kept instead.  "Gửi thư
thử" sends ``reportgen send --test``'s message and shows the server's reply.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from reportgen import api
from reportgen.core.errors import ReportgenError
from reportgen.web.auth import allow, requires
from reportgen.web.request_params import folder

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
    allow("settings", "")
    return _current()


@bp.route("/cai-dat", methods=["POST"])
@requires("settings")
def save():
    allow("settings", "")
    fields = api.settings_form(folder())
    changes = {(field.section, field.key): request.form.get(field.name, "") for field in fields}
    try:
        saved = api.save_settings(folder(), changes)
    except ReportgenError as exc:  # the form shown again as typed, with the file's own message
        typed = {
            f.name: tuple(changes[(f.section, f.key)].splitlines())
            if f.kind == "lines"
            else changes[(f.section, f.key)]
            for f in fields
        }
        return _page(typed, error=str(exc)), 422
    return _current(saved=saved)


@bp.route("/cai-dat/gui-thu", methods=["POST"])
@requires("settings")
def test_mail():
    allow("settings", "")
    try:
        sent = api.send_test(folder())
    except ReportgenError as exc:
        return _current(mail_error=str(exc)), 422
    return _current(mail=sent)


def _current(**outcome):
    return _page({field.name: field.value for field in api.settings_form(folder())}, **outcome)


def _page(values: dict, **outcome):
    groups: dict[str, list] = {name: [] for name in SECTIONS}
    for field in api.settings_form(folder()):
        groups[field.section].append((field, values[field.name]))
    password = api.schedule_password(folder())
    return render_template(
        "settings.html", groups=groups, sections=SECTIONS, password=password, config=folder().config, **outcome
    )
