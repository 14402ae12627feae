"""Tổng quan (every unit's periods, each with its state, due date and the one next action) and Lịch sử (the
ledger, filtered by unit and period)."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from reportgen import api
from reportgen.core.periods import Period
from reportgen.web.auth import allow, requires
from reportgen.web.request_params import folder, period_arg, unit_arg, visible_units

bp = Blueprint("overview", __name__)

NEXT_ACTIONS = {
    "nop_so_lieu": "Nộp số liệu",
    "sua_so_lieu": "Sửa và nộp lại số liệu",
    "duyet": "Xem và duyệt",
    "cap_so": "Cấp số và ký",
    "gui_lai": "Gửi lại",
}
MESSAGE_STATES = {
    "queued": "chờ gửi",
    "held": "giữ lại",
    "sending": "đang gửi",
    "sent": "đã gửi",
    "written": "đã ghi vào outbox",
    "retry": "sẽ thử lại",
    "failed": "gửi lỗi",
    "superseded": "đã thay bằng bản mới",
    "expired": "quá hạn, không gửi",
}


@bp.route("/")
@requires("view")
def overview():
    rows = [(state, _url(state)) for unit in visible_units() for state in api.period_states(folder(), unit)]
    rows.sort(key=lambda row: (row[0].unit, *_newest_first(row[0].period_code)))
    return render_template("overview.html", rows=rows, actions=NEXT_ACTIONS)


@bp.route("/lich-su")
@requires("view")
def history():
    units = visible_units()
    unit = unit_arg() if request.args.get("unit", "*") != "*" else None
    if unit is not None:
        allow("view", unit)
    period = period_arg(required=False)
    shown = [unit] if unit is not None else units
    inputs, reports, approvals, issued, messages, runs = [], [], [], [], [], ()
    for each in shown:
        found = api.history(folder(), each)
        inputs += [row for row in found.inputs if period is None or row["period"] == period.code]
        reports += [r for r in found.reports if period is None or r.period == period.code]
        approvals += [a for a in found.approvals if period is None or a.period == period.code]
        issued += [i for i in found.issued if period is None or i.period == period.code]
        messages += [m for m in found.messages if period is None or m.period == period.code]
        runs = found.runs
    return render_template(
        "history.html",
        units=units,
        unit=unit,
        period=period,
        inputs=sorted(inputs, key=lambda row: row["id"], reverse=True),
        reports=sorted(reports, key=lambda r: r.id, reverse=True),
        approvals=sorted(approvals, key=lambda a: a.id, reverse=True),
        issued=sorted(issued, key=lambda i: i.id, reverse=True),
        messages=sorted(messages, key=lambda m: m.id, reverse=True),
        runs=runs,
        message_states=MESSAGE_STATES,
    )


def _newest_first(code: str) -> tuple[int, int, str]:
    period = Period.parse(code)
    return (-period.year, -period.end_month, code)


def _url(state) -> str:
    """Where the period's next action is done: the upload form, or the period's page of approval and issuing."""
    if state.next_action in ("nop_so_lieu", "sua_so_lieu"):
        return url_for("submit.form", unit=state.unit)
    return url_for("issue.period_page", unit=state.unit, period=state.period_code)
