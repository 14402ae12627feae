"""Tổng quan (every unit's periods, each with its state and the one next action) and Lịch sử (the ledger).

Until the library tells each period's state itself, the overview derives it
from the ledger's history: the latest workbook received for the period, the
latest revision built, and the messages of the period's reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request, url_for

from reportgen import api
from reportgen.core.periods import Period
from reportgen.web.auth import allow, requires
from reportgen.web.params import folder, period_arg, unit_arg, visible_units

bp = Blueprint("overview", __name__)

STATES = {
    "chua_co_so_lieu": "chưa có số liệu",
    "so_lieu_loi": "số liệu có lỗi",
    "du_thao": "dự thảo",
    "da_duyet": "đã duyệt",
    "da_ban_hanh": "đã ban hành",
    "da_gui": "đã gửi",
    "gui_loi": "gửi lỗi",
}
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


@dataclass(frozen=True)
class Row:
    unit: str
    period: Period
    state: str
    revision: int | None
    next_action: str | None
    action_url: str


@bp.route("/")
@requires("view")
def overview():
    rows = []
    for unit in visible_units():
        rows.extend(_rows(unit))
    return render_template("overview.html", rows=rows, states=STATES, actions=NEXT_ACTIONS)


@bp.route("/lich-su")
@requires("view")
def history():
    units = visible_units()
    unit = unit_arg() if request.args.get("unit", "*") != "*" else None
    if unit is not None:
        allow("view", unit)
    period = period_arg(required=False)
    shown = [unit] if unit is not None else units
    inputs, reports, messages, runs = [], [], [], ()
    for each in shown:
        found = api.history(folder(), each)
        inputs += [row for row in found.inputs if period is None or row["period"] == period.code]
        reports += [r for r in found.reports if period is None or r.period == period.code]
        messages += [m for m in found.messages if period is None or m.period == period.code]
        runs = found.runs
    return render_template(
        "history.html",
        units=units,
        unit=unit,
        period=period,
        inputs=sorted(inputs, key=lambda row: row["id"], reverse=True),
        reports=sorted(reports, key=lambda r: r.id, reverse=True),
        messages=sorted(messages, key=lambda m: m.id, reverse=True),
        runs=runs,
        message_states=MESSAGE_STATES,
    )


def _rows(unit: str) -> list[Row]:
    found = api.history(folder(), unit)
    periods = {row["period"] for row in found.inputs if row["period"]} | {r.period for r in found.reports}
    rows = []
    for code in periods:
        period = Period.parse(code)
        latest_input = max((row for row in found.inputs if row["period"] == code), key=lambda r: r["id"], default=None)
        reports = [r for r in found.reports if r.period == code]
        latest = reports[-1] if reports else None
        ids = {r.id for r in reports}
        statuses = {m.status for m in found.messages if m.report_id in ids and m.kind == "report"}
        if (
            latest_input is not None
            and latest_input["status"] != "valid"
            and (latest is None or latest_input["id"] > latest.input_id)
        ):
            state, action = "so_lieu_loi", "sua_so_lieu"
        elif latest is None:
            state, action = "chua_co_so_lieu", "nop_so_lieu"
        elif "failed" in statuses:
            state, action = "gui_loi", "gui_lai"
        elif statuses & {"sent", "written"}:
            state, action = "da_gui", None
        else:
            state, action = "du_thao", "duyet"
        rows.append(Row(unit, period, state, latest.revision if latest else None, action, _url(action, unit, code)))
    return sorted(rows, key=lambda r: (r.unit, -r.period.year, -r.period.end_month, r.period.code))


def _url(action: str | None, unit: str, code: str) -> str:
    if action in ("nop_so_lieu", "sua_so_lieu"):
        return url_for("submit.form", unit=unit)
    return url_for("report.report", unit=unit, period=code)
