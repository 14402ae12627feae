"""The outbox: messages written as .eml files when no mail server is configured.

Staff open an .eml with their mail program (Outlook, Thunderbird) and send it
by hand.  Files appear whole or not at all (``atomic_write_bytes``), and writing
the same message again is harmless: an identical file is left as it is, so a
second ``reportgen run`` neither duplicates nor touches what the first wrote.
"""

from __future__ import annotations

import re
from pathlib import Path

from reportgen.core.files import atomic_write_bytes
from reportgen.delivery.mail.message import ascii_fallback

_MAX_NAME = 120
# Names Windows reserves for devices, whatever the extension: "CON.eml" cannot be created there.
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


def write_eml(message: bytes, folder: Path, name: str) -> Path:
    """Write ``message`` as ``folder/name.eml``; return the path.

    ``name`` is made ASCII-safe ("Báo cáo 2023-06 lãnh đạo" → "Bao_cao_2023-06_lanh_dao"),
    so the file opens on any system and travels in any zip.  The same bytes
    under the same name leave the existing file untouched; different bytes
    replace it atomically (the ledger decides names, and the newest message is
    the one to send).
    """
    target = Path(folder) / f"{eml_stem(name)}.eml"
    if target.is_file() and target.read_bytes() == message:
        return target
    return atomic_write_bytes(target, message)


def eml_stem(name: str) -> str:
    """An ASCII file-name stem: letters, digits, ".", "_", "-" only; never empty, never hidden."""
    stem = name[:-4] if name.lower().endswith(".eml") else name
    stem = re.sub(r"[^A-Za-z0-9.-]+", "_", ascii_fallback(stem)).strip("._") if stem.strip() else ""
    stem = stem[:_MAX_NAME] or "thu"
    if stem.split(".")[0].upper() in _WINDOWS_DEVICES:
        stem += "_"
    return stem


__all__ = ["eml_stem", "write_eml"]
