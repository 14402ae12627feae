"""The command line's own words in Vietnamese: click's usage errors and help.

click marks its messages for gettext in the default domain ("messages") and looks them up when it
prints them; reportgen ships a Vietnamese catalog of them (reportgen/data/locale/vi/LC_MESSAGES/) and
points gettext at it for its own process.  gettext picks a catalog by the LANGUAGE environment
variable, so this process (and any program it starts) is told to speak Vietnamese.
"""

from __future__ import annotations

import gettext
import os
from importlib import resources

DOMAIN = "messages"
LANGUAGE = "vi"


def locale_dir() -> str:
    return str(resources.files("reportgen").joinpath("data", "locale"))


def speak_vietnamese() -> None:
    """From now on, click's messages come out in Vietnamese."""
    gettext.bindtextdomain(DOMAIN, locale_dir())
    os.environ["LANGUAGE"] = LANGUAGE


__all__ = ["DOMAIN", "LANGUAGE", "locale_dir", "speak_vietnamese"]
