"""The report's outline (a district's socio-economic report) and where each staff paragraph and indicator goes.

Part I of a district report has four clauses — direction, the economy, culture
and society, internal affairs and defence — most of them with lettered points
for the sectors (agriculture, industry, trade and tourism, the budget, public
investment, natural resources; education, health, labour, poverty, culture,
ethnic affairs …), then a general assessment.  Part II is the shortcomings and
their causes, III the tasks of the next period, IV the proposals.

:class:`Section` is the list staff choose from in the Nhận định sheet's "Phần"
column; the same names may be given as an indicator's "Lĩnh vực", which puts
its sentence in that sector (and its row under the sector's clause in the
appendix).  Any other Lĩnh vực becomes a clause of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from reportgen.core.vntext import match_key


class Section(Enum):
    """Column "Phần" of sheet Nhận định: where a staff paragraph goes (in outline order)."""

    DIRECTION = "Chỉ đạo, điều hành"
    ECONOMY = "Kinh tế"
    AGRICULTURE = "Nông, lâm nghiệp, thủy sản; nông thôn mới"
    INDUSTRY = "Công nghiệp, xây dựng"
    TRADE = "Thương mại, dịch vụ, du lịch; xuất nhập khẩu"
    BUDGET = "Thu, chi ngân sách"
    INVESTMENT = "Đầu tư công, thu hút đầu tư"
    ENVIRONMENT = "Tài nguyên, môi trường"
    SOCIETY = "Văn hóa - Xã hội"
    EDUCATION = "Giáo dục và đào tạo"
    HEALTH = "Y tế, bảo hiểm y tế"
    LABOUR = "Lao động, việc làm"
    POVERTY = "Giảm nghèo, an sinh xã hội"
    CULTURE = "Văn hóa, thông tin, thể thao"
    ETHNIC = "Công tác dân tộc"
    DEFENCE = "Quốc phòng - An ninh"
    GOVERNANCE = "Nội chính, xây dựng chính quyền, cải cách hành chính"
    OVERALL = "Đánh giá chung"
    SHORTCOMINGS = "Tồn tại, hạn chế"
    CAUSES = "Nguyên nhân"
    TASKS = "Nhiệm vụ trọng tâm"
    PROPOSALS = "Kiến nghị"


SECTION_ALIASES: dict[str, Section] = {
    "Nhiệm vụ tháng tới": Section.TASKS,
    "Nhiệm vụ kỳ tới": Section.TASKS,
    "Nhiệm vụ": Section.TASKS,
    "Nhiệm vụ, giải pháp": Section.TASKS,
    "Kiến nghị, đề xuất": Section.PROPOSALS,
    "Đề xuất": Section.PROPOSALS,
    "Tồn tại": Section.SHORTCOMINGS,
    "Hạn chế": Section.SHORTCOMINGS,
    "Nguyên nhân tồn tại": Section.CAUSES,
    "Công tác chỉ đạo, điều hành": Section.DIRECTION,
    "Lĩnh vực kinh tế": Section.ECONOMY,
    "Lĩnh vực văn hóa - xã hội": Section.SOCIETY,
    "Văn hóa - Xã hội": Section.SOCIETY,
    "Nông nghiệp": Section.AGRICULTURE,
    "Nông thôn mới": Section.AGRICULTURE,
    "Công nghiệp": Section.INDUSTRY,
    "Thương mại, du lịch": Section.TRADE,
    "Du lịch": Section.TRADE,
    "Xuất nhập khẩu": Section.TRADE,
    "Ngân sách": Section.BUDGET,
    "Thu ngân sách": Section.BUDGET,
    "Đầu tư công": Section.INVESTMENT,
    "Tài nguyên - môi trường": Section.ENVIRONMENT,
    "Giáo dục": Section.EDUCATION,
    "Y tế": Section.HEALTH,
    "Lao động": Section.LABOUR,
    "Giảm nghèo": Section.POVERTY,
    "An sinh xã hội": Section.POVERTY,
    "Văn hóa": Section.CULTURE,
    "Dân tộc": Section.ETHNIC,
    "Quốc phòng, an ninh": Section.DEFENCE,
    "An ninh, trật tự": Section.DEFENCE,
    "Cải cách hành chính": Section.GOVERNANCE,
    "Nội chính": Section.GOVERNANCE,
}
"""Other names staff write for a section (compared as :func:`choice_key` does)."""


@dataclass(frozen=True)
class Clause:
    """A numbered clause of part I and its lettered points."""

    title: str
    """The heading after its number: "Lĩnh vực kinh tế"."""
    own: Section | None
    """The section whose indicators and paragraphs come straight under the heading."""
    points: tuple[tuple[Section, str], ...] = ()
    """The lettered points: (section, heading)."""
    group: str = ""
    """The group row of the appendix table for indicators of this clause ("Kinh tế")."""


CLAUSES: tuple[Clause, ...] = (
    Clause("Công tác chỉ đạo, điều hành", Section.DIRECTION),
    Clause(
        "Lĩnh vực kinh tế",
        Section.ECONOMY,
        (
            (Section.AGRICULTURE, "Sản xuất nông, lâm nghiệp, thủy sản; xây dựng nông thôn mới"),
            (Section.INDUSTRY, "Công nghiệp - tiểu thủ công nghiệp, xây dựng"),
            (Section.TRADE, "Thương mại, dịch vụ, du lịch; kinh tế cửa khẩu, xuất nhập khẩu"),
            (Section.BUDGET, "Thu, chi ngân sách nhà nước"),
            (Section.INVESTMENT, "Đầu tư công, giải ngân vốn; thu hút đầu tư"),
            (Section.ENVIRONMENT, "Tài nguyên - môi trường"),
        ),
        group="Kinh tế",
    ),
    Clause(
        "Lĩnh vực văn hóa - xã hội",
        Section.SOCIETY,
        (
            (Section.EDUCATION, "Giáo dục và đào tạo"),
            (Section.HEALTH, "Y tế, bảo hiểm y tế"),
            (Section.LABOUR, "Lao động, việc làm"),
            (Section.POVERTY, "Giảm nghèo, an sinh xã hội"),
            (Section.CULTURE, "Văn hóa, thông tin, thể thao"),
            (Section.ETHNIC, "Công tác dân tộc"),
        ),
        group="Văn hóa - Xã hội",
    ),
    Clause(
        "Nội chính, quốc phòng - an ninh; xây dựng chính quyền, cải cách hành chính",
        None,
        (
            (Section.DEFENCE, "Quốc phòng - an ninh"),
            (Section.GOVERNANCE, "Nội chính, xây dựng chính quyền, cải cách hành chính"),
        ),
        group="Quốc phòng - An ninh",
    ),
)
"""Part I's clauses in order; "Đánh giá chung" follows them (after any clause of other Lĩnh vực)."""

