"""The Vietnamese filters templates write numbers, dates and periods with: ``{{ x | so }}`` → "8.000".

Each is a thin name over :mod:`reportgen.core.vnformat` (half-up rounding, "." for
thousands, "," for decimals, Decree 30 dates), so a template never formats a number
itself; docs/templates.md lists them for staff.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from reportgen.core.periods import Period
from reportgen.core.vnformat import nd30_date, round_half_up, short_date, vn_amount, vn_num, vn_pct
from reportgen.core.vntext import tidy


def _so(value: Any, decimals: int = 2) -> str:
    """{{ x | so }} → '8.000', '83,1'; {{ x | so(0) }} → '498'."""
    return "-" if value is None else vn_num(value, decimals)


def _pt(value: Any, decimals: int = 2) -> str:
    """{{ x | pt }} → '102,27%' (x already in percent)."""
    return "-" if value is None else vn_pct(value, decimals)


def _so_dvt(value: Any, unit: str, decimals: int = 3) -> str:
    """{{ x | so_dvt(ct.dvt) }} → '124,6 tỷ đồng', '83,1%'."""
    return "-" if value is None else vn_amount(value, unit, decimals)


def _ngay(value: date | None) -> str:
    """{{ d | ngay }} → 'ngày 05 tháng 01 năm 2023'."""
    return "" if value is None else nd30_date(value)


def _ngay_ngan(value: date | None) -> str:
    """{{ d | ngay_ngan }} → '05/01/2023'."""
    return "" if value is None else short_date(value)


def _ky(value: Any) -> str:
    """{{ '2023-H1' | ky }} → '6 tháng đầu năm 2023'."""
    period = value if isinstance(value, Period) else Period.parse(str(value))
    return period.label_with_year


def _lan(value: Any, decimals: int = 1) -> str:
    """A ratio in % as a multiple: {{ 230 | lan }} → '2,3' (for "gấp 2,3 lần")."""
    return vn_num(Decimal(str(value)) / 100, decimals)


def _tri_tuyet_doi(value: Any) -> Any:
    return abs(value) if value is not None else None


def _viet_hoa_dau(text: str) -> str:
    """Capitalise the first letter only: 'thu ngân sách' → 'Thu ngân sách'."""
    return text[:1].upper() + text[1:] if text else text


def _lam_tron(value: Any, decimals: int = 2) -> Any:
    return None if value is None else round_half_up(value, decimals)


def _mot_dong(text: str) -> str:
    """{% filter mot_dong %}…{% endfilter %}: a sentence written over several lines becomes one line."""
    return tidy(str(text))


FILTERS = {
    "mot_dong": _mot_dong,
    "so": _so,
    "pt": _pt,
    "so_dvt": _so_dvt,
    "ngay": _ngay,
    "ngay_ngan": _ngay_ngan,
    "ky": _ky,
    "lan": _lan,
    "tri_tuyet_doi": _tri_tuyet_doi,
    "viet_hoa_dau": _viet_hoa_dau,
    "lam_tron": _lam_tron,
}
GLOBALS: dict[str, Any] = {}
