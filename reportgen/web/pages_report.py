"""Xem báo cáo: a recorded revision read in the page, its files to download, what changed since another.

The report is the HTML writer's fragment of the same document model the Word
and PDF files were written from (its stylesheets and chart font served from
the package under /tai-nguyen/).  Files are found through the ledger's record
of the revision, never from a path in the address.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file

from reportgen import api
from reportgen.core.periods import Period
from reportgen.web.auth import allow, requires
from reportgen.web.request_params import (
    DOWNLOADS,
    folder,
    format_arg,
    period_arg,
    revision_arg,
    unit_arg,
    visible_units,
)
from reportgen.writers.html.page import STYLESHEETS
from reportgen.writers.html.report_page import HtmlWriter

bp = Blueprint("report", __name__)
MIMETYPES = {
    "issued_pdf": "application/pdf",
    "issued_docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.route("/bao-cao")
@requires("view")
def report():
    unit = unit_arg()
    allow("view", unit)
    periods = _periods(unit)
    period = period_arg(required=False)
    if period is None:
        if not periods:
            return render_template("report.html", unit=unit, periods=[], view=None, units=visible_units())
        period = Period.parse(periods[-1])
    view = api.report_revision(folder(), period, unit, revision_arg(), revision_arg("so_voi"))
    article = HtmlWriter().fragment(view.document) if view.document is not None else ""
    return render_template(
        "report.html",
        unit=unit,
        units=visible_units(),
        periods=periods,
        period=period,
        view=view,
        numbers=view.revisions,
        compare=view.compared_to,
        changes=view.changes if view.compared_to is not None else None,
        article=article,
        stylesheets=STYLESHEETS,
        downloads={fmt: DOWNLOADS[fmt] for fmt in DOWNLOADS if fmt in view.files},
    )


@bp.route("/bao-cao/tep")
@requires("view")
def download():
    unit = unit_arg()
    allow("view", unit)
    period = period_arg()
    fmt = format_arg()
    view = api.report_revision(folder(), period, unit, revision_arg())
    path = view.files.get(fmt)
    if path is None:
        abort(404, f"Lần lập này không có tệp {DOWNLOADS[fmt]}.")
    return send_file(path, mimetype=MIMETYPES[fmt], as_attachment=True, download_name=path.name)


def _periods(unit: str) -> list[str]:
    """The periods of the unit that have a recorded report, in order."""
    codes = {record.period for record in api.history(folder(), unit).reports}
    return sorted(codes, key=lambda code: (Period.parse(code).year, Period.parse(code).end_month, code))
