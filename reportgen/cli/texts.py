"""What the commands print: a workbook's problems and assessment, the history, in Vietnamese for staff.

Plain text for a terminal and a schedule's log; the web page shows the same
results as HTML.  Each function takes a result of :mod:`reportgen.api`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from reportgen.core.issues import Issue, errors_in, notes_in, warnings_in
from reportgen.core.vnformat import moment, short_date, vn_num, vn_pct
from reportgen.document.table import points_text
from reportgen.domain.assess import Assessment, AssessmentResult, Measure
from reportgen.domain.headline import summary_line

if TYPE_CHECKING:  # only the types: importing the check would import the workbook reader at every start
    from reportgen.report.check import CheckResult
    from reportgen.run.history import History


# ------------------------------------------------------------------ reportgen check ----


def render_check(result: CheckResult) -> str:
    lines = [f"Tệp: {result.path}"]
    report = result.read.report
    if report is not None:
        sample = " — DỮ LIỆU MẪU" if report.info.sample else ""
        lines.append(f"SHA-256: {report.sha256}")
        lines.append(f"Kỳ báo cáo: {report.period.label_with_year}{sample}")
        lines.append(
            f"{len(report.indicators)} chỉ tiêu · {len(report.projects)} công trình · "
            f"{len(report.remarks)} đoạn nhận định"
        )
    lines.append("")
    lines.extend(render_issues(result.read.issues, annotate_hint=result.annotated is None and not result.not_annotated))
    if result.assessment is not None:
        lines.append("")
        lines.extend(render_assessment(result.assessment))
    if result.annotated is not None:
        lines.append("")
        lines.append(f"Đã ghi bản đánh dấu lỗi: {result.annotated}")
    if result.not_annotated:
        lines.append("")
        lines.append(result.not_annotated)
    return "\n".join(lines)


def render_issues(issues: tuple[Issue, ...] | list[Issue], annotate_hint: bool = True) -> list[str]:
    """The problems, errors and warnings apart.  The advice to ask for a coloured copy is given only where
    one can help: the workbook could be read (the problems sit on cells) and no copy was asked for yet."""
    errors, warnings = errors_in(issues), warnings_in(issues)
    lines = [f"Lỗi ({len(errors)}):" if errors else "Không có lỗi."]
    lines += [f"  {n}. {issue}" for n, issue in enumerate(errors, 1)]
    if warnings:
        lines.append(f"Cảnh báo ({len(warnings)}):")
        lines += [f"  {n}. {issue}" for n, issue in enumerate(warnings, 1)]
    notes = notes_in(issues)
    if notes:
        lines.append(f"Ghi chú ({len(notes)}):")
        lines += [f"  {n}. {issue}" for n, issue in enumerate(notes, 1)]
    if errors:
        lines.append("")
        advice = "Sửa các lỗi trên trong tệp Excel rồi chạy lại."
        if annotate_hint and any(issue.sheet for issue in errors):
            advice += " Thêm --annotate BAN_DANH_DAU.xlsx để có bản tô màu các ô lỗi."
        lines.append(advice)
    return lines


_COLUMNS = (
    ("Mã", 6),
    ("Chỉ tiêu", 34),
    ("ĐVT", 10),
    ("Kế hoạch năm", 16),
    ("Thực hiện", 11),
    ("% KH", 10),
    ("So cùng kỳ", 14),
    ("Đánh giá", 17),
)


def render_assessment(result: AssessmentResult) -> list[str]:
    title = (
        f"ĐÁNH GIÁ CHỈ TIÊU — {result.period.label_with_year}; thời gian đã qua: {vn_pct(result.elapsed_ratio)} của năm"
    )
    lines = [title, _row([name for name, _ in _COLUMNS]), _row(["─" * width for _, width in _COLUMNS])]
    lines += [_row(_cells(item)) for item in result.items]
    lines.append("")
    lines.append(summary_line(result))
    return lines


def _cells(item: Assessment) -> list[str]:
    """The same figures as the appendix table: rates in percentage points, ratios only where defined."""
    ind = item.indicator
    target = ind.target_label() or "-"
    value = vn_num(ind.value, 3) if ind.value is not None else "-"
    if ind.is_rate and item.measure is not Measure.REDUCTION:
        plan = _points(item.point_diff)
    else:
        plan = vn_pct(item.plan_ratio) if item.plan_ratio is not None else "-"
    return [ind.code, ind.name, ind.unit, target, value, plan, _change(item), item.status.value]


def _change(item: Assessment) -> str:
    if item.indicator.is_rate:
        return _points(item.same_period_points)
    change = item.growth if item.compares_growth else item.same_period_change
    if change is None:
        return "-"
    word = "tăng" if change >= 0 else "giảm"
    return f"{word} {vn_pct(abs(change))}"


def _points(value) -> str:
    """'+0,7 điểm', '-0,8 điểm' (percentage points), '-' when undefined."""
    text = points_text(value)
    return text if text == "-" else f"{text} điểm"


def _row(cells: list[str]) -> str:
    return "  ".join(_fit(text, width) for text, (_, width) in zip(cells, _COLUMNS)).rstrip()


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


# ------------------------------------------------------------------ reportgen status ----

STATUS_WORDS = {
    "queued": "chờ gửi",
    "held": "giữ lại",
    "sending": "đang gửi (bị ngắt, sẽ gửi lại)",
    "sent": "đã gửi",
    "written": "đã ghi .eml",
    "retry": "chờ gửi lại",
    "failed": "lỗi",
    "superseded": "thay bằng bản mới",
    "expired": "quá hạn, không gửi",
}
KIND_WORDS = {
    "report": "báo cáo",
    "manual": "gửi tay",
    "reminder": "nhắc việc",
    "notice": "thông báo",
    "test": "thư thử",
}


def render_status(history: History) -> str:
    if not history.started:
        return f"Chưa có lần chạy nào (chưa có sổ theo dõi {history.ledger})."
    return "\n".join(_inputs(history) + _reports(history) + _messages(history) + _runs(history))


def _inputs(history: History) -> list[str]:
    lines = ["TỆP SỐ LIỆU ĐÃ NHẬN"]
    for row in history.inputs:
        verdict = "hợp lệ" if row["status"] == "valid" else f"{row['errors']} lỗi"
        where = f"[{row['unit']}] " if row["unit"] else ""
        lines.append(
            f"  {row['seen_at']}  {where}{row['path']}  SHA-256 {row['sha256'][:16]}…  "
            f"kỳ {row['period'] or '?'}  {verdict}"
        )
    return lines + [""]


def _reports(history: History) -> list[str]:
    """Every revision with its PDF's full SHA-256 (what an approval is bound to), then its approvals and the
    document issued from it, with the signed file's hash."""
    lines = ["BÁO CÁO ĐÃ LẬP"]
    for record in history.reports:
        where = f"[{record.unit}] " if record.unit else ""
        pdf = record.files.get("pdf", {})
        lines.append(f"  {record.built_at}  {where}{record.period} lần {record.revision}  {pdf.get('path', '')}")
        lines.append(f"      SHA-256 {pdf.get('sha256', '')}")
        for approval in (a for a in history.approvals if a.report_id == record.id):
            current = approval.content_hash == pdf.get("sha256")
            lines.append(
                f"      đã duyệt: {approval.approved_by}, lúc {approval.approved_at}"
                + ("" if current else " (bản khác: cần duyệt lại)")
            )
        for issued in (i for i in history.issued if i.report_id == record.id):
            signed = issued.files.get("pdf", {})
            lines.append(
                f"      ban hành: Báo cáo số {issued.number_symbol} ngày {short_date(issued.date)}"
                + (f", thay thế {_replaced(history, issued.replaces)}" if issued.replaces else "")
                + f"  {signed.get('path', '')}"
            )
            lines.append(f"      SHA-256 (đã ký) {signed.get('sha256', '')}")
    return lines + [""]


