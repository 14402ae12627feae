"""Nộp số liệu: a workbook dropped (or chosen) in the page, checked at once, its draft built when valid.

The upload is written to a folder of its own inside the server's temporary
folder (never into the working folder) under its own file name made safe,
and checked there; the annotated copy is written beside it and offered for
download by a random token, to the account that uploaded it only.  A valid
workbook goes into inputs/ through :func:`reportgen.api.submit`, which runs
the daily job under the run lock: the draft is recorded in the ledger as for
a file dropped there by hand.  Uploads older than :data:`KEEP_SECONDS` are
removed at the next upload.
"""

from __future__ import annotations

import re
import secrets
import shutil
import threading
import time
import unicodedata
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file

from reportgen import api
from reportgen.core.issues import errors_in, notes_in, warnings_in
from reportgen.web.auth import allow, current_account, requires
from reportgen.web.request_params import folder, token_arg, unit_arg, visible_units
from reportgen.writers.html.sheet_page import picture_html

bp = Blueprint("submit", __name__)
KEEP_SECONDS = 3600
_owners: dict[str, tuple[str, float]] = {}
_owners_lock = threading.Lock()
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


@bp.route("/nop-so-lieu", methods=["GET"])
@requires("submit")
def form():
    units = [unit for unit in visible_units() if current_account().may("submit", unit)]
    return render_template("submit.html", units=units, unit=request.args.get("unit", ""), outcome=None)


@bp.route("/nop-so-lieu", methods=["POST"])
@requires("submit")
def upload():
    unit = unit_arg()
    allow("submit", unit)
    sent = request.files.get("workbook")
    if sent is None or not sent.filename:
        abort(400, "Chưa chọn tệp: kéo tệp Excel số liệu vào ô, hoặc bấm “Chọn tệp”.")
    _forget_old(_uploads())
    token = secrets.token_urlsafe(24)
    place = _uploads() / token
    place.mkdir(parents=True)
    path = place / safe_name(sent.filename)
    sent.save(path)
    with _owners_lock:
        _owners[token] = (current_account().name, time.time())
    annotated = place / f"{path.stem}-danh-dau.xlsx"
    current_app.logger.info(
        "upload %s (%d bytes) for unit %r by %s", path.name, path.stat().st_size, unit, current_account().name
    )
    submission = api.submit(folder(), path, unit, annotated)
    checked = submission.checked
    on_cells = submission.picture is not None and bool(submission.picture.sheets)
    picture = picture_html(submission.picture) if on_cells else ""
    outcome = {
        "name": path.name,
        "token": token if checked.annotated and on_cells else "",
        "errors": errors_in(checked.read.issues),
        "warnings": warnings_in(checked.read.issues),
        "notes": notes_in(checked.read.issues),
        # the library's sentence names the server's temporary file: the page says the same without it
        "not_annotated": "Không có bản tô màu: tệp không mở được như một bảng tính Excel."
        if checked.not_annotated
        else "",
        "picture": picture,
        "report": checked.read.report,
        "submission": submission,
        "draft": _draft(submission, unit),
    }
    units = [u for u in visible_units() if current_account().may("submit", u)]
    status = 200 if checked.ok else 422
    return render_template("submit.html", units=units, unit=unit, outcome=outcome), status


@bp.route("/nop-so-lieu/ban-danh-dau/<token>")
@requires("submit")
def annotated_copy(token: str):
    token = token_arg(token)
    with _owners_lock:
        owner = _owners.get(token)
    account = current_account()
    if owner is None or account is None or owner[0] != account.name:
        abort(404, "Tệp tải về không có hoặc đã hết hạn.")
    found = sorted((_uploads() / token).glob("*-danh-dau.xlsx"))
    if not found:
        abort(404, "Tệp tải về không có hoặc đã hết hạn.")
    return send_file(found[0], as_attachment=True, download_name=found[0].name)


def safe_name(name: str) -> str:
    """The uploaded file's own name (its last part only), without characters no file system takes."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")[:120]
    return name or "so-lieu.xlsx"


def _draft(submission, unit: str) -> dict | None:
    """The revision built from this very workbook (matched by its SHA-256), if the run built one."""
    if submission.placed is None:
        return None
    period = submission.checked.read.report.period
    history = api.history(folder(), unit)
    inputs = {row["id"]: row for row in history.inputs}
    for record in reversed(history.reports):
        source = inputs.get(record.input_id)
        if record.period == period.code and source is not None and source["sha256"] == submission.sha256:
            return {"period": period, "revision": record.revision}
    return {"period": period, "revision": None}


def _uploads() -> Path:
    return current_app.config["REPORTGEN"].uploads


def _forget_old(place: Path) -> None:
    now = time.time()
    with _owners_lock:
        old = [token for token, (_name, at) in _owners.items() if now - at > KEEP_SECONDS]
        for token in old:
            del _owners[token]
    for token in old:
        shutil.rmtree(place / token, ignore_errors=True)