PART_SECTIONS = (Section.OVERALL, Section.SHORTCOMINGS, Section.CAUSES, Section.TASKS, Section.PROPOSALS)
"""Sections outside part I's sectors, each placed by the report's frame."""

POINT_LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t")
"""Points are lettered in the Vietnamese alphabet (Decree 30, Phụ lục I: "a), b), c), d), đ) …")."""


def choice_key(text: str) -> str:
    """Key for drop-down values: match_key without punctuation ("Văn hoá – Xã hội" = "Văn hóa - Xã hội")."""
    return re.sub(r"[\W_]+", "", match_key(text))


_BY_KEY: dict[str, Section] = {
    **{choice_key(name): section for name, section in SECTION_ALIASES.items()},
    **{choice_key(section.value): section for section in Section},
    **{choice_key(title): section for clause in CLAUSES for section, title in clause.points},
}


def find_section(text: str) -> Section | None:
    """The section a Phần (or a Lĩnh vực) names, by its value, its heading or an alias."""
    return _BY_KEY.get(choice_key(text))


def sector_of(field: str) -> Section | None:
    """The sector an indicator's Lĩnh vực names, None when it is not one of part I's sectors."""
    section = find_section(field)
    return section if section is not None and section in SECTOR_SECTIONS else None


def clause_of(section: Section) -> Clause | None:
    for clause in CLAUSES:
        if clause.own is section or any(s is section for s, _ in clause.points):
            return clause
    return None


def group_of(field: str) -> str:
    """The appendix group of an indicator: its clause's group for a sector, else the Lĩnh vực itself."""
    section = sector_of(field)
    clause = clause_of(section) if section else None
    return clause.group if clause and clause.group else field


SECTOR_SECTIONS: tuple[Section, ...] = tuple(
    section
    for clause in CLAUSES
    for section in ((clause.own,) if clause.own else ()) + tuple(p for p, _ in clause.points)
    if section is not Section.DIRECTION
)
"""The sections of part I an indicator may belong to (not direction: it has no figures), in outline order."""
