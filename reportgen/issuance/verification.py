"""``reportgen verify FILE.pdf``: every signature of a PDF — who, by whose certificate, when, intact, trusted.

pyHanko's validator does the checking: the signed bytes against the signature
(intact), what changed after each signature (adding the next signature or
filling a form is allowed; anything else means the document was altered), and,
when trust roots are configured ([sign] trust_roots), whether the signer's
certificate chains to one of them at the time of checking.  Nothing is fetched
from the network (no revocation lists): the answer is the same offline, on the
văn thư's PC.  Times are shown in Vietnam's time zone (UTC+7, no summer time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path

from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from reportgen.issuance.keys import issuer_name, subject_name
from reportgen.issuance.signing_errors import VerificationError

VIETNAM = timezone(timedelta(hours=7), "ICT")
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})
"""Vietnamese CAs mark signing certificates with both; either is enough for a document signature."""
_TRUST_PROBLEMS = {
    AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND: "chứng thư số không do tổ chức gốc tin cậy nào đã khai báo cấp",
    AdESIndeterminate.EXPIRED: "chứng thư số đã hết hạn",
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE: "chứng thư số đã hết hạn (hoặc chưa có hiệu lực)",
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED: "chứng thư số đã hết hạn (hoặc chưa có hiệu lực)",
    AdESIndeterminate.NOT_YET_VALID: "chứng thư số chưa có hiệu lực",
    AdESFailure.NOT_YET_VALID: "chứng thư số chưa có hiệu lực",
    AdESFailure.REVOKED: "chứng thư số đã bị thu hồi",
    AdESIndeterminate.REVOKED_NO_POE: "chứng thư số đã bị thu hồi",
    AdESIndeterminate.CHAIN_CONSTRAINTS_FAILURE: "chứng thư số không dùng để ký văn bản được",
    AdESIndeterminate.SIG_CONSTRAINTS_FAILURE: "chứng thư số không dùng để ký văn bản được",
}
_ALLOWED_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass(frozen=True)
class SignatureReport:
    field: str
    signer: str
    """The certificate holder's name."""
    issuer: str
    """Who issued the certificate (the CA)."""
    signing_time: datetime | None
    """The time the signer's software wrote (not proven); in Vietnam's time zone."""
    timestamp: datetime | None
    """The time a timestamp server vouches for (PAdES B-T); None without one."""
    intact: bool
    """The signed bytes are unchanged and the signature is valid; after it, only signatures or form fields were
    added."""
    changes: str
    """"none" (the signature covers the whole file), "signatures" (later signatures or form fields only),
    "other" (the document was altered after signing)."""
    trusted: bool | None
    """The certificate chains to a configured trust root; None when no root is configured."""
    trust_problem: str = ""


def verify_pdf(path: Path | str, trust_roots: Sequence[Path] = ()) -> list[SignatureReport]:
    """Every signature of ``path``, in the order they were made."""
    roots = _load_roots(trust_roots)
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            signatures = list(reader.embedded_signatures)
            return [_report(signature, roots) for signature in signatures]
    except FileNotFoundError:
        raise VerificationError(f"Không tìm thấy tệp “{path}”.") from None
    except (PdfReadError, SignatureValidationError, ValueError) as exc:
        raise VerificationError(f"Tệp “{path}” không đọc được như tệp PDF có chữ ký số ({exc}).") from None


def all_good(reports: Sequence[SignatureReport], roots_configured: bool) -> bool:
    """What “verify” exits 0 for: at least one signature, all intact, and trusted when roots are configured."""
    return bool(reports) and all(r.intact and (r.trusted or not roots_configured) for r in reports)


def render_verification(path: Path | str, reports: Sequence[SignatureReport], roots_configured: bool) -> str:
    """The verification in Vietnamese, one block per signature, then the verdict."""
    lines = [f"Tệp: {path}"]
    if not reports:
        return "\n".join([*lines, "Tệp không có chữ ký số nào."])
    lines.append(f"Số chữ ký số: {len(reports)}")
    for number, report in enumerate(reports, 1):
        rows = [
            ("Người ký", report.signer),
            ("Cấp chứng thư", report.issuer),
            (
                "Thời điểm ký",
                _when(report.signing_time)
                + ("" if report.timestamp else " (theo đồng hồ máy người ký; không có dấu thời gian)"),
            ),
        ]
        if report.timestamp:
            rows.append(("Dấu thời gian", f"{_when(report.timestamp)} (máy chủ dấu thời gian xác nhận)"))
        rows += [("Toàn vẹn", _integrity(report)), ("Tin cậy", _trust(report))]
        lines += ["", f"Chữ ký {number} (trường “{report.field}”):"]
        lines += [f"  {label + ':':<15} {value}" for label, value in rows]
    lines.append("")
    if all_good(reports, roots_configured):
        lines.append(
            "Kết luận: mọi chữ ký còn nguyên vẹn"
            + (
                " và tin cậy."
                if roots_configured
                else ". Chưa kiểm tra tổ chức cấp chứng thư: khai báo [sign] trust_roots trong reportgen.toml."
            )
        )
    else:
        lines.append("Kết luận: KHÔNG HỢP LỆ — " + _verdict(reports, roots_configured))
    return "\n".join(lines)


