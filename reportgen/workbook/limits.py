"""How much the reader is willing to read.

The defaults are generous for a district office's workbook (a few hundred
rows, well under a megabyte) and small enough that a hostile or broken file
cannot exhaust memory or time.  They are meant to be overridden from the
``[limits]`` table of reportgen.toml.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_mb: int = 50
    """Size of the file on disk."""
    max_uncompressed_mb: int = 300
    """Sum of the zip members' declared uncompressed sizes."""
    max_compression_ratio: int = 200
    """A zip member expanding more than this is a decompression bomb (real sheets stay near 20)."""
    max_rows: int = 20000
    """Data rows scanned per sheet."""
    max_cell_chars: int = 32767
    """Longest text accepted in one cell (Excel's own limit)."""
