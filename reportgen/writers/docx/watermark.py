"""The sample-data watermark of the Word file: light grey text across the page, under the text.

Word keeps a watermark as a VML text-path shape anchored in the page header
(what its own "Watermark" command writes, shape type 136, and what LibreOffice
reads back as a watermark): centred on the page, turned 45°, behind the text.
Anchored in every header of every section, it is on every page, and it is not a
paragraph of the report (it adds no text to the document body and moves no line).
"""

from __future__ import annotations

from reportgen.typeface.metrics import text_width_mm
from reportgen.writers.theme import FONT_NAME, WATERMARK_ANGLE, WATERMARK_GREY, watermark_size
from reportgen.writers.xml_escape import quoteattr

VML_NAMESPACES = (
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
MM_PER_POINT = 25.4 / 72

# Word's own definition of shape type 136 (a text path), which every watermark shape refers to.
_TEXT_PATH_TYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
    '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
    '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><v:handles>'
    '<v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    "</v:shapetype>"
)


def grey_hex(level: float) -> str:
    """'#d9d9d9' for a grey level of 0.85 (0 black, 1 white)."""
    value = round(level * 255)
    return f"#{value:02x}{value:02x}{value:02x}"


def watermark_run(text: str, number: int) -> str:
    """A ``w:r`` holding the watermark shape; ``number`` makes its ids unique in the document."""
    size = watermark_size(text_width_mm(text, 1.0, bold=True))
    width_pt = text_width_mm(text, size, bold=True) / MM_PER_POINT
    height_pt = size * 0.75  # the capitals' height: a text path fills its box
    style = (
        f"position:absolute;margin-left:0;margin-top:0;width:{width_pt:.1f}pt;height:{height_pt:.1f}pt;"
        f"rotation:{360 - WATERMARK_ANGLE:g};z-index:-251654144;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        "mso-position-vertical-relative:margin"
    )
    font = quoteattr(f'font-family:"{FONT_NAME}";font-weight:bold;font-size:1pt')
    return (
        f"<w:r><w:rPr><w:noProof/></w:rPr><w:pict>{_TEXT_PATH_TYPE}"
        f'<v:shape id="ReportgenWatermark{number}" o:spid="_x0000_s{2048 + number}" type="#_x0000_t136" '
        f'style="{style}" o:allowincell="f" fillcolor="{grey_hex(WATERMARK_GREY)}" stroked="f">'
        f"<v:textpath style={font} string={quoteattr(text)}/>"
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
    )