def _replaced(history: History, issued_id: int) -> str:
    earlier = next((i for i in history.issued if i.id == issued_id), None)
    return f"Báo cáo số {earlier.number_symbol} ngày {short_date(earlier.date)}" if earlier else f"#{issued_id}"


def _messages(history: History) -> list[str]:
    lines = ["THƯ"]
    for message in history.messages:
        who = message.recipient or "(chưa có người nhận)"
        lines.append(
            f"  #{message.id} {KIND_WORDS.get(message.kind, message.kind)} → {who}: "
            f"{STATUS_WORDS.get(message.status, message.status)}, {message.attempts} lần thử"
            + (f", lúc {message.sent_at}" if message.sent_at else "")
            + _next_try(message)
            + (f"; máy chủ: {message.last_reply}" if message.last_reply else "")
        )
        lines.append(f"      «{message.subject}»  Message-ID {message.message_id}")
    lines.append(
        f"  Còn chờ: {history.waiting} thư; lỗi: {history.failed} thư"
        + (" (sửa rồi chạy «reportgen send --retry-failed»)" if history.failed else "")
        + "."
    )
    return lines + [""]


def _next_try(message) -> str:
    """When a waiting message goes next: its retry time, or its due date."""
    if message.status == "retry" and message.next_attempt:
        return f", thử lại từ {moment(datetime.fromisoformat(message.next_attempt))}"
    if message.status == "queued" and message.not_before:
        return f", gửi lúc {moment(datetime.fromisoformat(message.not_before))} (hạn gửi)"
    return ""


def _runs(history: History) -> list[str]:
    lines = ["CÁC LẦN CHẠY GẦN ĐÂY"]
    for row in history.runs:
        lines.append(f"  {row['started_at']} → {row['finished_at'] or '(bị ngắt)'}  mã thoát {row['status']}")
    return lines
