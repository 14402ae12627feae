"""What templates receive: the report laid out along the outline, with Vietnamese names.

The views themselves (``ct``, ``ky``, ``p``) are in :mod:`.views`; this module
places them: every indicator and staff paragraph in its clause and lettered
point of part I (:mod:`reportgen.domain.outline`), related lines joined into one
sentence (:func:`sentences`), and the lists of parts II and III taken from the
assessment, so that the prose can never disagree with the counts, the
appendix or the charts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reportgen.core.issues import Issue, warning
from reportgen.core.periods import Period
from reportgen.domain.assess import AssessmentResult, Status
from reportgen.domain.outline import CLAUSES, POINT_LETTERS, Section, sector_of
from reportgen.domain.report_input import ReportInput
from reportgen.narrative.views import (
    ChiTieu,
    CongTrinh,
    Doan,
    Ky,
    indicator_view,
    ky_view,
    next_period_label,
    paragraph_view,
    project_view,
)
from reportgen.settings.config import Config

__all__ = [
    "Cau",
    "ChiTieu",
    "Diem",
    "Ky",
    "Muc",
    "basis_text",
    "build_context",
    "configured_text_issues",
    "ky_view",
    "next_period_label",
    "sentences",
    "unit_view",
]


@dataclass(frozen=True)
class Cau:
    """One sentence (one bullet) about one or several related indicators."""

    loai: str
    """chi_tieu (one indicator) | khong_phat_sinh (zero targets: "không còn hộ nghèo, không phát sinh hộ tái
    nghèo …") | ngan_sach (total revenue, then "trong đó thu nội địa") | cap (two lines on one topic)."""
    cac_ct: tuple[ChiTieu, ...]

    @property
    def ct(self) -> ChiTieu:
        return self.cac_ct[0]


@dataclass(frozen=True)
class Diem:
    """A lettered point of a clause ("a) Thu, chi ngân sách nhà nước"), or a clause's own content."""

    chu: str
    ten: str
    cau: tuple[Cau, ...]
    nhan_dinh: tuple[Doan, ...]
    cong_trinh: tuple[CongTrinh, ...] = ()

    @property
    def co_noi_dung(self) -> bool:
        return bool(self.cau or self.nhan_dinh or self.cong_trinh)


@dataclass(frozen=True)
class Muc:
    """A numbered clause of part I: its own sentences and paragraphs, then its lettered points."""

    so: int
    ten: str
    rieng: Diem
    diem: tuple[Diem, ...]


@dataclass(frozen=True)
class LinhVuc:
    """An indicator group as earlier templates saw it (``linh_vuc``); kept for templates copied then."""

    ten: str
    chi_tieu: tuple[ChiTieu, ...]
    nhan_dinh: tuple[str, ...]


@dataclass(frozen=True)
class DonVi:
    ten: str
    ten_ngan: str
    cap: str
    dia_danh: str


@dataclass(frozen=True)
class TongHop:
    tong: int
    dat_va_vuot: int
    vuot: int
    dat: int
    dung_tien_do: int
    cham_tien_do: int
    chua_dat: int
    khong_dat: int
    chua_co_so_lieu: int
    khong_ke_hoach: int


@dataclass(frozen=True)
class NhanDinh:
    chi_dao: tuple[Doan, ...]
    danh_gia_chung: tuple[Doan, ...]
    ton_tai: tuple[Doan, ...]
    nguyen_nhan: tuple[Doan, ...]
    nhiem_vu: tuple[Doan, ...]
    kien_nghi: tuple[Doan, ...]


TEMPLATE_DATA = (ChiTieu, Ky, CongTrinh, Doan, Cau, Diem, Muc, LinhVuc, DonVi, TongHop, NhanDinh)
"""The context's frozen dataclasses of plain data, whose fields the sandbox hands to templates unchecked."""


def unit_view(config: Config) -> DonVi:
    """The issuing unit as templates see it (``don_vi``)."""
    unit = config.unit
    return DonVi(unit.name, unit.short_name, unit.area, unit.place)


def build_context(report: ReportInput, result: AssessmentResult, config: Config) -> dict[str, Any]:
    """Everything the narrative templates receive."""
    items = [indicator_view(a, config.report.point_wording) for a in result.items]
    by_section = _paragraphs(report)
    projects = tuple(project_view(p) for p in report.projects)
    lagging = tuple(i for i in items if i.can_chu_y)
    return {
        "don_vi": unit_view(config),
        "ky": ky_view(report.period, config.report.cutoff_day),
        "can_cu": basis_text(config.report.basis, report.period.year),
        "muc": _clauses(report, items, by_section, projects),
        "linh_vuc": _fields(report, items, by_section),
        "cong_trinh": projects,
        "tong_hop": _summary(result),
        "can_chu_y": lagging,
        "nhan_dinh": NhanDinh(
            *(
                by_section.get(s, ())
                for s in (
                    Section.DIRECTION,
                    Section.OVERALL,
                    Section.SHORTCOMINGS,
                    Section.CAUSES,
                    Section.TASKS,
                    Section.PROPOSALS,
                )
            )
        ),
        "du_lieu_mau": report.info.sample,
        "tu_diem": config.report.point_wording,
        "thoi_gian_da_qua": result.elapsed_ratio,
    }


YEAR_PLACEHOLDERS = ("{năm}", "{nam}")
_NAMED_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)


