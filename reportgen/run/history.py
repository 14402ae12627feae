"""``reportgen status``: the history kept in the ledger, in Vietnamese, for staff."""

from __future__ import annotations

from datetime import datetime

from reportgen.delivery.ledger import Ledger
from reportgen.core.vnformat import moment
from reportgen.settings.workspace import Workspace

STATUS_WORDS = {
    "queued": "chờ gửi", "held": "giữ lại", "sending": "đang gửi (bị ngắt, sẽ gửi lại)", "sent": "đã gửi",
    "written": "đã ghi .eml", "retry": "chờ gửi lại", "failed": "lỗi", "superseded": "thay bằng bản mới",
    "expired": "quá hạn, không gửi",
}
KIND_WORDS = {"report": "báo cáo", "manual": "gửi tay", "reminder": "nhắc việc", "notice": "thông báo",
              "test": "thư thử"}


def render_status(workspace: Workspace, unit: str | None = None) -> str:
    if not workspace.ledger.exists():
        return f"Chưa có lần chạy nào (chưa có sổ theo dõi {workspace.ledger})."
    with Ledger(workspace.ledger) as ledger:
        return "\n".join(_inputs(ledger, unit) + _reports(ledger, unit) + _messages(ledger, unit) + _runs(ledger))


def _inputs(ledger: Ledger, unit: str | None) -> list[str]:
    lines = ["TỆP SỐ LIỆU ĐÃ NHẬN"]
    for row in ledger.inputs(unit):
        verdict = "hợp lệ" if row["status"] == "valid" else f"{row['errors']} lỗi"
        where = f"[{row['unit']}] " if row["unit"] else ""
        lines.append(f"  {row['seen_at']}  {where}{row['path']}  SHA-256 {row['sha256'][:16]}…  "
                     f"kỳ {row['period'] or '?'}  {verdict}")
    return lines + [""]


def _reports(ledger: Ledger, unit: str | None) -> list[str]:
    lines = ["BÁO CÁO ĐÃ LẬP"]
    for record in ledger.reports(unit):
        where = f"[{record.unit}] " if record.unit else ""
        pdf = record.files.get("pdf", {})
        lines.append(f"  {record.built_at}  {where}{record.period} lần {record.revision}  {pdf.get('path', '')}"
                     f"  SHA-256 {pdf.get('sha256', '')[:16]}…")
    return lines + [""]


def _messages(ledger: Ledger, unit: str | None) -> list[str]:
    lines = ["THƯ"]
    pending = failed = 0
    for message in ledger.messages(unit=unit):
        pending += message.status in ("queued", "held", "retry", "sending")
        failed += message.status == "failed"
        who = message.recipient or "(chưa có người nhận)"
        lines.append(f"  #{message.id} {KIND_WORDS.get(message.kind, message.kind)} → {who}: "
                     f"{STATUS_WORDS.get(message.status, message.status)}, {message.attempts} lần thử"
                     + (f", lúc {message.sent_at}" if message.sent_at else "")
                     + _next_try(message)
                     + (f"; máy chủ: {message.last_reply}" if message.last_reply else ""))
        lines.append(f"      «{message.subject}»  Message-ID {message.message_id}")
    lines.append(f"  Còn chờ: {pending} thư; lỗi: {failed} thư"
                 + (" (sửa rồi chạy «reportgen send --retry-failed»)" if failed else "") + ".")
    return lines + [""]


def _next_try(message) -> str:
    """When a waiting message goes next: its retry time, or its due date."""
    if message.status == "retry" and message.next_attempt:
        return f", thử lại từ {moment(datetime.fromisoformat(message.next_attempt))}"
    if message.status == "queued" and message.not_before:
        return f", gửi lúc {moment(datetime.fromisoformat(message.not_before))} (hạn gửi)"
    return ""


def _runs(ledger: Ledger) -> list[str]:
    lines = ["CÁC LẦN CHẠY GẦN ĐÂY"]
    for row in ledger.runs(10):
        lines.append(f"  {row['started_at']} → {row['finished_at'] or '(bị ngắt)'}  mã thoát {row['status']}")
    return lines
