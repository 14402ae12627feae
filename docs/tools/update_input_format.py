"""Regenerate the column tables of docs/input-format.md from the workbook schema.

    .venv/bin/python docs/tools/update_input_format.py           # rewrite the tables in place
    .venv/bin/python docs/tools/update_input_format.py --check   # exit 1 when the doc is out of date

Each table sits between ``<!-- bảng tự sinh: NAME -->`` and ``<!-- hết bảng -->``;
the text around the tables is written by hand.  The same headers and help
texts fill the workbook's own "Hướng dẫn" sheet, so the doc and the workbook
cannot disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reportgen.workbook import list_columns, schema  # noqa: E402 - after the path setup above
from reportgen.workbook.write.guide import INPUT_ROLE, PLAN_ROLE, TARGET_EXAMPLES, column_role  # noqa: E402

DOC = ROOT / "docs" / "input-format.md"
BLOCK = re.compile(r"(<!-- bảng tự sinh: (?P<name>[^>]+?) -->\n)(?P<body>.*?)(<!-- hết bảng -->)", re.DOTALL)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _table(head: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    lines = [_row(head), _row("---" for _ in head)]
    lines += [_row(r) for r in rows]
    return "\n".join(lines) + "\n"


def _aliases(names: tuple[str, ...]) -> str:
    return ", ".join(f"“{n}”" for n in names) if names else "—"


def columns_table(columns: tuple[schema.Column, ...]) -> str:
    return _table(
        ("Cột", "Loại cột", "Phải có cột", "Nội dung", "Tên cột khác cũng được"),
        ((f"**{c.header}**", column_role(c), "có" if c.required else "", c.help, _aliases(c.aliases))
         for c in columns),
    )


def info_table() -> str:
    return _table(
        ("Mục", "Loại ô", "Bắt buộc", "Nội dung", "Tên khác cũng được"),
        ((f"**{k.label}**", PLAN_ROLE if k.key == "period" else INPUT_ROLE, "có" if k.required else "",
          k.help, _aliases(k.aliases)) for k in schema.INFO_KEYS),
    )


def targets_table() -> str:
    return _table(("Viết", "Nghĩa là"), ((f"“{text}”", meaning) for text, meaning in TARGET_EXAMPLES))


def choices_list(values: tuple[str, ...]) -> str:
    return "".join(f"- {v}\n" for v in values)


TABLES: dict[str, Callable[[], str]] = {
    schema.INFO: info_table,
    schema.INDICATORS: lambda: columns_table(list_columns.INDICATOR_COLUMNS),
    schema.PROJECTS: lambda: columns_table(list_columns.PROJECT_COLUMNS),
    schema.REMARKS: lambda: columns_table(list_columns.REMARK_COLUMNS),
    "Loại": lambda: choices_list(list_columns.KIND_CHOICES),
    "Phần": lambda: choices_list(list_columns.SECTION_CHOICES),
    "Kế hoạch năm": targets_table,
}


def render(text: str) -> str:
    """``text`` with every generated block replaced by its current content."""
    def replace(match: re.Match[str]) -> str:
        name = match.group("name").strip()
        if name not in TABLES:
            raise SystemExit(f"docs/input-format.md: unknown table “{name}”")
        return match.group(1) + TABLES[name]() + match.group(4)

    return BLOCK.sub(replace, text)


def main(argv: list[str]) -> int:
    current = DOC.read_text(encoding="utf-8")
    updated = render(current)
    if "--check" in argv:
        if updated != current:
            print("docs/input-format.md is out of date: run .venv/bin/python docs/tools/update_input_format.py")
            return 1
        return 0
    DOC.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
