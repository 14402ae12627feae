"""Rows that hold nothing, removed from big sheet parts before openpyxl loads a workbook in full.

The reader streams sheets (read-only mode) and stops after a long run of empty
rows, so a sheet formatted down to row 1,048,576 costs it nothing.  The
annotated copy (``check --annotate``) must load the workbook in full to write
fills and comments, and openpyxl then builds an object for every styled row
and cell: a million empty formatted rows took a minute and 1.2 GB.  Rows with
no value in any cell only carry formatting, and the copy does not need it, so
:func:`compact` drops them from every sheet part larger than
:data:`COMPACT_ABOVE_BYTES`, leaving small workbooks byte for byte as they were.
"""

from __future__ import annotations

import io
import re
import zipfile

from reportgen.workbook.read.formulas import sheet_parts

COMPACT_ABOVE_BYTES = 2 * 1024 * 1024
"""Sheet parts smaller than this (every real district workbook's) are copied unchanged."""
_EMPTY_ROW = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?(?:/>|>(?:\s*<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*/>)*\s*</(?:[A-Za-z_][\w.-]*:)?row>)"
)
"""A row element, self-closing or holding only self-closing (value-less) cells."""


def compact(data: bytes) -> bytes:
    """``data`` (an xlsx package) with the value-less rows of its big sheet parts removed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        big = {
            member
            for member in sheet_parts(archive).values()
            if member in archive.NameToInfo and archive.getinfo(member).file_size > COMPACT_ABOVE_BYTES
        }
        if not big:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in archive.infolist():
                body = archive.read(info)
                target.writestr(info, _EMPTY_ROW.sub(b"", body) if info.filename in big else body)
    return out.getvalue()
