"""What one read of a workbook is given besides the file: its limits and what to compare it with.

The reader checks a workbook against the working folder it belongs to: the
document symbol configured for its unit (a "Số văn bản" typed in full, with
another symbol, gets a warning) and today's date (a period more than a year
ahead is a typo).  :func:`read_settings` takes them from a loaded
configuration; tests give them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reportgen.settings.limits import Limits, limits_from_config


@dataclass(frozen=True)
class ReadSettings:
    limits: Limits = field(default_factory=Limits)
    doc_symbol: str | None = None
    """The unit's document symbol ("BC-UBND"); None: not compared."""
    today: date | None = None
    """The date the workbook is read on; None: the computer's clock."""

    def today_or_now(self) -> date:
        return self.today or date.today()


def read_settings(config: Any, today: date | None = None) -> ReadSettings:
    """The settings of a loaded :class:`reportgen.settings.config.Config` (of one unit, when the folder has several)."""
    unit = getattr(config, "unit", None)
    return ReadSettings(limits_from_config(config), getattr(unit, "doc_symbol", None) or None, today)


def as_settings(given: Limits | ReadSettings) -> ReadSettings:
    """Callers may still pass bare :class:`Limits`."""
    return given if isinstance(given, ReadSettings) else ReadSettings(given)
