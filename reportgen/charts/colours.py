"""The colour of each assessment status: chart bars in every format, and the summary workbook's cells."""

from __future__ import annotations

STATUS_COLOURS = {
    "Vượt kế hoạch": "#1b7837",
    "Đạt kế hoạch": "#5aae61",
    "Đúng tiến độ": "#2166ac",
    "Chậm tiến độ": "#e08214",
    "Chưa đạt": "#d6604d",
    "Không đạt": "#b2182b",
}
"""Chart bar colours by status; the same in every format (and, with hatches, legible in black and white)."""
