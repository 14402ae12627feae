"""pytest fixtures around :mod:`smtp_server`.  A test module imports them all (pytest finds a
fixture, and the fixtures it depends on, by name in the test module)::

    from smtp_fixtures import *  # noqa: F401,F403  (pytest fixtures, SMTP_USER, SMTP_PASSWORD)

    def test_something(starttls_server):
        mail = starttls_server.mail_config()
        send(..., mail=mail, password=SMTP_PASSWORD, tls_context=starttls_server.client_context)
        assert starttls_server.messages[0].message["Subject"] == "…"

Every server is on 127.0.0.1, on its own free port, stopped and released at teardown.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from smtp_server import Certificate, SmtpServer, make_certificate

SMTP_USER = "vanphong@example.vn"
SMTP_PASSWORD = "Pw-7f2a-chi-de-thu"
"""The password the authenticating servers accept (ASCII: smtplib sends credentials as ASCII)."""


@pytest.fixture(scope="session")
def smtp_certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """The self-signed certificate ("localhost", 127.0.0.1) of this test session."""
    return make_certificate(tmp_path_factory.mktemp("smtp-cert"))


@pytest.fixture
def smtp_server_factory(smtp_certificate: Certificate) -> Iterator[Callable[..., SmtpServer]]:
    """``make(starttls=…, ssl=…, auth=…, start=True)`` → a server, closed at teardown.
    ``start=False`` gives one that is down (its port refuses connections) until ``.start()``."""
    servers: list[SmtpServer] = []

    def make(*, start: bool = True, **options: Any) -> SmtpServer:
        if options.get("starttls") or options.get("ssl"):
            options.setdefault("certificate", smtp_certificate)
        server = SmtpServer(**options)
        servers.append(server)
        return server.start() if start else server

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def smtp_server(smtp_server_factory: Callable[..., SmtpServer]) -> SmtpServer:
    """Plain SMTP, no TLS, no AUTH (an office relay)."""
    return smtp_server_factory()


@pytest.fixture
def starttls_server(smtp_server_factory: Callable[..., SmtpServer]) -> SmtpServer:
    """STARTTLS required, then AUTH (SMTP_USER / SMTP_PASSWORD) required: like port 587 of a mail provider."""
    return smtp_server_factory(starttls=True, auth=(SMTP_USER, SMTP_PASSWORD))


@pytest.fixture
def ssl_server(smtp_server_factory: Callable[..., SmtpServer]) -> SmtpServer:
    """Implicit TLS, AUTH required: like port 465."""
    return smtp_server_factory(ssl=True, auth=(SMTP_USER, SMTP_PASSWORD))


@pytest.fixture
def trust_smtp_certificate(monkeypatch: pytest.MonkeyPatch, smtp_certificate: Certificate) -> Certificate:
    """Make reportgen's default TLS context trust the test certificate, for code paths (the runner,
    the CLI) that do not take a ``tls_context`` argument.  Verification stays on."""
    from reportgen.delivery.mail import transport

    monkeypatch.setattr(transport, "default_tls_context", smtp_certificate.client_context)
    return smtp_certificate


__all__ = ["SMTP_PASSWORD", "SMTP_USER", "smtp_certificate", "smtp_server", "smtp_server_factory", "ssl_server",
           "starttls_server", "trust_smtp_certificate"]
