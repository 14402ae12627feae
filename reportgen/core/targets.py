"""The plan target as written in a resolution, read into a comparable form.

Grammar (as resolutions word their targets), case- and spacing-insensitive, units allowed
after the number ("600 lao động trở lên", "trên 13%"), a note in brackets
ignored ("giảm 0,17% (13 hộ)"):

=================================================  ===========  ==========================
text                                               kind         direction
=================================================  ===========  ==========================
"trên X", "hơn X", "X trở lên", "tối thiểu X",     FLOOR        higher is better
"ít nhất X", "≥ X", "> X", "đạt X", plain "X"
"khoảng X", "xấp xỉ X", "~X"                       APPROX       higher is better
"X - Y", "X–Y", "từ X đến Y"                        RANGE        higher is better
"dưới X", "không quá X", "tối đa X", "≤ X", "< X"  CEILING      lower is better
"giảm X"                                           REDUCTION    lower is better
"không còn …", "0"                                 ZERO         lower is better
"tăng <any of the above>"                          growth=True  (compared with the growth rate)
=================================================  ===========  ==========================

A growth target is a rate, so "tăng 0%" is a floor of 0 (any growth meets it),
not a zero target.  Targets that cannot mean anything are refused with a
message saying what to write instead: a negative number ("giảm X" says it),
"giảm 0", "khoảng 0", a range whose two ends are equal ("0 - 0"), a number
too large to be a plan figure (:data:`MAX_TARGET`), "không còn" on a growth
target.  :func:`target_problem` adds the checks that need the rest of the
row (a reduction larger than the start-of-year level).

Grading compares the actual figure *as printed* (rounded half up to two
decimals) so that a status never contradicts the number next to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

from reportgen.core.vnformat import parse_vn_number, round_half_up, vn_num
from reportgen.core.vntext import clean

GRADING_DECIMALS = 2
DEFAULT_CEILING_EXCEED_RATIO = Decimal("0.9")
MAX_TARGET = Decimal("1E15")
"""No plan figure reaches this (a province's budget in đồng is about 10^13): a larger number is a
code, a telephone number or a paste gone wrong."""


class TargetKind(Enum):
    FLOOR = "floor"
    APPROX = "approx"
    RANGE = "range"
    CEILING = "ceiling"
    REDUCTION = "reduction"
    ZERO = "zero"


class Direction(Enum):
    HIGHER = "higher"
    LOWER = "lower"


class TargetSyntaxError(ValueError):
    """The target text does not follow the grammar; ``str()`` says what is accepted."""


@dataclass(frozen=True)
class Target:
    """An annual plan target."""

    kind: TargetKind
    value: Decimal
    """The headline number: the floor, ceiling, approximate value, reduction, or a range's low end."""
    high: Decimal | None = None
    """Upper end of a RANGE."""
    strict: bool = False
    """"dưới X" (strictly below) as opposed to "không quá X"."""
    growth: bool = False
    """The target is a growth rate on the same period ("tăng trên 10%")."""
    tolerance: Decimal = Decimal(0)
    """Half a unit of the last written digit, for APPROX ("khoảng 83,1" → ±0,05)."""
    qualifier: str = ""
    """The qualifying word as written and normalised ("trên", "trở lên", "khoảng", "dưới"…)."""
    unit: str = ""
    """Unit words written with the number, if any ("lao động", "%")."""
    text: str = ""
    """The target as written in the workbook (NFC)."""

    @property
    def direction(self) -> Direction:
        if self.kind in (TargetKind.CEILING, TargetKind.REDUCTION, TargetKind.ZERO):
            return Direction.LOWER
        return Direction.HIGHER

    @property
    def has_ratio(self) -> bool:
        """Whether "% of plan" means something (not for zero, reduction or ceiling targets)."""
        return self.kind in (TargetKind.FLOOR, TargetKind.APPROX, TargetKind.RANGE) and self.value > 0

    def describe(self, unit: str | None = None) -> str:
        """Canonical Vietnamese wording: 'trên 13%', '600 lao động trở lên', 'khoảng 83,1%'.

        ``unit`` is printed after the number; None prints the unit written in the
        target itself, '' prints none (a table with its own unit column).
        """
        unit = self.unit if unit is None else unit
        num = lambda d: _with_unit(vn_num(d, 3), unit)  # noqa: E731 - tiny local formatter
        growth = "tăng " if self.growth else ""
        if self.kind is TargetKind.ZERO:
            return "không còn"
        if self.kind is TargetKind.REDUCTION:
            return f"giảm {num(self.value)}"
        if self.kind is TargetKind.RANGE:
            return f"{growth}{vn_num(self.value, 3)} - {num(self.high or self.value)}"
        if self.kind is TargetKind.FLOOR and self.qualifier in ("trở lên",):
            return f"{growth}{num(self.value)} trở lên"
        word = self.qualifier if self.qualifier and self.qualifier != "đạt" else ""
        return f"{growth}{word + ' ' if word else ''}{num(self.value)}"


def _with_unit(number: str, unit: str) -> str:
    unit = unit.strip()
    if not unit:
        return number
    return number + "%" if unit == "%" else f"{number} {unit}"


@dataclass(frozen=True)
class Grade:
    """Whether a figure meets (met) or beats (exceeded) its target."""

    met: bool
    exceeded: bool


def grade(
    target: Target,
    actual: Decimal,
    baseline: Decimal | None = None,
    ceiling_exceed_ratio: Decimal = DEFAULT_CEILING_EXCEED_RATIO,
) -> Grade:
    """Grade ``actual`` (a level, or a growth rate for growth targets) against ``target``.

    REDUCTION needs ``baseline`` (the start-of-year level); the caller reports its
    absence.  "trên X" is graded met at exactly X, as practice does.
    """
    a = round_half_up(actual, GRADING_DECIMALS)
    x = target.value
    if target.kind is TargetKind.FLOOR:
        if x == 0 and target.qualifier in _STRICT_FLOORS:
            return Grade(a > 0, False)  # "trên 0": any positive figure, and nothing to exceed by
        return Grade(a >= x, a > x)
    if target.kind is TargetKind.APPROX:
        return Grade(a >= x - target.tolerance, a > x + target.tolerance)
    if target.kind is TargetKind.RANGE:
        high = target.high if target.high is not None else x
        return Grade(a >= x, a > high)
    if target.kind is TargetKind.CEILING:
        met = a < x if target.strict else a <= x
        return Grade(met, met and a <= x * ceiling_exceed_ratio)
    if target.kind is TargetKind.REDUCTION:
        if baseline is None:
            raise ValueError("a reduction target needs the start-of-year baseline")
        reduced = round_half_up(baseline, GRADING_DECIMALS) - a
        return Grade(reduced >= x, reduced > x)
    return Grade(a == 0, False)  # ZERO: nothing beyond "none left"


def target_problem(target: Target, baseline: Decimal | None, judged_on_growth: bool) -> str | None:
    """What makes ``target`` impossible for its row, or None: a reduction larger than the level it
    starts from ("giảm 200" from 108 households).  On a row judged on growth a "giảm X" target is a
    rate of decline and needs no start-of-year level."""
    if (
        target.kind is TargetKind.REDUCTION
        and not judged_on_growth
        and baseline is not None
        and target.value > baseline
    ):
        return f"kế hoạch “{target.text}” giảm nhiều hơn mức đầu năm ({vn_num(baseline, 3)}), không thể đạt được"
    return None


def growth_target(target: Target) -> Target:
    """The target of a row judged on growth, as a condition on the growth rate.

    "giảm 5%" on such a row means a decline of at least 5% on the same period: a ceiling of −5 on
    the growth rate (lower is better).  Every other kind already reads as a rate.
    """
    if target.kind is TargetKind.REDUCTION:
        return replace(target, kind=TargetKind.CEILING, value=-target.value, strict=False, growth=True)
    return target


# ---------------------------------------------------------------- parsing ----

_NOTE = re.compile(r"\([^()]*\)")
_NUMBER = r"[+-]?\d[\d.,\s]*?\d(?![\d])|[+-]?\d"
_FLOOR_WORDS = ("tối thiểu", "ít nhất", "trên", "hơn", "≥", ">=", ">")
_CEILING_WORDS = ("không vượt quá", "không quá", "tối đa", "dưới", "≤", "<=", "<")
_APPROX_WORDS = ("khoảng", "xấp xỉ", "~", "gần")
_STRICT_CEILINGS = ("dưới", "<")
_STRICT_FLOORS = ("trên", "hơn", ">")
_ZERO_WORDS = ("không còn", "không có", "không để")
_UNIT = re.compile(r"^[^\d<>=≤≥~]*$")

HELP = (
    "viết chỉ tiêu như trong nghị quyết, ví dụ: “trên 13”, “600 trở lên”, “khoảng 83,1”, "
    "“97,6”, “10 - 12”, “dưới 5”, “không quá 3”, “giảm 13”, “không còn” (hoặc “0”), “tăng trên 10”"
)


def parse_target(text: str) -> Target:
    """Read a target as written ("trên 13%", "600 lao động trở lên", "khoảng 83,1").

    Raises :class:`TargetSyntaxError` naming what was not understood.
    """
    original = clean(str(text)).text
    body = _NOTE.sub(" ", original).lower().strip().rstrip(".;")
    body = re.sub(r"\s+", " ", body).strip()
    if not body:
        raise TargetSyntaxError("chỉ tiêu kế hoạch để trống; " + HELP)
    growth = False
    if body.startswith("tăng "):
        growth, body = True, body[5:].strip()
    if body.startswith("đạt ") and not growth:
        body = body[4:].strip()
        if body.startswith("tăng "):
            growth, body = True, body[5:].strip()
    target = _parse_body(body, original)
    if growth and target.kind is TargetKind.ZERO:
        if target.qualifier == "không còn" and not re.match(r"^[+-]?\d", body):
            raise TargetSyntaxError(
                f"“{original}”: chỉ tiêu tốc độ tăng không thể là “không còn”; "
                "ghi tốc độ tăng mục tiêu, ví dụ “tăng trên 10%” hoặc “tăng 0%”"
            )
        # "tăng 0%": a growth rate of at least nothing
        target = Target(TargetKind.FLOOR, Decimal(0), qualifier="", unit=target.unit, text=original)
    _check_sensible(target, original)
    return replace(target, growth=growth)


def _check_sensible(target: Target, original: str) -> None:
    """Refuse targets that parse but cannot mean anything (module docstring)."""
    numbers = [target.value] + ([target.high] if target.high is not None else [])
    if any(n < 0 for n in numbers):
        raise TargetSyntaxError(
            f"“{original}” có số âm; mức giảm ghi “giảm X” (ví dụ “giảm 13”, "
            "“tăng trên 10” hoặc “giảm 5” cho tốc độ tăng)"
        )
    if any(abs(n) >= MAX_TARGET for n in numbers):
        raise TargetSyntaxError(
            f"“{original}”: con số quá lớn để là chỉ tiêu kế hoạch; kiểm tra lại (có thể đã dán nhầm một mã số)"
        )
    if target.kind is TargetKind.REDUCTION and target.value == 0:
        raise TargetSyntaxError(
            f"“{original}”: mức giảm phải lớn hơn 0; nếu mục tiêu là giữ nguyên "
            "thì ghi mức cần giữ, ví dụ “không quá 108”"
        )
    if target.kind is TargetKind.APPROX and target.value == 0:
        raise TargetSyntaxError(
            f"“{original}” không rõ nghĩa; nếu mục tiêu là không còn, không phát sinh thì ghi “0” hoặc “không còn”"
        )
    if target.kind is TargetKind.RANGE and target.high == target.value:
        raise TargetSyntaxError(
            f"khoảng “{original}” có hai cận bằng nhau; ghi một số (ví dụ “{vn_num(target.value, 3)}”)"
        )


def _parse_body(body: str, original: str) -> Target:
    if body.startswith(_ZERO_WORDS):
        return Target(TargetKind.ZERO, Decimal(0), qualifier="không còn", text=original)
    if body.startswith("giảm "):
        value, unit = _number_and_unit(body[5:], original)
        return Target(TargetKind.REDUCTION, value, qualifier="giảm", unit=unit, text=original)
    for word in _CEILING_WORDS:
        if body.startswith(word):
            value, unit = _number_and_unit(body[len(word) :], original)
            return Target(
                TargetKind.CEILING, value, strict=word in _STRICT_CEILINGS, qualifier=word, unit=unit, text=original
            )
    for word in _APPROX_WORDS:
        if body.startswith(word):
            rest = body[len(word) :]
            value, unit = _number_and_unit(rest, original)
            return Target(
                TargetKind.APPROX, value, tolerance=_half_last_digit(rest), qualifier=word, unit=unit, text=original
            )
    for word in _FLOOR_WORDS:
        if body.startswith(word):
            value, unit = _number_and_unit(body[len(word) :], original)
            return Target(TargetKind.FLOOR, value, qualifier=word, unit=unit, text=original)
    for suffix in ("trở lên", "trở lên nữa"):
        if body.endswith(suffix):
            value, unit = _number_and_unit(body[: -len(suffix)], original)
            return Target(TargetKind.FLOOR, value, qualifier="trở lên", unit=unit, text=original)
    ranged = _parse_range(body, original)
    if ranged is not None:
        return ranged
    value, unit = _number_and_unit(body, original)
    if value == 0:
        return Target(TargetKind.ZERO, Decimal(0), qualifier="không còn", unit=unit, text=original)
    return Target(TargetKind.FLOOR, value, qualifier="", unit=unit, text=original)


_RANGE = re.compile(
    r"^(?:từ\s*)?(?P<low>[+-]?\d[\d.,]*)\s*(?P<unit1>[^\d\-–—]*?)\s*(?:-|–|—|đến)\s*"
    r"(?P<high>[+-]?\d[\d.,]*)\s*(?P<unit2>.*)$"
)


def _parse_range(body: str, original: str) -> Target | None:
    m = _RANGE.match(body)
    if not m:
        return None
    low, high = _number(m.group("low"), original), _number(m.group("high"), original)
    unit = (m.group("unit2") or m.group("unit1") or "").strip()
    if not _UNIT.match(unit):
        raise TargetSyntaxError(f"không hiểu “{original}”; " + HELP)
    if high < low:
        raise TargetSyntaxError(
            f"khoảng “{original}” có cận trên nhỏ hơn cận dưới; viết cận nhỏ trước, ví dụ “10 - 12”"
        )
    return Target(TargetKind.RANGE, low, high=high, qualifier="-", unit=unit, text=original)


def _number_and_unit(rest: str, original: str) -> tuple[Decimal, str]:
    rest = rest.strip()
    m = re.match(r"^([+-]?\d[\d.,]*)\s*(.*)$", rest)
    if not m:
        raise TargetSyntaxError(f"không thấy con số trong “{original}”; " + HELP)
    unit = m.group(2).strip()
    if not _UNIT.match(unit):
        raise TargetSyntaxError(f"không hiểu phần “{unit}” trong “{original}”; " + HELP)
    return _number(m.group(1), original), unit


def _number(text: str, original: str) -> Decimal:
    parsed = parse_vn_number(text.rstrip(".,"))
    if parsed is None:
        raise TargetSyntaxError(f"“{text}” trong “{original}” không phải là số; " + HELP)
    return parsed[0]


def _half_last_digit(rest: str) -> Decimal:
    """'83,1' → 0.05, '600' → 0.5, '4' → 0.5: half a unit of the last written digit."""
    m = re.match(r"^\s*[+-]?\d[\d.]*(?:,(\d+))?", rest)
    decimals = len(m.group(1)) if m and m.group(1) else 0
    return Decimal(5).scaleb(-(decimals + 1))
