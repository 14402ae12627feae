"""Duyệt, Cấp số và ký, Gửi: the leader approves the draft, the clerk numbers, signs and sends it.

Each action is a form of the period's page that asks for confirmation (a box
to tick, checked again by the server) and answers with its receipt: who
approved which revision and when; the number, the date, the signatures made
and the sending's receipt; what was sent again.  The PIN or passphrase of the
key is typed in the page, handed to the library once inside
:class:`~reportgen.issuance.Secrets` (which never shows it) and kept nowhere:
not in the session, not in a log line, not in a file.  The library takes the
run lock, so a scheduled ``reportgen run`` and another browser acting on the
same period wait their turn, and a second approval or issue of the same
revision is refused with its own message.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from reportgen import api
from reportgen.core.errors import ReportgenError
from reportgen.core.periods import Period
from reportgen.issuance.signing_setup import Secrets
from reportgen.web.auth import allow, current_account, requires
from reportgen.web.request_params import folder, period_arg, unit_arg

bp = Blueprint("issue", __name__)
WAIT_S = 600.0
"""How long an action waits for a run in progress (the run lock) before saying so."""


@bp.route("/ban-hanh")
@requires("view")
def period_page():
    unit, period = _target()
    allow("view", unit)
    return _page(unit, period)


@bp.route("/ban-hanh/duyet", methods=["POST"])
@requires("approve")
def approve():
    unit, period = _target()
    allow("approve", unit)
    if not _confirmed():
        return _page(unit, period, refused="Hãy đánh dấu ô xác nhận đã đọc bản dự thảo trước khi duyệt."), 422
    by = request.form.get("by", "").strip()[:120] or current_account().name
    try:
        approval = api.approve(folder(), period, unit, by=by)
    except ReportgenError as exc:
        return _page(unit, period, refused=str(exc)), 409
    return _page(unit, period, approval=approval)


@bp.route("/ban-hanh/cap-so", methods=["POST"])
@requires("issue")
def issue():
    unit, period = _target()
    allow("issue", unit)
    if not _confirmed():
        return _page(unit, period, refused="Hãy đánh dấu ô xác nhận trước khi cấp số và ký."), 422
    number = request.form.get("number", "").strip()
    if number and (not number.isdigit() or len(number) > 6):
        return _page(unit, period, refused=f"Số văn bản “{number[:20]}” không phải một số."), 422
    secrets = Secrets(request.form.get("pin", ""), request.form.get("office_pin", ""))
    try:
        issued = api.issue(folder(), period, unit, number=int(number) if number else None, secrets=secrets, wait=WAIT_S)
    except ReportgenError as exc:
        return _page(unit, period, refused=str(exc)), 409
    finally:
        del secrets
    return _page(unit, period, issued=issued)


@bp.route("/ban-hanh/gui", methods=["POST"])
@requires("send")
def send():
    unit, period = _target()
    allow("send", unit)
    if not _confirmed():
        return _page(unit, period, refused="Hãy đánh dấu ô xác nhận trước khi gửi."), 422
    try:
        if request.form.get("what") == "retry":
            sending = api.retry_failed(folder(), unit, wait=WAIT_S)
        else:
            sending = api.send_report(folder(), period, unit=unit, wait=WAIT_S)
    except ReportgenError as exc:
        return _page(unit, period, refused=str(exc)), 409
    return _page(unit, period, sending=sending)


def _target() -> tuple[str, Period]:
    unit, period = unit_arg(), period_arg()
    assert period is not None  # period_arg refused (404) a missing one
    return unit, period


def _confirmed() -> bool:
    return request.form.get("xac_nhan") == "1"


def _page(unit: str, period: Period, **outcome):
    states = [s for s in api.period_states(folder(), unit) if s.period_code == period.code]
    if not states:
        abort(404, f"Kỳ {period.code} chưa có trong thư mục làm việc.")
    config = folder().for_unit(unit).config
    return render_template(
        "issue.html",
        unit=unit,
        period=period,
        state=states[0],
        signer=config.signer.name,
        office_key=bool(getattr(config.sign, "office", None)),
        **outcome,
    )
