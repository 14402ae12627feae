"""A timestamp server (RFC 3161 over HTTP) on 127.0.0.1 for the PAdES B-T tests.

The HTTP side is the standard library's; the time-stamp tokens are made by
pyHanko's ``DummyTimeStamper`` (a TSA in-process, signing with the test TSA's
certificate from :mod:`tests.pki`), so the signing code talks to a real server
over a real socket, exactly as to an office's timestamp server.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import tsp
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from pki import Pki


class TsaServer:
    def __init__(self, pki: Pki) -> None:
        stamper = DummyTimeStamper(pki.tsa.asn1_cert(), pki.tsa.asn1_key(),
                                   certs_to_embed=SimpleCertificateStore.from_certs([pki.ca.asn1_cert()]))
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415)
                    return
                reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                server.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def __enter__(self) -> "TsaServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=10)
