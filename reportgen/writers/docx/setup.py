"""Document-wide settings of the Word file: styles, page setup, page-number headers.

Styles carry what a clerk editing the draft should get when typing a new
paragraph (Decree 30 body text, headings that show in Word's navigation
pane); Normal is kept neutral (Times New Roman 14 pt, no indent, no spacing)
because table cells and the page-1 header are built on it.
"""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.section import Section as WordSection
from docx.shared import Twips

from reportgen.document.model import Orientation, Section
from reportgen.writers.docx import xml as x
from reportgen.writers.docx.watermark import VML_NAMESPACES, watermark_run
from reportgen.writers.theme import (
    BODY_SIZE,
    EMPTY_PARAGRAPH_PT,
    FIRST_LINE_INDENT_MM,
    FONT_NAME,
    HEADER_DISTANCE_MM,
    HEADING_ALIGN,
    HEADING_SPACE_BEFORE_PT,
    HEADING_STYLES,
    LANDSCAPE_MARGINS,
    LANGUAGE,
    LINE_SPACING,
    PAGE_HEIGHT_MM,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH_MM,
    PORTRAIT_MARGINS,
    SPACE_AFTER_PT,
    Margins,
)

BODY_STYLE = "BodyText"
HEADING_STYLE = {level: f"Heading{level}" for level in HEADING_STYLES}

_FONTS = f'<w:rFonts w:ascii="{FONT_NAME}" w:hAnsi="{FONT_NAME}" w:cs="{FONT_NAME}" w:eastAsia="{FONT_NAME}"/>'
_SIZE = f'<w:sz w:val="{x.half_points(BODY_SIZE)}"/><w:szCs w:val="{x.half_points(BODY_SIZE)}"/>'
_LANGUAGE = f'<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}"/>'
# Successors of w:pgNumType inside w:sectPr (schema order), for inserting it in the right place.
_AFTER_PGNUMTYPE = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)


# ------------------------------------------------------------------ pages ----


def page_size_mm(orientation: Orientation) -> tuple[float, float]:
    """(width, height) of the A4 page in this orientation."""
    if orientation is Orientation.LANDSCAPE:
        return PAGE_HEIGHT_MM, PAGE_WIDTH_MM
    return PAGE_WIDTH_MM, PAGE_HEIGHT_MM


def margins(orientation: Orientation) -> Margins:
    return LANDSCAPE_MARGINS if orientation is Orientation.LANDSCAPE else PORTRAIT_MARGINS


def text_width_mm(orientation: Orientation) -> float:
    """Width between the margins: 165 mm portrait, 262 mm landscape."""
    page = margins(orientation)
    return page_size_mm(orientation)[0] - page.left - page.right


def configure_section(word_section: WordSection, section: Section, watermark: str = "", number: int = 0) -> None:
    """Page size, orientation, margins and page-number headers of section ``number`` (from 0), with the
    watermark, if any."""
    width, height = page_size_mm(section.orientation)
    page = margins(section.orientation)
    word_section.orientation = (
        WD_ORIENT.LANDSCAPE if section.orientation is Orientation.LANDSCAPE else WD_ORIENT.PORTRAIT
    )
    word_section.page_width, word_section.page_height = Twips(x.twips(width)), Twips(x.twips(height))
    word_section.top_margin, word_section.bottom_margin = Twips(x.twips(page.top)), Twips(x.twips(page.bottom))
    word_section.left_margin, word_section.right_margin = Twips(x.twips(page.left)), Twips(x.twips(page.right))
    word_section.header_distance = word_section.footer_distance = Twips(x.twips(HEADER_DISTANCE_MM))
    word_section.gutter = Twips(0)
    _page_number_headers(word_section, section, watermark, number)


