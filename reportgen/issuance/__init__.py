"""Issuing a report as a Vietnamese office does: signing, verifying, the register of outgoing documents.

pyHanko is imported here and nowhere else in reportgen.  What the issue and
approve flows call:

- :func:`sign_pdf` — sign an unsigned issued PDF with the signer's key and, when
  configured, the office's (PAdES B-B, or B-T with a timestamp server), the
  signature and seal images placed per Decree 30, Phụ lục I;
- :func:`verify_pdf` and :func:`render_verification` — every signature of a PDF:
  who, issuer, when, intact, trusted;
- :func:`write_register` — the Sổ đăng ký văn bản đi (Phụ lục IV) as .xlsx and .pdf.
"""

from __future__ import annotations

import logging

from reportgen.issuance.placement import SignerLines
from reportgen.issuance.register_files import write_register
from reportgen.issuance.signing import SignatureMade, SignedInfo, sign_pdf
from reportgen.issuance.signing_errors import SigningError, VerificationError
from reportgen.issuance.signing_setup import OFFICE, SIGNER, KeySpec, Secrets, SignSettings, trust_roots_of
from reportgen.issuance.verification import SignatureReport, all_good, render_verification, verify_pdf

# pyHanko logs what it recovers from (an unbuildable certificate path is a result here, not an accident) with
# tracebacks; without a handler of the application's, Python would print them on the console of staff.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

__all__ = [
    "OFFICE",
    "SIGNER",
    "KeySpec",
    "Secrets",
    "SignSettings",
    "SignatureMade",
    "SignatureReport",
    "SignedInfo",
    "SignerLines",
    "SigningError",
    "VerificationError",
    "all_good",
    "render_verification",
    "sign_pdf",
    "trust_roots_of",
    "verify_pdf",
    "write_register",
]
