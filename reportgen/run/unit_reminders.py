"""A unit's reminders: one before the due day when the month's workbook is missing, one notice after it.

Part of :class:`reportgen.run.unit_job.UnitJob` (which owns the unit's workspace, ledger, composer and
receipt); kept apart because when to remind is a concern of its own.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from functools import cached_property
from pathlib import Path

from reportgen.core.periods import Period
from reportgen.core.vnformat import moment
from reportgen.delivery.composer import Composer, Outgoing
from reportgen.delivery.due_dates import current_period, due_at, reminder_from
from reportgen.delivery.inbox import Inbox
from reportgen.delivery.ledger import Ledger
from reportgen.delivery.receipt import RunLog
from reportgen.settings.config import Config
from reportgen.settings.workspace import Workspace


class UnitReminders:
    """Reminders and overdue notices to the unit's staff ([mail] staff)."""

    unit: str
    ws: Workspace
    config: Config
    ledger: Ledger
    now: datetime
    log: RunLog
    composer: Composer
    prefix: str

    # What the job provides (reportgen.run.unit_job.UnitJob); named here for readers and type checkers.
    @property
    def inbox(self) -> Inbox:
        raise NotImplementedError

    def shown(self, path: Path) -> str:
        raise NotImplementedError

    def staff_reachable(self) -> bool:
        raise NotImplementedError

    def queue(
        self,
        db: sqlite3.Connection,
        message: Outgoing,
        *,
        period: str | None,
        report_id: int | None = None,
        not_before: datetime | None = None,
        status: str = "queued",
        due: datetime | None = None,
    ) -> int | None:
        raise NotImplementedError

    @cached_property
    def reports(self) -> bool:
        """Whether this unit is expected to report (and so is reminded).  Each [units.*] unit is; the folder's
        own unit is when the folder has no [units], when [unit] reports = true, or — without that key — once
        it has had a workbook of its own.  A province folder where only its communes report is left alone."""
        if self.unit or not self.ws.config.units:
            return True
        if self.config.unit.reports is not None:
            return self.config.unit.reports
        return bool(self.inbox.workbooks) or self.ledger.has_any_valid_input(self.unit)

    def remind(self) -> None:
        """One reminder before the due day if the month's workbook is missing; one notice after it."""
        if not self.reports:
            return
        period = current_period(self.now)
        due = due_at(period, self.config.schedule)
        if self.now >= due:
            self._overdue(period, due)
            return
        previous = Period.month(period.year - (period.end_month == 1), (period.end_month - 2) % 12 + 1)
        self._overdue(previous, due_at(previous, self.config.schedule))
        if self.now >= reminder_from(period, self.config.schedule) and not self._has_input(period):
            self._notify(
                self.composer.reminder(
                    unit_key=self.unit,
                    period=period,
                    due=due,
                    workbook=self._expected(period),
                    command=self.new_command(period),
                ),
                period,
                due,
            )
            self.log.todo.append(
                f"{self.prefix}Chưa có {self._expected(period)} (hạn {moment(due)}): "
                f"chạy «{self.new_command(period)}» rồi nhập số liệu." + self._dropped_note(period)
            )

    def new_command(self, period: Period) -> str:
        return f"reportgen new {period.code}" + (f" --unit {self.unit}" if self.unit else "")

    def _overdue(self, period: Period, due: datetime) -> None:
        if self.now < due or self._has_input(period) or not self._reported_before(period):
            return
        self._notify(
            self.composer.overdue(
                unit_key=self.unit,
                period=period,
                due=due,
                workbook=self._expected(period),
                command=self.new_command(period),
            ),
            period,
            due,
        )
        self.log.todo.append(
            f"{self.prefix}Quá hạn: chưa có báo cáo {period.label_with_year} "
            f"(hạn {moment(due)}); cần {self._expected(period)}." + self._dropped_note(period)
        )

    def _dropped_note(self, period: Period) -> str:
        """A file meant for the period that could not be used: the reminder points at it."""
        found = self.inbox.dropped_for(period)
        if not found:
            return ""
        names = ", ".join(self.shown(d.path) for d in found)
        return f" Trong inputs/ có {names} nhưng chưa dùng được: {found[0].fix}"

    def _reported_before(self, period: Period) -> bool:
        # Overdue notices only for periods the folder is actually reporting: the ledger has seen an
        # earlier workbook (a new folder is not told off for the months before it existed).
        return any(row["period"] and row["period"] < period.code for row in self.ledger.inputs(self.unit))

    def _notify(self, message: Outgoing, period: Period, due: datetime) -> None:
        if not self.staff_reachable():
            return
        with self.ledger.transaction() as db:
            self.queue(db, message, period=period.code, due=due)

    def _has_input(self, period: Period) -> bool:
        return self.ledger.has_valid_input(self.unit, period.code)

    def _expected(self, period: Period) -> str:
        return self.shown(self.ws.inputs / f"{period.code}.xlsx")