def _report(signature, roots: list) -> SignatureReport:
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    status = validate_pdf_signature(signature, signer_validation_context=context, key_usage_settings=KEY_USAGE)
    cert = status.signing_cert
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        changes = "none"
    elif status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level in _ALLOWED_CHANGES:
        changes = "signatures"
    else:
        changes = "other"
    intact = bool(status.intact and status.valid and changes != "other" and status.docmdp_ok is not False)
    timestamp = status.timestamp_validity.timestamp if status.timestamp_validity else None
    trusted = None
    problem = ""
    if roots:
        trusted = bool(status.trusted and (not status.timestamp_validity or status.timestamp_validity.trusted))
        if not trusted:
            indic = status.trust_problem_indic
            shown = indic.name if isinstance(indic, Enum) else "?"  # pyHanko's sub-indications are Enum members
            problem = (_TRUST_PROBLEMS.get(indic) if indic else None) or f"không xác thực được chứng thư số ({shown})"
            if status.trusted and status.timestamp_validity and not status.timestamp_validity.trusted:
                problem = "dấu thời gian không do tổ chức tin cậy nào đã khai báo cấp"
    return SignatureReport(
        signature.field_name,
        subject_name(cert),
        issuer_name(cert),
        _local(status.signer_reported_dt),
        _local(timestamp),
        intact,
        changes,
        trusted,
        problem,
    )


def _load_roots(paths: Sequence[Path]) -> list:
    roots = []
    for path in paths:
        if not Path(path).is_file():
            raise VerificationError(
                f"Không tìm thấy tệp chứng thư gốc “{path}” (khai báo ở mục [sign], khóa "
                f"“trust_roots” của reportgen.toml)."
            )
        try:
            found = list(load_certs_from_pemder([str(path)]))
        except (ValueError, TypeError, OSError) as exc:
            raise VerificationError(
                f"Tệp “{path}” (mục [sign], khóa “trust_roots”) không phải chứng thư số PEM hoặc DER ({exc})."
            ) from None
        if not found:
            raise VerificationError(f"Tệp “{path}” (mục [sign], khóa “trust_roots”) không có chứng thư số nào.")
        roots += found
    return roots


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(VIETNAM) if moment else None


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "không ghi"
    return f"{moment:%H:%M:%S} ngày {moment:%d/%m/%Y}, giờ Việt Nam"


def _integrity(report: SignatureReport) -> str:
    if not report.intact:
        return "KHÔNG — tài liệu đã bị sửa sau khi ký, hoặc chữ ký không khớp"
    if report.changes == "none":
        return "có — tài liệu không thay đổi từ khi ký"
    return "có — sau khi ký chỉ thêm chữ ký số khác"


def _trust(report: SignatureReport) -> str:
    if report.trusted is None:
        return "chưa kiểm tra (chưa khai báo [sign] trust_roots)"
    return "có" if report.trusted else f"KHÔNG — {report.trust_problem}"


def _verdict(reports: Sequence[SignatureReport], roots_configured: bool) -> str:
    broken = [str(n) for n, r in enumerate(reports, 1) if not r.intact]
    untrusted = [str(n) for n, r in enumerate(reports, 1) if roots_configured and r.intact and not r.trusted]
    parts = []
    if broken:
        parts.append(f"chữ ký {', '.join(broken)} không còn nguyên vẹn: không dùng tệp này, xin lại bản gốc")
    if untrusted:
        parts.append(f"chữ ký {', '.join(untrusted)} không do tổ chức tin cậy cấp chứng thư")
    return "; ".join(parts) + "."


@dataclass(frozen=True)
class Verification:
    path: Path
    signatures: tuple[SignatureReport, ...]
    roots_configured: bool
    ok: bool
    """Every signature intact (and trusted, when trust roots are configured)."""
