"""Saving a workbook reproducibly.

openpyxl stamps the file with the current time twice: the document's
"modified" property (``save_workbook`` overwrites it) and every zip entry's
date.  The input template is data, not a log entry: the same content must
give the same file, so both timestamps come from the caller.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

if TYPE_CHECKING:
    from _typeshed import SizedBuffer  # typing only: the type ZipFile.writestr declares for its data

CREATOR = "reportgen"
COMPRESS_LEVEL = 3
"""zlib level 3, as for the .docx: a few KB more than the default level, a third of the time."""
DOS_YEARS = (1980, 2107)
"""The years a zip entry's timestamp can hold."""


class _FixedTimeZipFile(ZipFile):
    """A zip file whose entries all carry one fixed date instead of "now"."""

    def __init__(self, path: Path, when: datetime) -> None:
        super().__init__(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=COMPRESS_LEVEL)
        # A zip entry's date is an MS-DOS date: years 1980 to 2107 only (zipfile fails outside them).
        year = min(max(when.year, DOS_YEARS[0]), DOS_YEARS[1])
        self._date_time = (year, when.month, when.day, when.hour, when.minute, when.second)

    def writestr(
        self,
        zinfo_or_arcname: str | ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if not isinstance(zinfo_or_arcname, ZipInfo):
            info = ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16  # what ZipFile.writestr gives a named entry
            zinfo_or_arcname = info
        # A ZipInfo made here would take zlib's default level, not the file's.
        super().writestr(
            zinfo_or_arcname, data, compress_type, self.compresslevel if compresslevel is None else compresslevel
        )

    def write(
        self,
        filename: str | os.PathLike[str],
        arcname: str | os.PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        # openpyxl streams each worksheet to a temporary file and adds it with write(),
        # which would take the temporary file's own date.
        with open(filename, "rb") as handle:
            self.writestr(os.fspath(arcname or Path(filename).name), handle.read(), compress_type, compresslevel)


def save_reproducibly(wb: Workbook, path: Path, when: datetime) -> None:
    """Write ``wb`` to ``path`` with creator "reportgen" and every timestamp set to ``when``."""
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.created = when
    wb.properties.modified = when
    # ExcelWriter directly: openpyxl's save_workbook would reset "modified" to now.
    ExcelWriter(wb, _FixedTimeZipFile(path, when)).save()
