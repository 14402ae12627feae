"""Tổng hợp: every unit's status per indicator for one period, for the office that gathers its units' reports.

The table is :func:`reportgen.api.summary`'s (the same as ``reportgen summary PERIOD``), drawn in the page
with the workbook and the PDF it wrote offered for download by a random token, to the account that made it.
"""

from __future__ import annotations

import secrets
import threading
import time

from flask import Blueprint, abort, render_template, send_file

from reportgen import api
from reportgen.core.periods import Period
from reportgen.domain.summary_table import STATUS_CODES
from reportgen.web.auth import current_account, requires
from reportgen.web.request_params import folder, period_arg, token_arg

bp = Blueprint("summary", __name__)
KEEP_SECONDS = 3600
_made: dict[str, tuple[str, float, dict]] = {}
_lock = threading.Lock()


@bp.route("/tong-hop", methods=["GET"])
@requires("summary")
def form():
    return render_template("summary.html", periods=_periods(), result=None, token="", codes=STATUS_CODES)


@bp.route("/tong-hop", methods=["POST"])
@requires("summary")
def make():
    period = period_arg()
    assert period is not None  # period_arg refused (404) a missing one
    result = api.summary(folder(), period)
    token = secrets.token_urlsafe(24)
    account = current_account()
    with _lock:
        for old in [t for t, (_n, at, _f) in _made.items() if time.time() - at > KEEP_SECONDS]:
            del _made[old]
        _made[token] = (account.name if account else "", time.time(), dict(result.files))
    return render_template(
        "summary.html", periods=_periods(), result=result, period=period, token=token, codes=STATUS_CODES
    )


@bp.route("/tong-hop/tep/<token>/<fmt>")
@requires("summary")
def download(token: str, fmt: str):
    token = token_arg(token)
    with _lock:
        made = _made.get(token)
    account = current_account()
    if made is None or account is None or made[0] != account.name or fmt not in made[2]:
        abort(404, "Tệp tải về không có hoặc đã hết hạn.")
    path = made[2][fmt]
    return send_file(path, as_attachment=True, download_name=path.name)


def _periods() -> list[str]:
    """Every period some unit has a workbook or a report for, newest first."""
    codes = {state.period_code for state in api.period_states(folder()) if state.state != "chua_co_so_lieu"}
    return sorted(codes, key=lambda code: (Period.parse(code).year, Period.parse(code).end_month), reverse=True)
