"""The errors of signing and verifying: what went wrong, said so that the văn thư can act on it."""

from __future__ import annotations

from reportgen.core.errors import ExitStatus, ReportgenError


class SigningError(ReportgenError):
    """A document could not be signed (wrong PIN, token absent, expired certificate…); nothing was written."""


class VerificationError(ReportgenError):
    """A file could not be checked at all (not a PDF, unreadable); a bad signature is a result, not this."""


class IssueRefused(ReportgenError):
    """An approval or an issue that the register and the ledger do not allow (not approved, a number taken, a
    date before the approval…): nothing was recorded, no number consumed; the message says what to do."""

    exit_status = ExitStatus.USAGE
