"""The fixtures of the signing tests, loaded by ``pytest_plugins = ("signing_fixtures",)`` in their modules.

The keys, certificates, token and timestamp server are real (tests/pki.py,
tests/pkcs11_token.py, tests/tsa_server.py); the report to sign is the bundled
example written by reportgen's own PDF writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, example_report
from pkcs11_token import Tokens, make_tokens
from pki import Pki, make_pki
from stamp_images import seal_png, signature_png
from tsa_server import TsaServer
from reportgen.domain.assess import assess
from reportgen.settings.config import load_config
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.model import SignatureBlock
from reportgen.issuance import SignerLines
from reportgen.writers.pdf.pdf_writer import PdfWriter
from pypdf import PdfReader
from signed_pages import text_lines


@dataclass(frozen=True)
class Report:
    pdf: Path
    lines: SignerLines
    page: int
    """The page that holds the signature block, found by poppler (not by the code under test)."""


@dataclass(frozen=True)
class Images:
    signature: Path
    seal: Path


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def images(tmp_path_factory) -> Images:
    folder = tmp_path_factory.mktemp("images")
    return Images(signature_png(folder / "chu-ky.png"), seal_png(folder / "con-dau.png"))


@pytest.fixture(scope="session")
def report(tmp_path_factory) -> Report:
    """The example report as reportgen's PDF writer lays it out, and its signature block's lines."""
    example = example_report()
    document = build_document(example, assess(example), load_config(ROOT / "reportgen.toml"),
                              BuildOptions(charts=False))
    block = next(b for b in document.blocks() if isinstance(b, SignatureBlock))
    path = tmp_path_factory.mktemp("report") / "bao-cao-2023-06.pdf"
    PdfWriter().write(document, path)
    pages = len(PdfReader(path).pages)
    page = next(n for n in range(1, pages + 1) if any(line.text == block.name for line in text_lines(path, n)))
    return Report(path, SignerLines.of(block), page)


@pytest.fixture(scope="session")
def tokens(tmp_path_factory, pki) -> Tokens:
    return make_tokens(tmp_path_factory.mktemp("tokens"), pki.signer, pki.office, pki.ca)


@pytest.fixture
def softhsm(tokens, monkeypatch) -> Tokens:
    """The two tokens, plugged in."""
    monkeypatch.setenv("SOFTHSM2_CONF", str(tokens.conf))
    return tokens


@pytest.fixture(scope="session")
def tsa(pki):
    with TsaServer(pki) as server:
        yield server
