"""What templates see: plain, read-only views with Vietnamese names.

Names are Vietnamese without diacritics (``ct.gia_tri``, ``ky.nhan``) so that
office staff editing a template read them as words; docs/templates.md lists
every one.  Numbers stay exact ``Decimal`` values; templates format them with
the filters (``so``, ``pt``, ``so_dvt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..assess import Assessment, AssessmentResult, Status
from ..config import Config
from ..model import IndicatorKind, Project, ReportInput, Section
from ..periods import Period, PeriodKind
from ..targets import TargetKind
from ..vnformat import month_number
from ..vntext import match_key

STATUS_KEYS = {
    Status.EXCEEDED: "vuot", Status.MET: "dat", Status.ON_TRACK: "dung_tien_do", Status.BEHIND: "cham_tien_do",
    Status.NOT_YET: "chua_dat", Status.FAILED: "khong_dat", Status.NO_DATA: "chua_co_so_lieu",
    Status.NO_TARGET: "khong_ke_hoach",
}
TARGET_KEYS = {
    TargetKind.FLOOR: "san", TargetKind.APPROX: "khoang", TargetKind.RANGE: "khoang_gia_tri",
    TargetKind.CEILING: "tran", TargetKind.REDUCTION: "giam", TargetKind.ZERO: "khong",
}
KIND_KEYS = {IndicatorKind.CUMULATIVE: "luy_ke", IndicatorKind.POINT: "thoi_diem",
             IndicatorKind.GROWTH: "tang_truong"}
_BUDGET_WORDS = ("ngânsách", "thunộiđịa", "thungânsách", "chingânsách")


@dataclass(frozen=True)
class ChiTieu:
    """One indicator as a template sees it (``ct``)."""

    ma: str
    ten: str
    dvt: str
    linh_vuc: str
    loai: str
    """luy_ke | thoi_diem | tang_truong"""
    uoc: bool
    gia_tri: Decimal | None
    gia_tri_thang: Decimal | None
    cung_ky: Decimal | None
    dau_nam: Decimal | None
    co_ke_hoach: bool
    ke_hoach: str
    """The target in canonical words with its unit: 'trên 13%', '600 lao động trở lên'."""
    ke_hoach_gon: str
    """Without the leading 'tăng ' of growth targets, for "tăng 12,8% (kế hoạch: trên 13%)"."""
    ke_hoach_goc: str
    """As written in the workbook."""
    kieu_ke_hoach: str
    """san | khoang | khoang_gia_tri | tran | giam | khong ('' without a target)."""
    huong: str
    """cao (higher is better) | thap."""
    so_tang_truong: bool
    """The indicator is judged on its growth on the same period."""
    tang_truong: Decimal | None
    tang_truong_nhap: bool
    ty_le_kh: Decimal | None
    ty_le_ck: Decimal | None
    thay_doi_ck: Decimal | None
    chenh_lech_diem: Decimal | None
    chenh_lech_ck_diem: Decimal | None
    """For rates (%): value minus the same period, in percentage points."""
    giam_duoc: Decimal | None
    tien_do_yeu_cau: Decimal | None
    trang_thai: str
    ma_trang_thai: str
    la_ty_le: bool
    la_ngan_sach: bool
    """Budget lines are compared with the "dự toán", not the "kế hoạch"."""
    can_chu_y: bool
    """Behind schedule or not met: named again under shortcomings and tasks."""
    ghi_chu: str


@dataclass(frozen=True)
class CongTrinh:
    ma: str
    ten: str
    tong_muc: Decimal | None
    hoan_thanh: str
    tien_do: Decimal | None
    giai_ngan: Decimal | None
    tinh_hinh: str


@dataclass(frozen=True)
class LinhVuc:
    ten: str
    chi_tieu: tuple[ChiTieu, ...]
    nhan_dinh: tuple[str, ...]


@dataclass(frozen=True)
class Ky:
    ma: str
    nhan: str
    """'tháng 6', 'quý II', '6 tháng đầu năm'."""
    nhan_nam: str
    """'tháng 6 năm 2023'."""
    luy_ke: str
    """The span of year-to-date figures: '6 tháng đầu năm'."""
    luy_ke_nam: str
    """The same with the year: '6 tháng đầu năm 2023', '9 tháng năm 2023', 'năm 2023'."""
    nam: int
    la_thang: bool
    thang: str
    """The month as printed ('01', '6'); '' for other periods."""
    cuoi_nam: bool
    ky_toi: str
    """The next period whose tasks the report sets: 'tháng 7 năm 2023', 'quý III năm 2023'."""


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
    chi_dao: tuple[str, ...]
    ton_tai: tuple[str, ...]
    nhiem_vu: tuple[str, ...]
    kien_nghi: tuple[str, ...]


def next_period_label(period: Period) -> str:
    if period.kind is PeriodKind.MONTH:
        return period.next_month().label_with_year
    if period.kind is PeriodKind.QUARTER:
        year, quarter = (period.year + 1, 1) if period.index == 4 else (period.year, period.index + 1)
        return Period.parse(f"{year}-Q{quarter}").label_with_year
    if period.kind is PeriodKind.HALF and period.index == 1:
        return f"6 tháng cuối năm {period.year}"
    if period.kind is PeriodKind.NINE_MONTHS:
        return f"3 tháng cuối năm {period.year}"
    return f"năm {period.year + 1}"


def ky_view(period: Period) -> Ky:
    """The period as templates see it (``ky``)."""
    is_month = period.kind is PeriodKind.MONTH
    return Ky(period.code, period.label, period.label_with_year, period.ytd_label, period.ytd_label_with_year,
              period.year, is_month, month_number(period.index) if is_month else "", period.is_year_end,
              next_period_label(period))


def unit_view(config: Config) -> DonVi:
    """The issuing unit as templates see it (``don_vi``)."""
    unit = config.unit
    return DonVi(unit.name, unit.short_name, unit.area, unit.place)


def build_context(report: ReportInput, result: AssessmentResult, config: Config) -> dict[str, Any]:
    """Everything the narrative templates receive."""
    items = [_indicator_view(a) for a in result.items]
    period = report.period
    return {
        "don_vi": unit_view(config),
        "ky": ky_view(period),
        "can_cu": config.report.basis,
        "linh_vuc": _fields(report, items),
        "cong_trinh": tuple(_project_view(p) for p in report.projects),
        "tong_hop": _summary(result),
        "can_chu_y": tuple(i for i in items if i.can_chu_y),
        "nhan_dinh": NhanDinh(*(_remarks(report, s) for s in
                                (Section.DIRECTION, Section.SHORTCOMINGS, Section.TASKS, Section.PROPOSALS))),
        "du_lieu_mau": report.info.sample,
        "tu_diem": config.report.point_wording,
        "thoi_gian_da_qua": result.elapsed_ratio,
    }


def _remarks(report: ReportInput, section: Section) -> tuple[str, ...]:
    return tuple(r.text for r in report.remarks if r.section is section)


_FIELD_SECTIONS = (Section.ECONOMY, Section.SOCIETY, Section.DEFENCE)


def _fields(report: ReportInput, items: list[ChiTieu]) -> tuple[LinhVuc, ...]:
    """Indicator groups in report order, each with the staff paragraphs of its section.

    A section with paragraphs but no indicators (often Quốc phòng - An ninh)
    still gets its own group, after the indicator groups.
    """
    names = report.fields()
    keyed = {match_key(s.value): s for s in _FIELD_SECTIONS}
    used: set[Section] = set()
    groups = []
    for name in names:
        section = keyed.get(match_key(name))
        if section:
            used.add(section)
        texts = _remarks(report, section) if section else ()
        groups.append(LinhVuc(name, tuple(i for i in items if i.linh_vuc == name), texts))
    for section in _FIELD_SECTIONS:
        texts = _remarks(report, section)
        if section not in used and texts:
            groups.append(LinhVuc(section.value, (), texts))
    return tuple(groups)


def _summary(result: AssessmentResult) -> TongHop:
    s = result.summary
    return TongHop(s.total, s.on_plan, *(s.count(st) for st in (
        Status.EXCEEDED, Status.MET, Status.ON_TRACK, Status.BEHIND, Status.NOT_YET, Status.FAILED,
        Status.NO_DATA, Status.NO_TARGET)))


def _indicator_view(a: Assessment) -> ChiTieu:
    ind, target = a.indicator, a.indicator.target
    described = ind.target_label()
    is_rate = ind.unit.strip() == "%"
    rate_vs_same = (ind.value - ind.same_period) if is_rate and ind.value is not None and ind.same_period is not None else None
    return ChiTieu(
        ma=ind.code, ten=ind.name, dvt=ind.unit, linh_vuc=ind.field, loai=KIND_KEYS[ind.kind], uoc=ind.estimated,
        gia_tri=ind.value, gia_tri_thang=ind.month_value, cung_ky=ind.same_period, dau_nam=ind.baseline,
        co_ke_hoach=target is not None, ke_hoach=described,
        # "tăng 12,8% (kế hoạch: trên 13%)" — but keep "tăng 10%" whole: "(kế hoạch: 10%)" reads badly
        ke_hoach_gon=described[5:] if described.startswith("tăng ") and not described[5:6].isdigit() else described,
        ke_hoach_goc=target.text if target else "",
        kieu_ke_hoach=TARGET_KEYS[target.kind] if target else "",
        huong="thap" if target and target.direction.value == "lower" else "cao",
        so_tang_truong=a.compares_growth, tang_truong=a.growth, tang_truong_nhap=a.growth_entered,
        ty_le_kh=a.plan_ratio, ty_le_ck=a.same_period_ratio, thay_doi_ck=a.same_period_change,
        chenh_lech_diem=a.point_diff, chenh_lech_ck_diem=rate_vs_same, giam_duoc=a.reduction,
        tien_do_yeu_cau=a.expected_ratio, trang_thai=a.status.value, ma_trang_thai=STATUS_KEYS[a.status],
        la_ty_le=is_rate, la_ngan_sach=any(w in match_key(ind.name) for w in _BUDGET_WORDS),
        can_chu_y=a.status.lagging, ghi_chu=ind.note,
    )


def _project_view(p: Project) -> CongTrinh:
    return CongTrinh(p.code, p.name, p.total_investment, p.planned_completion, p.progress, p.disbursed,
                     p.status_text)