def _page_number_headers(word_section: WordSection, section: Section, watermark: str, number: int) -> None:
    """A centred PAGE field in the section's own header; page 1 of the report blank; appendices restart at 1.

    Every section gets its own header definitions (none is linked to the
    previous section), so each section's numbering reads correctly on its own.
    A watermark is anchored in every header, page 1's included, so that it is
    on every page.
    """
    centred = x.ParagraphFormat(align="center")
    mark = watermark_run(watermark, 2 * number + 1) if watermark else ""  # shape ids differ within a document
    _fill(word_section.header, x.paragraph(centred, x.page_number_field(x.Font(PAGE_NUMBER_SIZE)) + mark))
    word_section.different_first_page_header_footer = not section.number_first_page
    if not section.number_first_page:
        mark = watermark_run(watermark, 2 * number + 2) if watermark else ""
        _fill(word_section.first_page_header, x.paragraph(x.ParagraphFormat(mark_size=EMPTY_PARAGRAPH_PT), mark))
    else:  # python-docx has no API for w:pgNumType; _sectPr is its element (pinned: test_library_internals.py)
        sect_pr = word_section._sectPr
        sect_pr.insert_element_before(x.parse('<w:pgNumType w:start="1"/>'), *_AFTER_PGNUMTYPE)


def _fill(header, paragraph_xml: str) -> None:
    """Give ``header`` its own definition holding exactly one paragraph."""
    header.is_linked_to_previous = False
    root = header._element  # the w:hdr root; python-docx only appends, and its template paragraph must go
    for child in list(root):
        root.remove(child)
    root.append(x.parse(paragraph_xml, VML_NAMESPACES))


# ----------------------------------------------------------------- styles ----


def setup_styles(document: WordDocument) -> None:
    """Document defaults, Normal, Body Text and Heading 1–3 in the Decree 30 form."""
    styles = document.styles.element
    defaults = styles.find(f"{{{x.W_NS}}}docDefaults")
    styles.replace(defaults, x.parse(_DOC_DEFAULTS))
    for style_xml in (_NORMAL, _body_style(), *(_heading_style(level) for level in HEADING_STYLES)):
        _replace_style(styles, x.parse(style_xml))


def _replace_style(styles, new_style) -> None:
    style_id = new_style.get(f"{{{x.W_NS}}}styleId")
    old = styles.find(f"{{{x.W_NS}}}style[@{{{x.W_NS}}}styleId='{style_id}']")
    if old is None:
        styles.append(new_style)
    else:
        styles.replace(old, new_style)


# Theme fonts (asciiTheme …) would override w:ascii, so the defaults name the font outright.
_DOC_DEFAULTS = (
    f"<w:docDefaults><w:rPrDefault><w:rPr>{_FONTS}{_SIZE}{_LANGUAGE}</w:rPr></w:rPrDefault>"
    '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
)
_NORMAL = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    f"<w:rPr>{_FONTS}{_SIZE}{_LANGUAGE}</w:rPr></w:style>"
)


def _body_style() -> str:
    """Body text: justified, first-line indent, space after, line spacing; widow control on."""
    spacing = (
        f'<w:spacing w:after="{x.point_twips(SPACE_AFTER_PT)}" w:line="{round(LINE_SPACING * 240)}" w:lineRule="auto"/>'
    )
    return (
        f'<w:style w:type="paragraph" w:styleId="{BODY_STYLE}"><w:name w:val="Body Text"/>'
        '<w:basedOn w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:widowControl/>{spacing}<w:ind w:firstLine="{x.twips(FIRST_LINE_INDENT_MM)}"/>'
        '<w:jc w:val="both"/></w:pPr></w:style>'
    )


def _heading_style(level: int) -> str:
    """Heading 1–3 on Body Text: bold / italic / capitals per the theme, black, kept with the next paragraph."""
    look = HEADING_STYLES[level]
    character = ("<w:b/><w:bCs/>" if look["bold"] else "") + ("<w:i/><w:iCs/>" if look["italic"] else "")
    character += "<w:caps/>" if look["upper"] else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{HEADING_STYLE[level]}"><w:name w:val="heading {level}"/>'
        f'<w:basedOn w:val="{BODY_STYLE}"/><w:next w:val="{BODY_STYLE}"/><w:uiPriority w:val="9"/><w:qFormat/>'
        f'<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{x.point_twips(HEADING_SPACE_BEFORE_PT)}"/>'
        f'<w:jc w:val="{HEADING_ALIGN}"/><w:outlineLvl w:val="{level - 1}"/></w:pPr>'
        f'<w:rPr>{character}<w:color w:val="000000"/></w:rPr></w:style>'
    )
