"""Signing in and out, the idle timeout, the limit on sign-in attempts, and the guard of every route.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Strict) holding the
account's name and the time of its last request; the key that signs them is
made at each start of the server, so a restart signs everyone out.  A session
idle longer than :data:`IDLE_MINUTES` is ended at its next request.

Sign-in attempts are counted per account name and per address: after
:data:`MAX_FAILURES` failures within :data:`WINDOW` the name (or the address)
is refused for the rest of the window, whatever the password, and the page
says how long to wait.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from functools import wraps

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for

from reportgen.web import accounts
from reportgen.web.accounts import ACTION_NAMES, Account

IDLE_MINUTES = 30
MAX_FAILURES = 5
WINDOW = 15 * 60

bp = Blueprint("auth", __name__)


class AttemptLimiter:
    """Failed sign-ins per key (a name, an address) within a sliding window."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait_for(self, *keys: str) -> float:
        """Seconds until any of ``keys`` may try again (0: now)."""
        now = self.clock()
        with self._lock:
            waits = [0.0]
            for key in keys:
                failures = self._failures[key]
                while failures and now - failures[0] > self.window:
                    failures.popleft()
                if len(failures) >= self.limit:
                    waits.append(self.window - (now - failures[0]))
            return max(waits)

    def failed(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures[key].append(self.clock())

    def succeeded(self, name_key: str) -> None:
        with self._lock:
            self._failures.pop(name_key, None)


def current_account() -> Account | None:
    """The signed-in account of this request (the local user on the office PC), or None."""
    return g.get("account")


def load_account() -> None:
    """Before every request: who is asking (and end an idle session)."""
    settings = current_app.config["REPORTGEN"]
    if settings.local_user:
        g.account = accounts.LOCAL
        return
    name, seen = session.get("account"), session.get("seen", 0)
    if name and time.time() - seen > IDLE_MINUTES * 60:
        session.clear()
        session["idle_ended"] = True  # said once, on the sign-in page the next request leads to
        name = None
    entry = accounts.load(settings.root).get(name) if name else None
    g.account = accounts.account_of(entry) if entry else None
    if g.account:
        session["seen"] = int(time.time())


def requires(action: str) -> Callable:
    """A route that needs the signed-in account to be allowed ``action`` (on the unit it names, checked by the
    route through :func:`allow`)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            account = current_account()
            if account is None:
                return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
            if not account.may(action):
                abort(403, f"Tài khoản {account.name} ({account.role_names}) không được {ACTION_NAMES[action]}.")
            return view(*args, **kwargs)

        return guarded

    return decorate


def allow(action: str, unit: str) -> None:
    """Refuse (403) when the signed-in account may not do ``action`` on ``unit``."""
    account = current_account()
    if account is None or not account.may(action, unit):
        who = account.name if account else "khách"
        abort(403, f"Tài khoản {who} không được {ACTION_NAMES[action]} cho đơn vị “{unit or 'của thư mục'}”.")


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():
    settings = current_app.config["REPORTGEN"]
    if settings.local_user:
        return redirect(url_for("overview.overview"))
    message = "Phiên làm việc đã hết hạn vì để lâu không dùng; đăng nhập lại." if session.pop("idle_ended", 0) else ""
    if request.method == "POST":
        name = request.form.get("name", "").strip().lower()[:64]
        keys = (f"name:{name}", f"addr:{request.remote_addr}")
        wait = settings.limiter.wait_for(*keys)
        if wait > 0:
            current_app.logger.warning("sign-in refused (too many failures): %s from %s", name, request.remote_addr)
            message = f"Đăng nhập sai quá {MAX_FAILURES} lần; hãy thử lại sau {int(wait // 60) + 1} phút."
            return render_template("login.html", message=message, name=name), 429
        account = accounts.authenticate(settings.root, name, request.form.get("password", ""))
        if account is None:
            settings.limiter.failed(*keys)
            current_app.logger.info("sign-in failed: %s from %s", name, request.remote_addr)
            return render_template("login.html", message="Sai tên tài khoản hoặc mật khẩu.", name=name), 401
        settings.limiter.succeeded(keys[0])
        session.clear()
        session["account"], session["seen"] = account.name, int(time.time())
        target = request.args.get("next", "")
        # only a path of this site: never "//elsewhere" or "https://…"
        safe = target.startswith("/") and not target.startswith("//") and "\\" not in target
        return redirect(target if safe else url_for("overview.overview"))
    return render_template("login.html", message=message, name="")


@bp.route("/dang-xuat", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("auth.login"))
