"""DrawingML building blocks of a Word chart part: colours, fills, lines, text looks, cached data.

Built as text, like the rest of the Word writer's XML (:mod:`.xml`); the
children of every element are written in the schema's order, which Word
insists on.  Lengths of lines are in points here and EMU (1/12700 pt) in
the XML; font sizes in points here and hundredths of a point in the XML.
"""

from __future__ import annotations

from reportgen.writers.theme import FONT_NAME, LANGUAGE
from reportgen.writers.xml_escape import escape, quoteattr

EMU_PER_PT = 12700
SHEET = "Sheet1"
"""The sheet the cached values say they come from (Word's own name for a chart's data sheet)."""
TEXT_COLOUR = "#222222"
"""The picture's text colour (:data:`reportgen.charts.compose.TEXT_COLOUR`)."""
WHITE = "#ffffff"


def column_letters(number: int) -> str:
    """Spreadsheet letters of the column ``number`` counted from 0: A, B, … Z, AA …"""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def number_text(value: float) -> str:
    """A number as XML Schema writes it: no exponent, no trailing zeros ("98.5", "100", "-3")."""
    return format(round(value, 6), "f").rstrip("0").rstrip(".") or "0"


# ------------------------------------------------------------------ data ----


def text_data(cells: str, texts: list[str]) -> str:
    """``c:strRef``: a formula naming the cells and the cached texts, which is what is displayed."""
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(text)}</c:v></c:pt>' for i, text in enumerate(texts))
    return (
        f'<c:strRef><c:f>{SHEET}!{cells}</c:f><c:strCache><c:ptCount val="{len(texts)}"/>{points}'
        f"</c:strCache></c:strRef>"
    )


def number_data(cells: str, values: list[float | None]) -> str:
    """``c:numRef`` with cached numbers; a None is left out, which Word and LibreOffice treat as a blank cell."""
    points = "".join(
        f'<c:pt idx="{i}"><c:v>{number_text(v)}</c:v></c:pt>' for i, v in enumerate(values) if v is not None
    )
    return (
        f"<c:numRef><c:f>{SHEET}!{cells}</c:f><c:numCache><c:formatCode>General</c:formatCode>"
        f'<c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef>'
    )


# ----------------------------------------------------------------- looks ----


def rgb(colour: str) -> str:
    return f'<a:srgbClr val="{colour.lstrip("#").upper()}"/>'


def solid_fill(colour: str) -> str:
    return f"<a:solidFill>{rgb(colour)}</a:solidFill>"


def pattern_fill(preset: str, colour: str) -> str:
    """A preset pattern (``wdUpDiag`` …) in white over ``colour``."""
    return f'<a:pattFill prst="{preset}"><a:fgClr>{rgb(WHITE)}</a:fgClr><a:bgClr>{rgb(colour)}</a:bgClr></a:pattFill>'


def line(colour: str, width_pt: float, dashed: bool = False) -> str:
    """``a:ln``: a solid or dashed line with flat ends."""
    dash = '<a:prstDash val="dash"/>' if dashed else ""
    return f'<a:ln w="{round(width_pt * EMU_PER_PT)}" cap="flat">{solid_fill(colour)}{dash}</a:ln>'


def no_line() -> str:
    return "<a:ln><a:noFill/></a:ln>"


def shape_look(fill: str = "<a:noFill/>", outline: str | None = None) -> str:
    """``c:spPr``: a fill (none by default) and an outline (none by default)."""
    return f"<c:spPr>{fill}{outline if outline is not None else no_line()}</c:spPr>"


def line_look(colour: str, width_pt: float, dashed: bool = False) -> str:
    """``c:spPr`` of an axis or gridline."""
    return f"<c:spPr>{line(colour, width_pt, dashed)}</c:spPr>"


def run_look(size_pt: float, bold: bool = False, tag: str = "defRPr", colour: str = TEXT_COLOUR) -> str:
    """``a:defRPr`` or ``a:rPr``: Times New Roman (the document's font) at ``size_pt``."""
    font = quoteattr(FONT_NAME)
    return (
        f'<a:{tag} lang="{LANGUAGE}" sz="{round(size_pt * 100)}" b="{int(bold)}">{solid_fill(colour)}'
        f"<a:latin typeface={font}/><a:cs typeface={font}/></a:{tag}>"
    )


def text_look(size_pt: float, bold: bool = False, colour: str = TEXT_COLOUR) -> str:
    """``c:txPr``: how an element's texts look."""
    return (
        f"<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{run_look(size_pt, bold, colour=colour)}</a:pPr>"
        f'<a:endParaRPr lang="{LANGUAGE}"/></a:p></c:txPr>'
    )


def rich_text(text: str, size_pt: float, bold: bool = False, colour: str = TEXT_COLOUR) -> str:
    """``c:tx`` holding one paragraph of literal text (a title, a data label's own text)."""
    return (
        f"<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{run_look(size_pt, bold, colour=colour)}</a:pPr>"
        f"<a:r>{run_look(size_pt, bold, 'rPr', colour)}<a:t>{escape(text)}</a:t></a:r></a:p></c:rich></c:tx>"
    )


def title(text: str, size_pt: float, bold: bool = True) -> str:
    return f'<c:title>{rich_text(text, size_pt, bold)}<c:overlay val="0"/></c:title>'


_LABEL_FLAGS = (
    '<c:showLegendKey val="0"/><c:showVal val="{shown}"/><c:showCatName val="0"/>'
    '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
)


def value_labels(placements: list[str], size_pt: float, number_format: str) -> str:
    """``c:dLbls``: each bar's value, shown through ``number_format`` so that it follows the data when the
    workbook is edited, past the bar's end ("out"), or inside it in bold white ("in": a bar cut at the axis's
    end, as in the picture); none where the picture leaves a bar unlabelled ("hidden": bars too dense).
    ``placements``: one per point, "" where the series has no bar."""
    fmt = f'<c:numFmt formatCode={quoteattr(number_format)} sourceLinked="0"/>'
    own = []
    for index, place in enumerate(placements):
        if place == "hidden":
            own.append(f'<c:dLbl><c:idx val="{index}"/><c:delete val="1"/></c:dLbl>')
        elif place == "in":
            own.append(
                f'<c:dLbl><c:idx val="{index}"/>{fmt}{shape_look()}{text_look(size_pt, True, WHITE)}'
                f'<c:dLblPos val="inEnd"/>{_LABEL_FLAGS.format(shown=1)}</c:dLbl>'
            )
    return (
        f'<c:dLbls>{"".join(own)}{fmt}{shape_look()}{text_look(size_pt)}<c:dLblPos val="outEnd"/>'
        f"{_LABEL_FLAGS.format(shown=1)}</c:dLbls>"
    )


def no_labels() -> str:
    return '<c:dLbls><c:delete val="1"/></c:dLbls>'
