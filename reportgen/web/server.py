"""``reportgen serve``: the page served by waitress on this PC (or a server), the browser opened on it.

By default the page listens on 127.0.0.1 at a port the system finds free,
prints its address as the first line of output, and opens the browser there.
Bound to any other address (a province server its communes reach), it
refuses to start until accounts exist: on the loopback address without
accounts the PC's own user acts with every role and no password.  Ctrl+C,
SIGTERM and SIGHUP close the listening socket and let the requests in hand
finish before the process ends (waitress's own shutdown); uploads waiting in
the server's temporary folder are removed on the way out.
"""

from __future__ import annotations

import ipaddress
import logging
import shutil
import signal
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from waitress.server import create_server

from reportgen.core.errors import ExitStatus, UsageError
from reportgen.web import accounts
from reportgen.web.flask_app import WebSettings, create_app

THREADS = 8
"""Requests served at once: an upload is checked in its thread, and the builds wait for the run lock in turn."""
LOG = logging.getLogger("reportgen.web")


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 0
    """0: a free port the system chooses."""
    browser: bool = True


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def prepare(root: Path, config: Path | None, options: ServeOptions) -> WebSettings:
    """The page's settings, or :class:`UsageError` when it may not start as asked."""
    local = is_loopback(options.host)
    has_accounts = bool(accounts.load(root))
    if not local and not has_accounts:
        raise UsageError(
            f"Không mở trang web trên địa chỉ {options.host} khi chưa có tài khoản nào: ai trong mạng cũng sẽ vào "
            "được. Tạo tài khoản trước, ví dụ: reportgen users add nguyen.van.a --role chuyen_vien --unit hoanh-mo "
            "(vai trò: chuyen_vien, lanh_dao, van_thu, tong_hop), rồi chạy lại."
        )
    uploads = Path(tempfile.mkdtemp(prefix="reportgen-web-"))
    return WebSettings(root, config, local_user=local and not has_accounts, uploads=uploads)


def serve(root: Path, config: Path | None, options: ServeOptions, say: Callable[[str], None] = print) -> ExitStatus:
    """Serve the page until Ctrl+C or SIGTERM; ``say`` is told the address first, then what happens."""
    settings = prepare(root, config, options)
    app = create_app(settings)
    server = create_server(app, host=options.host, port=options.port, threads=THREADS, ident="reportgen")
    host = f"[{options.host}]" if ":" in options.host else options.host
    address = f"http://{host}:{server.effective_port}/"
    say(address)
    say(f"Trang web của reportgen cho thư mục {settings.root} đang chạy. Nhấn Ctrl+C để dừng.")
    if not settings.local_user:
        say("Trang yêu cầu đăng nhập (đã có tài khoản).")
    if options.browser:
        threading.Thread(target=_open_browser, args=(address,), daemon=True).start()
    stop = _StopOnSignals(server)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stop.restore()
        server.close()
        if settings.uploads is not None:
            shutil.rmtree(settings.uploads, ignore_errors=True)
    say("Đã dừng trang web.")
    return ExitStatus.SUCCESS


def _open_browser(address: str) -> None:
    try:
        webbrowser.open(address)
    except Exception:  # noqa: BLE001 - no browser is no reason to stop serving
        LOG.info("no browser opened for %s", address)


class _StopOnSignals:
    """SIGTERM and SIGHUP end the serving loop as Ctrl+C does (the main thread only can set handlers)."""

    def __init__(self, server) -> None:
        self.previous: dict[int, Any] = {}
        if threading.current_thread() is not threading.main_thread():
            return
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                number = getattr(signal, name)
                self.previous[number] = signal.signal(number, self._stop)

    @staticmethod
    def _stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    def restore(self) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)
