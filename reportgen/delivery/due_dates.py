"""When a report is due: the deadline of a period, the first day of its reminder, the period running now, the
last one due.

The functions take the current time as an argument (``now``) and never read the clock, so tests and
``reportgen run --now`` can walk a simulated year.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from reportgen.core.periods import Period
from reportgen.settings.sections import ScheduleConfig


def run_time(schedule: ScheduleConfig) -> tuple[int, int]:
    """(hour, minute) of ``schedule.time`` ("7:00" and "07:00" alike; the config loader checked the format)."""
    hour, minute = schedule.time.strip().split(":")
    return int(hour), int(minute)


def due_at(period: Period, schedule: ScheduleConfig) -> datetime:
    """The deadline of ``period``: ``due_day`` of its last month at ``schedule.time`` (local time)."""
    hour, minute = run_time(schedule)
    return datetime(period.year, period.end_month, schedule.due_day, hour, minute)


def reminder_from(period: Period, schedule: ScheduleConfig) -> datetime:
    """From this moment a still-missing workbook for ``period`` triggers the (single) reminder."""
    return due_at(period, schedule) - timedelta(days=schedule.remind_days_before)


def current_period(now: datetime) -> Period:
    """The reporting period running at ``now``: its month (reports are monthly)."""
    return Period.month(now.year, now.month)


def last_due(moment: datetime, schedule: ScheduleConfig) -> Period:
    """The month whose report was last due at ``moment`` (this month once its due day has passed, else an
    earlier one)."""
    year, month = moment.year, moment.month
    while due_at(Period.month(year, month), schedule) > moment:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return Period.month(year, month)
