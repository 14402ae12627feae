"""The read-only views templates see, with Vietnamese names (``ct.gia_tri``, ``ky.nhan``).

Names are Vietnamese without diacritics so that office staff editing a
template read them as words; docs/templates.md lists every one.  Numbers stay
exact ``Decimal`` values; templates format them with the filters (``so``,
``pt``, ``so_dvt``).  Every judgement (``ct.trang_thai``, ``ct.ty_le_kh`` …)
is the assessment's, never recomputed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from reportgen.core.periods import Period, PeriodKind
from reportgen.core.targets import TargetKind
from reportgen.core.vnformat import month_number, short_date
from reportgen.core.vntext import match_key
from reportgen.domain.assess import Assessment, Measure, Status
from reportgen.domain.report_input import IndicatorKind, Project, Remark

STATUS_KEYS = {
    Status.EXCEEDED: "vuot",
    Status.MET: "dat",
    Status.ON_TRACK: "dung_tien_do",
    Status.BEHIND: "cham_tien_do",
    Status.NOT_YET: "chua_dat",
    Status.FAILED: "khong_dat",
    Status.NO_DATA: "chua_co_so_lieu",
    Status.NO_TARGET: "khong_ke_hoach",
}
TARGET_KEYS = {
    TargetKind.FLOOR: "san",
    TargetKind.APPROX: "khoang",
    TargetKind.RANGE: "khoang_gia_tri",
    TargetKind.CEILING: "tran",
    TargetKind.REDUCTION: "giam",
    TargetKind.ZERO: "khong",
}
KIND_KEYS = {IndicatorKind.CUMULATIVE: "luy_ke", IndicatorKind.POINT: "thoi_diem", IndicatorKind.GROWTH: "tang_truong"}
MEASURE_KEYS = {
    Measure.FLOW: "luy_ke",
    Measure.FLOW_LIMIT: "gioi_han",
    Measure.REDUCTION: "giam",
    Measure.LEVEL: "muc",
    Measure.GROWTH: "tang_truong",
    Measure.NONE: "khong_ke_hoach",
}
_BUDGET_WORDS = ("ngânsách", "thunộiđịa", "chithườngxuyên", "chiđầutư")
_DISBURSEMENT_WORDS = ("giảingân",)
LEGACY_NOTES = ("Nguồn chưa công bố chỉ tiêu năm 2023; chỉ so sánh với cùng kỳ.",)
"""Working notes that earlier versions of ``reportgen new`` wrote into Ghi chú: never printed."""


@dataclass(frozen=True)
class ChiTieu:
    """One indicator as a template sees it (``ct``)."""

    ma: str
    ten: str
    ten_thuong: str
    """The name as it reads inside a sentence: 'tỷ lệ lao động qua đào tạo' (a leading acronym kept)."""
    chu_the: str
    """What is counted, for "không còn …" / "không phát sinh …": 'hộ tái nghèo', 'hộ nghèo mới'."""
    dvt: str
    linh_vuc: str
    loai: str
    """luy_ke | thoi_diem | tang_truong (column Loại)."""
    danh_gia: str
    """How it is judged: luy_ke | gioi_han | giam | muc | tang_truong | khong_ke_hoach (assess.Measure)."""
    uoc: bool
    gia_tri: Decimal | None
    gia_tri_thang: Decimal | None
    """The period's own figure (the month's, the quarter's); same as ``gia_tri_ky``."""
    gia_tri_ky: Decimal | None
    cung_ky: Decimal | None
    dau_nam: Decimal | None
    co_ke_hoach: bool
    ke_hoach: str
    """The target in canonical words with its unit: 'tăng trên 13%', '600 lao động trở lên'; a reduction of
    a rate in points ('giảm 0,17 điểm phần trăm')."""
    ke_hoach_gon: str
    """Without the leading 'tăng ' of growth targets ("trên 13%")."""
    ke_hoach_goc: str
    """As written in the workbook."""
    kieu_ke_hoach: str
    """san | khoang | khoang_gia_tri | tran | giam | khong ('' without a target)."""
    huong: str
    """cao (higher is better) | thap."""
    so_tang_truong: bool
    tang_truong: Decimal | None
    tang_truong_nhap: bool
    ty_le_kh: Decimal | None
    ty_le_ck: Decimal | None
    thay_doi_ck: Decimal | None
    chenh_lech_diem: Decimal | None
    chenh_lech_ck_diem: Decimal | None
    giam_duoc: Decimal | None
    tien_do_yeu_cau: Decimal | None
    trang_thai: str
    ma_trang_thai: str
    la_ty_le: bool
    la_ngan_sach: bool
    """Budget lines are compared with the "dự toán", not the "kế hoạch"."""
    la_giai_ngan: bool
    """A disbursement rate: "tính đến ngày … đạt X% kế hoạch vốn"."""
    la_thu_noi_dia: bool
    """Domestic revenue: written after the total budget revenue as "trong đó thu nội địa …"."""
    can_chu_y: bool
    ghi_chu: str


