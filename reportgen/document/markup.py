"""The light markup narrative templates write, turned into document blocks.

Templates decide wording and outline, never layout.  Every non-blank line of
their output is one block::

    # I. KẾT QUẢ THỰC HIỆN …        a level-1 heading ("##", "###" for levels 2, 3)
    - Thu ngân sách …               a dash item
    Any other text                  a body paragraph
    **bold** and *italic*           inside any line

Blank lines are ignored, so template control lines may leave them freely; a
sentence written over several template lines is wrapped in
``{% filter mot_dong %}`` to become one line.  Every line is cleaned like
workbook text (NFC, no control characters), so nothing a template or a staff
paragraph contains can break the XML writers.
"""

from __future__ import annotations

import re

from reportgen.core.vntext import tidy
from reportgen.document.model import Heading, ListItem, Paragraph, ParagraphRole, Run

_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")
CLOSING_MARK = "./."


def parse_markup(text: str) -> list[Heading | Paragraph | ListItem]:
    blocks: list[Heading | Paragraph | ListItem] = []
    for raw in text.splitlines():
        if not raw or raw.isspace():  # two lines in three: tidy would make them '' (0.2 ms a report)
            continue
        line = tidy(raw)
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading:
            blocks.append(Heading(len(heading.group(1)), heading.group(2)))
        elif line.startswith("- "):
            blocks.append(ListItem(parse_inline(line[2:])))
        else:
            role = ParagraphRole.CLOSING if line.endswith(CLOSING_MARK) else ParagraphRole.BODY
            blocks.append(Paragraph(parse_inline(line), role))
    return blocks


def parse_inline(text: str) -> tuple[Run, ...]:
    runs: list[Run] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position : match.start()]))
        if match.group(1) is not None:
            runs.append(Run(match.group(1), bold=True))
        else:
            runs.append(Run(match.group(2), italic=True))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return tuple(runs) or (Run(""),)
