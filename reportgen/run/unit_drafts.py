"""Who a unit's new report goes to, and what the receipt says about its approval.

With [issue] approval = true a report built by a run is a draft: it goes to its reviewers only, and
waits for the signer's approval and the văn thư's issue; without it, the report goes to [mail] to.
Part of :class:`reportgen.run.unit_job.UnitJob` (which owns the unit's configuration, ledger and receipt).
"""

from __future__ import annotations

import sqlite3

from reportgen.core.periods import Period
from reportgen.delivery.composer import Composer
from reportgen.delivery.ledger import Ledger, ReportRecord
from reportgen.delivery.receipt import RunLog
from reportgen.settings.config import Config


class UnitDrafts:
    """The recipients of a new report, and the receipt's lines about approving it."""

    unit: str
    config: Config
    ledger: Ledger
    log: RunLog
    composer: Composer
    prefix: str

    def report_recipients(self, sample: bool) -> list[str]:
        """Who gets a report by mail: [mail] to — or, for sample data, staff only; for a draft (the unit's
        reports are approved first), its reviewers ([issue] review_to, else staff).  "" = an .eml to address
        by hand, when no mail server is configured."""
        if self.composer.outbox_only:
            return [""]
        if sample:
            return [self.config.mail.staff] if self.config.mail.staff else []
        if self.config.issue.approval:
            reviewers = self.config.issue.review_to or ((self.config.mail.staff,) if self.config.mail.staff else ())
            return list(reviewers)
        return list(self.config.mail.to)

    def approve_command(self, period: Period) -> str:
        return f"reportgen approve {period.code}" + (f" --unit {self.unit}" if self.unit else "") + ' --by "Họ tên"'

    def approval_notes(self, db: sqlite3.Connection, record: ReportRecord, period: Period) -> None:
        """What the receipt says about approval: a new draft waits for it (again, when the revision it replaces
        was approved; with a new number, when it corrects an issued report), or, once per working folder
        without an [issue] table, how to turn it on."""
        if not self.config.issue.approval:
            if not self.config.issue.declared and self.ledger.once(db, "issue_hint"):
                self.log.todo.append(
                    "Báo cáo đang được gửi thẳng cho người nhận vào ngày đến hạn, không qua duyệt. Để người ký duyệt "
                    "dự thảo rồi mới cấp số, ký số và gửi (Nghị định 30/2020), thêm vào reportgen.toml:\n"
                    '  [issue]\n  approval = true\n  review_to = ["lanhdao@example.vn"]\n(xem docs/ky-so.md).'
                )
            return
        earlier = self.ledger.report(record.replaces) if record.replaces else None
        issued = self.ledger.latest_issued(self.unit, period.code)
        approved = earlier is not None and self.ledger.approval_of(
            earlier.id, earlier.files.get("pdf", {}).get("sha256", "")
        )
        why = ""
        if issued is not None:
            why = (
                f" Bản này sửa Báo cáo số {issued.number_symbol} đã ban hành: khi ban hành, bản này có số mới và "
                f"ghi thay thế Báo cáo số {issued.number_symbol}."
            )
        elif earlier is not None and approved and not self.ledger.issued_of_report(earlier.id):
            why = f" Số liệu đã đổi sau khi bản {earlier.revision} được duyệt, nên cần duyệt lại."
        self.log.todo.append(
            f"{self.prefix}Dự thảo báo cáo {period.label_with_year} (bản {record.revision}) chờ duyệt: "
            f"{self.approve_command(period)}, rồi văn thư chạy «reportgen issue {period.code}"
            + (f" --unit {self.unit}" if self.unit else "")
            + "» để cấp số, ký số và gửi."
            + why
        )
