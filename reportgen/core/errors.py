"""Exit statuses and the exception hierarchy.

Every error the library raises on purpose is a :class:`ReportgenError` carrying
its exit status, so the CLI maps errors to statuses in exactly one place
(``cli.main``).  Messages are written for office staff, in Vietnamese, and say
what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from reportgen.core.issues import Issue


class ExitStatus(IntEnum):
    """Process exit statuses, one per kind of failure, the same for every command (listed in the README).
    Never reuse errno values."""

    SUCCESS = 0
    ERROR = 1
    USAGE = 2
    INVALID_INPUT = 3
    CONFIG = 4
    RENDER = 5
    DELIVERY = 6
    INTERRUPTED = 130
    """Ctrl+C."""
    TERMINATED = 143
    """SIGTERM or SIGHUP (128 + 15, as a shell reports a process ended by SIGTERM)."""


class ReportgenError(Exception):
    """Base of every expected failure; ``str(err)`` is shown to the user."""

    exit_status: ExitStatus = ExitStatus.ERROR


class UsageError(ReportgenError):
    """The command was called in a way that cannot work (bad period, missing file)."""

    exit_status = ExitStatus.USAGE


class ConfigError(ReportgenError):
    """reportgen.toml is missing a key, has a wrong type, or cannot be parsed."""

    exit_status = ExitStatus.CONFIG

    def __init__(self, path: object, key: str | None, message: str) -> None:
        self.path = str(path)
        self.key = key
        self.detail = message
        super().__init__(f"Cấu hình {self.path}{_where(key)}: {message}")


def _where(key: str | None) -> str:
    """'mail.port' → ', mục [mail], khóa “port”'; 'mail' → ', mục [mail]'."""
    if not key:
        return ""
    section, _, name = key.partition(".")
    return f", mục [{section}]" + (f", khóa “{name}”" if name else "")


class InputError(ReportgenError):
    """The input workbook cannot be used; carries every problem found."""

    exit_status = ExitStatus.INVALID_INPUT

    def __init__(self, issues: Sequence[Issue], path: object = None) -> None:
        self.issues = list(issues)
        self.path = path
        errors = [i for i in self.issues if i.is_error]
        head = f"Tệp {path}: " if path else ""
        super().__init__(head + f"{len(errors)} lỗi, không lập được báo cáo.\n" + "\n".join(str(i) for i in errors))


class RenderError(ReportgenError):
    """A template, chart or writer failed, or a written file failed its read-back check."""

    exit_status = ExitStatus.RENDER


class DeliveryError(ReportgenError):
    """Reports were written, but mail could not be delivered."""

    exit_status = ExitStatus.DELIVERY