def basis_text(basis: str, year: int) -> str:
    """The configured basis with its year placeholder filled: "Chương trình công tác năm {năm}"."""
    for placeholder in YEAR_PLACEHOLDERS:
        basis = basis.replace(placeholder, str(year))
    return basis


def configured_text_issues(config: Config, period: Period) -> list[Issue]:
    """Warnings for text of reportgen.toml that names another year than the report's ("năm 2023" in the
    opening of a 2024 report): the report prints it as written, so staff must see it first."""
    source = config.source or "reportgen.toml"
    found = []
    for key, text in (
        ("report.basis", config.report.basis),
        *((f"report.recipients[{n}]", t) for n, t in enumerate(config.report.recipients, 1)),
    ):
        years = sorted({int(y) for y in _NAMED_YEAR.findall(basis_text(text, period.year))} - {period.year})
        if years:
            named = ", ".join(str(y) for y in years)
            found.append(
                warning(
                    "config.stale_year",
                    f"Cấu hình {source}, khóa {key}: “{text}” ghi năm {named} nhưng báo cáo là "
                    f"{period.label_with_year}; báo cáo sẽ in đúng như vậy.",
                    f"Viết “năm {{năm}}” để chương trình tự ghi năm của kỳ báo cáo, hoặc sửa thành năm {period.year}.",
                )
            )
    return found


def _paragraphs(report: ReportInput) -> dict[Section, tuple[Doan, ...]]:
    found: dict[Section, list[Doan]] = {}
    for remark in report.remarks:
        found.setdefault(remark.section, []).append(paragraph_view(remark))
    return {section: tuple(texts) for section, texts in found.items()}


def _clauses(
    report: ReportInput,
    items: list[ChiTieu],
    paragraphs: dict[Section, tuple[Doan, ...]],
    projects: tuple[CongTrinh, ...],
) -> tuple[Muc, ...]:
    """Part I along the outline; empty points and clauses left out, the rest numbered in order."""
    by_sector: dict[Section, list[ChiTieu]] = {}
    others: dict[str, list[ChiTieu]] = {}
    for item in items:
        sector = sector_of(item.linh_vuc)
        if sector is None:
            others.setdefault(item.linh_vuc, []).append(item)
        else:
            by_sector.setdefault(sector, []).append(item)

    def point(title: str, section: Section | None) -> Diem:
        if section is None:
            return Diem("", title, (), ())
        # the key projects are public investment: their sentences follow that sector's
        return Diem(
            "",
            title,
            sentences(by_sector.get(section, ())),
            paragraphs.get(section, ()),
            projects if section is Section.INVESTMENT else (),
        )

    drafts: list[tuple[str, Diem, tuple[Diem, ...]]] = []
    for clause in CLAUSES:
        points = [point(title, section) for section, title in clause.points]
        lettered = tuple(p for p in points if p.co_noi_dung)
        lettered = tuple(
            Diem(POINT_LETTERS[i], p.ten, p.cau, p.nhan_dinh, p.cong_trinh) for i, p in enumerate(lettered)
        )
        drafts.append((clause.title, point(clause.title, clause.own), lettered))
    for field, members in others.items():
        drafts.append((field, Diem("", field, sentences(members), ()), ()))
    drafts.append(("Đánh giá chung", Diem("", "", (), paragraphs.get(Section.OVERALL, ())), ()))
    present = [(title, own, points) for title, own, points in drafts if own.co_noi_dung or points]
    return tuple(Muc(number, title, own, points) for number, (title, own, points) in enumerate(present, 1))


