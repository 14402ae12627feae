"""The Flask application of the local web page: its settings, its security, its error pages.

Every response carries a Content-Security-Policy allowing nothing but this
site's own files (no inline script or style, no framing, forms posting here
only), ``X-Frame-Options: DENY`` and ``nosniff``; pages are not cached.
Every form carries a CSRF token (Flask-WTF); a request without a valid one is
refused with a Vietnamese page.  An upload larger than the reader's file-size
limit is refused before it is read.  Whatever fails, the page shows a
Vietnamese message and never a traceback: an expected failure of the library
(:class:`~reportgen.core.errors.ReportgenError`) is shown with its own words,
anything else as "unexpected", with the details in the server's log.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import Flask, abort, current_app, render_template, request, send_file
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from reportgen import api
from reportgen.core.errors import ReportgenError
from reportgen.core.vnformat import moment
from reportgen.settings.limits import MB, limits_from_config
from reportgen.web import auth, pages_issue, pages_overview, pages_report, pages_settings, pages_submit, pages_summary
from reportgen.web.request_params import unit_name
from reportgen.writers.html.page import ASSETS

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
LOG = logging.getLogger("reportgen.web")


@dataclass
class WebSettings:
    root: Path
    config: Path | None = None
    local_user: bool = False
    """No accounts on the loopback address: the PC's user, with every role, and no sign-in."""
    limiter: auth.AttemptLimiter = field(default_factory=auth.AttemptLimiter)
    uploads: Path | None = None
    """Where uploads and annotated copies wait (a temporary folder of the server's)."""

    def folder(self):
        return api.open_folder(self.root, self.config)


def create_app(settings: WebSettings, secret_key: str | None = None) -> Flask:
    app = Flask("reportgen.web", static_folder="static", template_folder="templates")
    app.root_path = str(Path(__file__).parent)
    max_mb = limits_from_config(settings.folder().config).max_file_mb
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_hex(32),
        REPORTGEN=settings,
        REPORTGEN_MAX_MB=max_mb,
        MAX_CONTENT_LENGTH=max_mb * MB + 64 * 1024,  # the file plus the form around it
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="reportgen",
        WTF_CSRF_TIME_LIMIT=None,  # the session's own idle timeout bounds it
        WTF_CSRF_SSL_STRICT=False,  # plain HTTP on the office's network; the token is what counts
        TEMPLATES_AUTO_RELOAD=False,
    )
    CSRFProtect(app)
    app.before_request(auth.load_account)
    app.after_request(_headers)
    for blueprint in (
        auth.bp,
        pages_overview.bp,
        pages_submit.bp,
        pages_report.bp,
        pages_issue.bp,
        pages_settings.bp,
        pages_summary.bp,
    ):
        app.register_blueprint(blueprint)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ReportgenError, _library_error)
    app.register_error_handler(Exception, _unexpected)
    app.add_url_rule("/tai-nguyen/<path:name>", "asset", _asset)
    app.jinja_env.globals.update(
        unit_name=unit_name, account=auth.current_account, unit_count=lambda: len(settings.folder().units)
    )
    app.jinja_env.filters["moment"] = _moment
    app.jinja_env.filters["first_upper"] = lambda text: text[:1].upper() + text[1:] if text else ""
    return app


def _moment(value: str | None) -> str:
    """A ledger's ISO time as a receipt writes it: '16:57 ngày 03/12/2026' (the text itself if not a time)."""
    if not value:
        return ""
    try:
        return moment(datetime.fromisoformat(value))
    except ValueError:
        return value


def _asset(name: str):
    """The report stylesheets and the chart font, from the package (the only names served)."""
    if name not in ASSETS:
        abort(404)
    resource = ASSETS[name]
    mimetype = "text/css" if name.endswith(".css") else "font/ttf"
    return send_file(Path(str(resource)), mimetype=mimetype, max_age=3600)


def _headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if not request.path.startswith(("/static/", "/tai-nguyen/")):
        response.headers["Cache-Control"] = "no-store"
    return response


def _error_page(title: str, message: str, status: int):
    return render_template("error.html", title=title, message=message), status


def _csrf_refused(error: CSRFError):
    LOG.warning("CSRF refused on %s: %s", request.path, error.description)
    return _error_page(
        "Biểu mẫu đã hết hạn",
        "Trang này đã mở quá lâu hoặc được gửi từ nơi khác, nên không được chấp nhận. Hãy tải lại trang rồi làm lại.",
        400,
    )


def _too_large(_error):
    limit = current_app.config["REPORTGEN_MAX_MB"]
    return _error_page(
        "Tệp quá lớn",
        f"Tệp tải lên lớn hơn giới hạn {limit} MB của tệp Excel số liệu ([limits] max_file_mb trong "
        "reportgen.toml). Tệp số liệu của một kỳ thường chỉ vài trăm KB: kiểm tra lại có chọn nhầm tệp không.",
        413,
    )


_TITLES = {400: "Yêu cầu không hợp lệ", 403: "Không có quyền", 404: "Không tìm thấy", 405: "Không làm được"}


def _http_error(error: HTTPException):
    status = error.code or 500
    default = {
        404: "Trang hoặc tệp này không có. Quay lại Tổng quan.",
        405: "Trang này không nhận yêu cầu kiểu đó.",
    }.get(status, "Yêu cầu không làm được.")
    description = error.description if isinstance(error.description, str) and _vietnamese(error.description) else ""
    return _error_page(_TITLES.get(status, "Lỗi"), description or default, status)


def _library_error(error: ReportgenError):
    LOG.info("refused: %s", error)
    return _error_page("Không làm được", str(error), 400)


def _unexpected(error: Exception):
    LOG.exception("unexpected error on %s %s", request.method, request.path)
    return _error_page(
        "Lỗi không mong đợi",
        f"Có lỗi không mong đợi ({type(error).__name__}); chi tiết đã ghi vào nhật ký của máy chủ. "
        "Hãy thử lại; nếu vẫn lỗi, gửi nhật ký cho người hỗ trợ.",
        500,
    )


def _vietnamese(text: str) -> bool:
    """Werkzeug's own descriptions are English; the page's own refusals carry Vietnamese letters."""
    return any(ch in text for ch in "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
