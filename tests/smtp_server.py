"""A real SMTP server for tests: aiosmtpd on loopback, in a background thread, with a script.

Plain classes, usable without pytest (the fixtures are in ``smtp_fixtures.py``)::

    from smtp_server import SmtpServer, Reply, Disconnect, Delay

    with SmtpServer(starttls=True, auth=("vanphong@example.vn", "pw")) as server:
        server.script(Reply("connect", "421 4.3.2 Service not available"),
                      Reply("end", "451 4.3.0 Try again later"))   # then it accepts
        mail = server.mail_config()               # a MailConfig pointing here
        ...send three times with tls_context=server.client_context...
        [received] = server.messages              # what was accepted, parsed on demand
        received.message["Subject"]               # email.policy.default: decoded text

What it offers:

- ``starttls=True``: STARTTLS with a self-signed certificate made here (CN/SAN
  "localhost" and 127.0.0.1), required before MAIL; ``ssl=True``: implicit TLS;
  ``server.client_context`` is an ``ssl.SSLContext`` that trusts the certificate.
- ``auth=(user, password)``: AUTH PLAIN/LOGIN required before MAIL (with
  STARTTLS, only offered after it, as real servers do).
- A script, one behaviour per *connection*, in order; when it runs out, the
  server accepts normally.  Behaviours name a stage of the dialogue:
  "connect" (the greeting), "ehlo", "starttls", "auth", "mail", "rcpt",
  "data" (the DATA command; for Disconnect: after "354", in the middle of the
  message) and "end" (after the final ".", before the reply):

  - ``Reply(stage, "451 4.3.0 …")`` answers this instead of going on
    (a 421 also closes the connection, as RFC 5321 says);
  - ``Disconnect(stage)`` closes the connection there;
    ``Disconnect("end", keep=True)`` keeps the message first — the server
    has it but the client never hears so (RFC 1047's duplicate problem);
  - ``Delay(stage, seconds)`` waits, then goes on normally (for client timeouts;
    if the client gives up meanwhile, the message is not kept);
  - ``ACCEPT`` does nothing special (to script "fail, accept, fail").
- ``refuse_recipient(address)``: a lasting 550 to RCPT for one address.
- "Down": a server that is not started (or stopped) refuses connections on its
  port — the port is held from construction, bound but not listening, so a
  test can point the client at ``server.port`` first and ``start()`` later.
  ``script(*[Disconnect("connect")] * n)`` makes the first n connections fail
  while the server is up.

Child processes: ``server.subprocess_env()`` is an environment whose default TLS
context trusts the certificate (SSL_CERT_FILE); in-process code that takes no
``tls_context`` uses the ``trust_smtp_certificate`` fixture instead.

Records: ``messages`` (the inbox: accepted, or kept by ``Disconnect("end",
keep=True)``), ``received`` (every message whose DATA completed, with the
reply given, or "" when the reply was dropped), ``inbox(address)``,
``connections`` (how many were made), ``logins`` (user names that
authenticated — never passwords).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import functools
import ipaddress
import os
import socket
import ssl
import tempfile
import threading
import warnings
from dataclasses import dataclass
from decimal import Decimal
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, Union

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from reportgen.settings.sections import MailConfig

HOST = "127.0.0.1"
STAGES = ("connect", "ehlo", "starttls", "auth", "mail", "rcpt", "data", "end")
_COMMANDS = {"ehlo": "EHLO", "starttls": "STARTTLS", "auth": "AUTH", "mail": "MAIL", "rcpt": "RCPT", "data": "DATA"}


# ------------------------------------------------------------------ certificate ----

@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for "localhost" and 127.0.0.1, as PEM files."""

    cert_path: Path
    key_path: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context (hostname checked) that trusts only this certificate."""
        return ssl.create_default_context(cafile=str(self.cert_path))


def make_certificate(folder: Path) -> Certificate:
    """Write a new self-signed certificate and key into ``folder`` (EC P-256: fast to make)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    san = x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            # Fixed validity, far on both sides: the tests never depend on today's date.
            .not_valid_before(datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc))
            .not_valid_after(datetime.datetime(2100, 1, 1, tzinfo=datetime.timezone.utc))
            .add_extension(san, critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "smtp-test-cert.pem", folder / "smtp-test-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return Certificate(cert_path, key_path)


@functools.lru_cache(maxsize=1)
def shared_certificate() -> Certificate:
    """One certificate per test process, in a temporary folder removed at exit."""
    folder = tempfile.TemporaryDirectory(prefix="reportgen-smtp-cert-")
    _KEEP_ALIVE.append(folder)
    return make_certificate(Path(folder.name))


_KEEP_ALIVE: list[tempfile.TemporaryDirectory] = []


# ------------------------------------------------------------------ behaviours ----

def _check_stage(stage: str) -> None:
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; one of {', '.join(STAGES)}")


@dataclass(frozen=True)
class Reply:
    """At ``stage``, answer ``text`` (e.g. "451 4.3.0 Try again later") instead of going on."""

    stage: str
    text: str

    def __post_init__(self) -> None:
        _check_stage(self.stage)


@dataclass(frozen=True)
class Disconnect:
    """At ``stage``, close the connection; with ``keep`` (stage "end" only) keep the message first."""

    stage: str
    keep: bool = False

    def __post_init__(self) -> None:
        _check_stage(self.stage)
        if self.keep and self.stage != "end":
            raise ValueError("keep=True only makes sense at stage 'end'")


@dataclass(frozen=True)
class Delay:
    """At ``stage``, wait ``seconds`` before answering, then go on normally."""

    stage: str
    seconds: float

    def __post_init__(self) -> None:
        _check_stage(self.stage)


@dataclass(frozen=True)
class Accept:
    """Behave normally on this connection."""

    stage: str = ""


ACCEPT = Accept()
Behaviour = Union[Reply, Disconnect, Delay, Accept]


# ------------------------------------------------------------------ records ----

@dataclass(frozen=True)
class Received:
    """One message whose DATA the server received completely."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    """The bytes as received (dot-unstuffed): for a message from compose(), equal to what was stored."""
    reply: str
    """What the server answered to the end of DATA; "" when the connection was dropped instead."""

    @property
    def kept(self) -> bool:
        """The server has the message: it replied 2xx, or kept it and dropped the reply."""
        return self.reply.startswith("2") or self.reply == ""

    @property
    def message(self) -> EmailMessage:
        """The message parsed with ``email.policy.default`` (headers decoded)."""
        return BytesParser(policy=email_policy.default).parsebytes(self.raw)  # type: ignore[return-value]

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def attachments(self) -> list[tuple[str, bytes]]:
        """(decoded file name, exact bytes) of each attachment."""
        return [(part.get_filename() or "", part.get_content()) for part in self.message.iter_attachments()]


# ------------------------------------------------------------------ the server ----

class SmtpServer:
    """aiosmtpd on 127.0.0.1, on a port held from construction; see the module docstring."""

    def __init__(self, *, starttls: bool = False, ssl: bool = False, auth: tuple[str, str] | None = None,
                 certificate: Certificate | None = None) -> None:
        if starttls and ssl:
            raise ValueError("choose starttls or ssl, not both")
        self.starttls, self.ssl, self.auth = starttls, ssl, auth
        self.certificate = certificate or (shared_certificate() if starttls or ssl else None)
        self.messages: list[Received] = []
        self.received: list[Received] = []
        self.logins: list[str] = []
        self.connections = 0
        self._script: list[Behaviour] = []
        self._refusals: dict[str, str] = {}
        self._lock = threading.Lock()
        self._controller: _Controller | None = None
        self._armed = False
        self._reservation: socket.socket | None = _reserve(0)
        assert self._reservation is not None, "no free port on loopback"
        self.port: int = self._reservation.getsockname()[1]

    # -- lifecycle --

    def start(self) -> "SmtpServer":
        """Listen on ``self.port`` (after being "down"); returns self."""
        if self._controller is not None:
            return self
        self._release()
        controller = _Controller(self, **self._smtp_options())
        controller.start()
        self._controller, self._armed = controller, True
        return self

    def stop(self) -> None:
        """Stop listening; the port stays held, so connections to it are refused ("down")."""
        if self._controller is None:
            return
        self._armed = False
        self._controller.stop()
        self._controller = None
        self._reservation = _reserve(self.port)

    def close(self) -> None:
        """Stop and give the port back."""
        self.stop()
        self._release()

    def __enter__(self) -> "SmtpServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _release(self) -> None:
        if self._reservation is not None:
            self._reservation.close()
            self._reservation = None

    def _smtp_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"server_hostname": "localhost", "hostname": HOST, "port": self.port}
        if self.ssl:
            options["ssl_context"] = self.certificate.server_context()
        if self.starttls:
            options.update(tls_context=self.certificate.server_context(), require_starttls=True)
        if self.auth:
            # aiosmtpd does not count implicit TLS as TLS for AUTH; with STARTTLS, AUTH waits for it.
            options.update(authenticator=_Authenticator(self), auth_required=True,
                           auth_require_tls=self.starttls)
        return options

    # -- the script --

    def script(self, *behaviours: Behaviour) -> "SmtpServer":
        """Queue behaviours, one per coming connection (after those already queued)."""
        with self._lock:
            self._script.extend(behaviours)
        return self

    def refuse_recipient(self, address: str,
                         reply: str = "550 5.1.1 Recipient address rejected: User unknown") -> "SmtpServer":
        """Answer ``reply`` to every RCPT for ``address``, on every connection."""
        self._refusals[address.lower()] = reply
        return self

    def _next_behaviour(self) -> Behaviour:
        """Called in the server thread for each new connection."""
        if not self._armed:  # aiosmtpd's own start-up probe
            return ACCEPT
        with self._lock:
            self.connections += 1
            return self._script.pop(0) if self._script else ACCEPT

    def _record(self, envelope: Any, reply: str) -> None:
        received = Received(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.original_content), reply)
        with self._lock:
            self.received.append(received)
            if received.kept:
                self.messages.append(received)

    # -- for tests --

    @property
    def client_context(self) -> ssl.SSLContext | None:
        """A verifying client context that trusts this server's certificate (None without TLS)."""
        return self.certificate.client_context() if self.certificate else None

    def subprocess_env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment for a child process (``reportgen run`` killed with SIGKILL…) that
        trusts this server's certificate: OpenSSL's default verify paths honour SSL_CERT_FILE,
        so the child's ``ssl.create_default_context()`` verifies against it (and nothing else)."""
        env = dict(os.environ if base is None else base)
        if self.certificate:
            env["SSL_CERT_FILE"] = str(self.certificate.cert_path)
        return env

    def inbox(self, address: str) -> list[Received]:
        """Accepted messages addressed (in the envelope) to ``address``."""
        return [m for m in self.messages if address.lower() in (r.lower() for r in m.rcpt_tos)]

    def mail_config(self, **overrides: Any) -> MailConfig:
        """A MailConfig for this server: short timeout, no retry delay; override anything."""
        security = "starttls" if self.starttls else "ssl" if self.ssl else "none"
        base = MailConfig(host=HOST, port=self.port, security=security, username=self.auth[0] if self.auth else "",
                          sender="vanphong@example.vn", to=("lanhdao@example.vn",), staff="vanphong@example.vn",
                          max_attachment_mb=Decimal(10), timeout=5, retries=3, retry_delay=0)
        return dataclasses.replace(base, **overrides)


def _reserve(port: int) -> socket.socket | None:
    """Bind (without listening) so that connections are refused and no one else takes the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError:  # pragma: no cover - the port was taken meanwhile; it is still not ours to serve
        sock.close()
        return None
    return sock


# ------------------------------------------------------------------ aiosmtpd plumbing ----

class _Controller(Controller):
    """A controller whose every connection gets the next scripted behaviour."""

    def __init__(self, owner: SmtpServer, **options: Any) -> None:
        super().__init__(_Handler(owner), **options)
        self.owner = owner

    def factory(self) -> SMTP:
        with warnings.catch_warnings():
            # "Requiring AUTH while not requiring TLS": intended for implicit TLS (and plain relays).
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            return _ScriptedSMTP(self.handler, behaviour=self.owner._next_behaviour(), **self.SMTP_kwargs)


class _ScriptedSMTP(SMTP):
    """aiosmtpd's SMTP, with the connection's behaviour applied at its stage."""

    def __init__(self, handler: Any, *, behaviour: Behaviour, **options: Any) -> None:
        super().__init__(handler, **options)
        self.behaviour = behaviour
        self.drop_reply = False
        command = _COMMANDS.get(behaviour.stage)
        if command:
            self._smtp_methods[command] = self._scripted(self._smtp_methods[command])

    async def _handle_client(self) -> None:
        behaviour = self.behaviour
        if behaviour.stage == "connect":
            if isinstance(behaviour, Delay):
                await self._wait_before_greeting(behaviour.seconds)
            elif isinstance(behaviour, Reply):
                await self.push(behaviour.text)
                self._hang_up()
                return
            elif isinstance(behaviour, Disconnect):
                self._hang_up()
                return
        await super()._handle_client()

    async def _wait_before_greeting(self, seconds: float) -> None:
        try:
            await asyncio.sleep(seconds)
        except asyncio.CancelledError:  # the client gave up: close our side too (aiosmtpd does
            if self.transport is not None:  # so only once its own command loop has started)
                self.transport.close()
            raise

    def _hang_up(self) -> None:
        """Close the connection and stop reading: without the cancel, aiosmtpd would go on
        parsing what is already buffered (the rest of a message) as commands."""
        self.transport.close()
        self._handler_coroutine.cancel()

    def _scripted(self, command: Any) -> Any:
        async def run(arg: str) -> None:
            behaviour = self.behaviour
            if isinstance(behaviour, Delay):
                await asyncio.sleep(behaviour.seconds)
                await command(arg)
            elif isinstance(behaviour, Reply):
                await self.push(behaviour.text)
                if behaviour.text.startswith("421"):
                    self._hang_up()
            elif behaviour.stage == "data":
                await self._drop_in_the_middle_of_data()
            else:
                self._hang_up()
        return run

    async def _drop_in_the_middle_of_data(self) -> None:
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        await self._reader.readline()  # the message has started to arrive …
        self._hang_up()  # … and the connection goes

    async def push(self, status: Any) -> None:
        if self.drop_reply:  # Disconnect("end"): the reply is never sent
            self._hang_up()
            return
        await super().push(status)


class _Handler:
    """Keeps messages, applies lasting recipient refusals and the "end" stage."""

    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        refusal = self.owner._refusals.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: _ScriptedSMTP, session: Any, envelope: Any) -> str:
        behaviour = server.behaviour
        if behaviour.stage == "end":
            if isinstance(behaviour, Delay):
                await asyncio.sleep(behaviour.seconds)
            elif isinstance(behaviour, Reply):
                self.owner._record(envelope, behaviour.text)
                return behaviour.text
            elif isinstance(behaviour, Disconnect):
                if behaviour.keep:
                    self.owner._record(envelope, "")
                server.drop_reply = True
                return "250 never sent"
        reply = f"250 2.0.0 Ok: queued as {len(self.owner.received) + 1:04X}"
        self.owner._record(envelope, reply)
        return reply


class _Authenticator:
    """Accepts exactly the configured user and password; remembers who logged in."""

    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        user, password = self.owner.auth or ("", "")
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode("utf-8")
              and auth_data.password == password.encode("utf-8"))
        if ok:
            self.owner.logins.append(user)
        return AuthResult(success=ok, handled=False)


__all__ = ["ACCEPT", "Accept", "Behaviour", "Certificate", "Delay", "Disconnect", "HOST", "Received", "Reply",
           "STAGES", "SmtpServer", "make_certificate", "shared_certificate"]