@dataclass(frozen=True)
class Ky:
    ma: str
    nhan: str
    """'tháng 6', 'quý III', '6 tháng đầu năm', '9 tháng', 'năm 2023'."""
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
    """The figures cover the whole year: results are final ("không đạt" may be said)."""
    ky_toi: str
    """The next period whose tasks the report sets: 'tháng 7 năm 2023', 'quý IV năm 2023', 'năm 2024'."""
    nam_toi: int
    """The year of those tasks: 2024 in December's and the year's report."""
    co_so_ky: bool
    """The period has figures of its own beside the year to date (a month after January, a quarter after
    the first, the second half)."""
    nhan_rieng: str
    """The span of the period's own figures: 'tháng 6', 'quý III', '6 tháng cuối năm'."""
    den_ngay: str
    """The data cut-off date, for "tính đến ngày 14/6/2023"."""
    loai: str
    """thang | quy | nua_nam | chin_thang | nam."""


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
class Doan:
    """A staff paragraph: its text and, for a task, the office in charge."""

    noi_dung: str
    chu_tri: str

    def __str__(self) -> str:
        return self.noi_dung


def ky_view(period: Period, cutoff_day: int = 14) -> Ky:
    """The period as templates see it (``ky``)."""
    is_month = period.kind is PeriodKind.MONTH
    kind = {
        PeriodKind.MONTH: "thang",
        PeriodKind.QUARTER: "quy",
        PeriodKind.HALF: "nua_nam",
        PeriodKind.NINE_MONTHS: "chin_thang",
        PeriodKind.YEAR: "nam",
    }[period.kind]
    return Ky(
        period.code,
        period.label,
        period.label_with_year,
        period.ytd_label,
        period.ytd_label_with_year,
        period.year,
        is_month,
        month_number(period.index) if is_month else "",
        period.is_year_end,
        next_period_label(period),
        period.next_year,
        period.has_own_figures,
        period.label,
        short_date(period.data_window(cutoff_day)[1]),
        kind,
    )


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


def indicator_view(a: Assessment, points_word: str = "điểm phần trăm") -> ChiTieu:
    ind, target = a.indicator, a.indicator.target
    described = ind.target_label()
    if a.measure is Measure.REDUCTION and ind.is_rate and described.endswith("%") and points_word != "%":
        described = f"{described[:-1]} {points_word}"  # "giảm 0,17%" of a rate is in points
    name_key = match_key(ind.name)
    note = "" if ind.note in LEGACY_NOTES else ind.note
    return ChiTieu(
        ma=ind.code,
        ten=ind.name,
        ten_thuong=in_sentence(ind.name),
        chu_the=counted(ind.name),
        dvt=ind.unit,
        linh_vuc=ind.field,
        loai=KIND_KEYS[ind.kind],
        danh_gia=MEASURE_KEYS[a.measure],
        uoc=ind.estimated,
        gia_tri=ind.value,
        gia_tri_thang=ind.month_value,
        gia_tri_ky=ind.month_value,
        cung_ky=ind.same_period,
        dau_nam=ind.baseline,
        co_ke_hoach=target is not None,
        ke_hoach=described,
        # "tăng 12,8% (mục tiêu trên 13%)" — but keep "tăng 10%" whole: "(mục tiêu 10%)" reads badly
        ke_hoach_gon=described[5:] if described.startswith("tăng ") and not described[5:6].isdigit() else described,
        ke_hoach_goc=target.text if target else "",
        kieu_ke_hoach=TARGET_KEYS[target.kind] if target else "",
        huong="thap" if target and target.direction.value == "lower" else "cao",
        so_tang_truong=a.compares_growth,
        tang_truong=a.growth,
        tang_truong_nhap=a.growth_entered,
        ty_le_kh=a.plan_ratio,
        ty_le_ck=a.same_period_ratio,
        thay_doi_ck=a.same_period_change,
        chenh_lech_diem=a.point_diff,
        chenh_lech_ck_diem=a.same_period_points,
        giam_duoc=a.reduction,
        tien_do_yeu_cau=a.expected_ratio,
        trang_thai=a.status.value,
        ma_trang_thai=STATUS_KEYS[a.status],
        la_ty_le=ind.is_rate,
        la_ngan_sach=any(w in name_key for w in _BUDGET_WORDS),
        la_giai_ngan=any(w in name_key for w in _DISBURSEMENT_WORDS),
        la_thu_noi_dia="thunộiđịa" in name_key,
        can_chu_y=a.status.lagging,
        ghi_chu=note,
    )


def project_view(p: Project) -> CongTrinh:
    return CongTrinh(p.code, p.name, p.total_investment, p.planned_completion, p.progress, p.disbursed, p.status_text)


def paragraph_view(remark: Remark) -> Doan:
    return Doan(remark.text, remark.owner)


def in_sentence(name: str) -> str:
    """'Tỷ lệ hộ cận nghèo' → 'tỷ lệ hộ cận nghèo'; 'BHYT …', 'Quốc lộ 18C' keep their capital."""
    if len(name) >= 2 and name[0].isupper() and name[1].islower() and not _PROPER.match(name):
        return name[0].lower() + name[1:]
    return name


_PROPER = re.compile(r"^(Nhà nước|Nhân dân|Quốc lộ|Đảng|Khu kinh tế)\b")
_COUNT_WORDS = re.compile(r"^(?:tổng\s+)?(?:số\s+(?:lượng\s+)?)?", re.IGNORECASE)


def counted(name: str) -> str:
    """What a count counts: 'Số hộ tái nghèo' → 'hộ tái nghèo'; 'Số hộ nghèo phát sinh mới' → 'hộ nghèo mới'."""
    text = _COUNT_WORDS.sub("", name.strip(), count=1)
    text = re.sub(r"\s+phát sinh(?=\s|$)", "", text)
    text = re.sub(r"\s*\((chuẩn [^)]*)\)", r" theo \1", text)  # "(chuẩn nghèo …)" → "theo chuẩn nghèo …"
    return in_sentence(text.strip() or name)
