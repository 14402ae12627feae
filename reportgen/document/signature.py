"""Who signs and on whose behalf: the authority lines of the signature block (Decree 30, Phụ lục I §II.7.b).

The lines above the signer's title follow from the title itself, wherever it
comes from (reportgen.toml [signer], a unit's ``signer_*`` keys, or the
workbook's Thông tin sheet, which wins):

- a collective body (Ủy ban nhân dân, Hội đồng nhân dân; Art. 13.2) signs
  "TM. ỦY BAN NHÂN DÂN" whoever signs for it;
- a deputy ("PHÓ CHỦ TỊCH") signs in place of the head: "KT. CHỦ TỊCH";
- an acting head ("QUYỀN CHỦ TỊCH") signs "Q. CHỦ TỊCH" as the title line;
- signing by order or by authorisation (TL., TUQ.) cannot be told from a
  title, so such configured lines are kept as they are.

Configured lines that disagree with the title (the chairman's
"TM. ỦY BAN NHÂN DÂN" alone above a "PHÓ CHỦ TỊCH", a "KT. CHỦ TỊCH" above
the chairman himself, the title repeated as an authority line) are replaced
by the derived ones, and a warning says which key to correct.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reportgen.core.issues import Issue, warning
from reportgen.domain.report_input import ReportInfo
from reportgen.settings.config import Config

COLLECTIVE_BODIES = ("ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN")
"""Bodies under the collective regime (Decree 30, Art. 13.2): their documents are signed "TM." of the body."""
HEAD_TITLES = (
    "CHỦ TỊCH",
    "GIÁM ĐỐC",
    "TRƯỞNG PHÒNG",
    "TRƯỞNG BAN",
    "CHÁNH VĂN PHÒNG",
    "CHÁNH THANH TRA",
    "CỤC TRƯỞNG",
    "CHI CỤC TRƯỞNG",
    "VIỆN TRƯỞNG",
    "HIỆU TRƯỞNG",
    "TỔNG GIÁM ĐỐC",
    "BÍ THƯ",
)
"""Titles of heads, for telling "PHÓ CHỦ TỊCH THƯỜNG TRỰC" apart as a deputy of the "CHỦ TỊCH"."""
PREFIXES = ("TM.", "KT.", "Q.", "TL.", "TUQ.")
_PREFIX = re.compile(r"^(TM|KT|Q|TL|TUQ)\s*\.\s*(.*)$")
_DEPUTY = re.compile(r"^PHÓ\s+(.+)$")
_ACTING = re.compile(r"^(?:QUYỀN|Q\s*\.)\s*(.+)$")


@dataclass(frozen=True)
class Signing:
    """The signer as printed: authority lines, title, name; and what was corrected on the way."""

    authority: tuple[str, ...]
    title: str
    name: str
    issues: tuple[Issue, ...] = ()


def upper_line(text: str) -> str:
    """A title as printed: NFC, upper case, single spaces ("Phó  Chủ tịch" → "PHÓ CHỦ TỊCH")."""
    return " ".join(unicodedata.normalize("NFC", text).upper().split())


def signing(info: ReportInfo, config: Config) -> Signing:
    """The signature block's lines for this report: the workbook's name and title over the configuration's."""
    signer = config.signer
    from_workbook = bool(info.signer_title)
    title = upper_line(info.signer_title or signer.title)
    configured = tuple(upper_line(line) for line in signer.authority if line.strip())
    authority, printed_title = derive(title, configured, tuple(upper_line(line) for line in config.unit.agency))
    issues: tuple[Issue, ...] = ()
    if configured and not _agrees(configured, authority, printed_title):
        issues = (
            _mismatch(
                configured, title, authority, printed_title, signer.authority_key, signer.title_key, from_workbook
            ),
        )
    return Signing(authority, printed_title, info.signer or signer.name, issues)


def derive(title: str, configured: tuple[str, ...], agency: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """(authority lines, title line) for a signer with ``title``, of an issuer whose header reads ``agency``.

    ``configured`` lines are kept where they agree with the title: a TM. line naming the body, a KT. line
    naming the head the deputy stands in for, TL./TUQ. lines (which only the configuration can tell).
    """
    parsed = [_split(line) for line in configured]
    kept_order = [(prefix, rest) for prefix, rest in parsed if prefix in ("TL", "TUQ")]
    body = next((rest for prefix, rest in parsed if prefix == "TM"), "")
    if not body and not kept_order and agency and agency[0] in COLLECTIVE_BODIES:
        body = agency[0]
    lines = [f"TM. {body}"] if body else []
    lines += [f"{prefix}. {rest}" for prefix, rest in kept_order]

    acting = _ACTING.match(title)
    if acting or ("Q", title) in parsed:  # "QUYỀN CHỦ TỊCH", or a configured "Q. CHỦ TỊCH" over "CHỦ TỊCH"
        return tuple(lines), f"Q. {acting.group(1) if acting else title}"
    deputy = _DEPUTY.match(title)
    if deputy:
        lines.append(f"KT. {_head_of(deputy.group(1), parsed)}")
    return tuple(lines), title


def _agrees(configured: tuple[str, ...], authority: tuple[str, ...], printed_title: str) -> bool:
    """Whether the configured lines say what is printed (spacing after the prefix aside; an acting head's
    "Q. CHỦ TỊCH" may be configured as an authority line, it is printed as the title line)."""
    given = [_split(line) for line in configured]
    printed = [_split(line) for line in authority]
    return given in (printed, printed + [_split(printed_title)])


def _split(line: str) -> tuple[str, str]:
    """("KT", "CHỦ TỊCH") for "KT. CHỦ TỊCH"; ("", line) for a line without a Decree 30 prefix."""
    match = _PREFIX.match(line)
    return (match.group(1), match.group(2).strip()) if match else ("", line)


def _head_of(rest: str, parsed: list[tuple[str, str]]) -> str:
    """The head a deputy stands in for: the configured KT. line's when the title starts with it, else the
    longest known head title the rest of the title starts with, else the whole rest ("PHÓ GIÁM ĐỐC SỞ X")."""
    for prefix, head in parsed:
        if prefix == "KT" and head and (rest == head or rest.startswith(head + " ")):
            return head
    known = [head for head in HEAD_TITLES if rest == head or rest.startswith(head + " ")]
    return max(known, key=len) if known else rest


def _mismatch(
    configured: tuple[str, ...],
    title: str,
    authority: tuple[str, ...],
    printed_title: str,
    authority_key: str,
    title_key: str,
    from_workbook: bool,
) -> Issue:
    """The warning: which lines were configured, against which title from where, and what is printed instead."""
    given = " / ".join(configured)
    printed = " / ".join((*authority, printed_title))
    toml_value = "[" + ", ".join(f'"{line}"' for line in authority) + "]"
    rule = "theo Nghị định 30/2020 (Phụ lục I, mục II.7.b: TM., KT., Q., TL., TUQ.)"
    if from_workbook:
        message = (
            f"Chức vụ người ký “{title}” (dòng “Chức vụ người ký”) không hợp với thẩm quyền ký “{given}” "
            f"({authority_key} trong reportgen.toml) {rule}; báo cáo ghi: {printed}."
        )
    else:
        message = (
            f"reportgen.toml, {authority_key} “{given}” không hợp với chức vụ người ký “{title}” "
            f"({title_key}) {rule}; báo cáo ghi: {printed}."
        )
    return warning(
        "signer.authority",
        message,
        f"Sửa {authority_key} thành {toml_value}, hoặc xóa khóa này để chương trình tự ghi theo chức vụ người ký.",
        sheet="Thông tin" if from_workbook else None,
    )
