"""The fonts shipped inside the package, in ``reportgen/data/fonts/``.

DejaVu Sans (regular, bold) sets every chart text (the layout measures it, the
PDF embeds it), so charts look the same on every machine whatever fonts it has; the four
DejaVu Serif faces are the PDF body's last-resort fallback when neither Times
New Roman nor a metric-compatible serif is installed (see
:mod:`reportgen.typeface.font_discovery`).  Both cover Vietnamese.  They are DejaVu 2.37
under the Bitstream Vera / Arev license (``data/fonts/LICENSE``), which allows
redistribution with the notice.  This module only names files: it imports
nothing heavy.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

FONT_DIR = Path(str(resources.files("reportgen"))) / "data" / "fonts"
LICENSE = FONT_DIR / "LICENSE"

SANS = FONT_DIR / "DejaVuSans.ttf"
SANS_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
SANS_FAMILY = "DejaVu Sans"


def sans_path(bold: bool = False) -> Path:
    """DejaVu Sans, the chart font: bold or regular."""
    return SANS_BOLD if bold else SANS