def sentences(members: list[ChiTieu] | tuple[ChiTieu, ...]) -> tuple[Cau, ...]:
    """The sentences of one sector, in the workbook's order, related lines joined as a report writes them:

    - every indicator whose target is zero ("không còn hộ nghèo", "không để tái nghèo") in one sentence;
    - total budget revenue first, then "trong đó thu nội địa";
    - two neighbouring lines on one topic without targets ("lượt khách du lịch", "doanh thu … du lịch").
    """
    members = list(members)
    zero = [m for m in members if m.kieu_ke_hoach == "khong" and m.ma_trang_thai != "chua_co_so_lieu"]
    total = next((m for m in members if m.la_ngan_sach and not m.la_thu_noi_dia and m.loai == "luy_ke"), None)
    domestic = next((m for m in members if m.la_thu_noi_dia), None)
    zero_codes = {m.ma for m in zero}  # by code, as ``used``: ``item in zero`` compared whole views, O(n²)
    result: list[Cau] = []
    used: set[str] = set()
    for index, item in enumerate(members):
        if item.ma in used:
            continue
        if len(zero) > 1 and item.ma in zero_codes:
            result.append(Cau("khong_phat_sinh", tuple(zero)))
            used.update(m.ma for m in zero)
            continue
        if total is not None and domestic is not None and item.ma in (total.ma, domestic.ma):
            result.append(Cau("ngan_sach", (total, domestic)))
            used.update((total.ma, domestic.ma))
            continue
        following = members[index + 1] if index + 1 < len(members) else None
        if following is not None and following.ma not in used and _same_topic(item, following):
            result.append(Cau("cap", (item, following)))
            used.update((item.ma, following.ma))
            continue
        result.append(Cau("chi_tieu", (item,)))
        used.add(item.ma)
    return tuple(result)


def _same_topic(first: ChiTieu, second: ChiTieu) -> bool:
    """Two lines about one thing ("… du lịch"): neither judged, both figures of the year to date."""
    if first.co_ke_hoach or second.co_ke_hoach or first.loai != second.loai or first.la_ty_le or second.la_ty_le:
        return False
    tail = lambda text: text.lower().split()[-2:]  # noqa: E731 - the topic is the last two words
    return len(tail(first.ten)) == 2 and tail(first.ten) == tail(second.ten)


def _fields(
    report: ReportInput, items: list[ChiTieu], paragraphs: dict[Section, tuple[Doan, ...]]
) -> tuple[LinhVuc, ...]:
    groups = []
    for name in report.fields():
        sector = sector_of(name)
        texts = tuple(d.noi_dung for d in paragraphs.get(sector, ())) if sector else ()
        groups.append(LinhVuc(name, tuple(i for i in items if i.linh_vuc == name), texts))
    return tuple(groups)


def _summary(result: AssessmentResult) -> TongHop:
    s = result.summary
    return TongHop(
        s.total,
        s.on_plan,
        *(
            s.count(st)
            for st in (
                Status.EXCEEDED,
                Status.MET,
                Status.ON_TRACK,
                Status.BEHIND,
                Status.NOT_YET,
                Status.FAILED,
                Status.NO_DATA,
                Status.NO_TARGET,
            )
        ),
    )
