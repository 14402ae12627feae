"""The errors of signing and verifying: what went wrong, said so that the văn thư can act on it."""

from __future__ import annotations

from reportgen.core.errors import ReportgenError


class SigningError(ReportgenError):
    """A document could not be signed (wrong PIN, token absent, expired certificate…); nothing was written."""


class VerificationError(ReportgenError):
    """A file could not be checked at all (not a PDF, unreadable); a bad signature is a result, not this."""
