"""What a file really is, decided from its bytes before openpyxl touches it.

Staff rename files, save in the wrong format, password-protect them and mail
them through servers that truncate attachments.  The extension says little,
so the content decides: an OLE2 container is an Excel 97-2003 file (or an
encrypted .xlsx, which Office also stores in OLE2), a zip is an OOXML package,
an OpenDocument file or something else, and text is a CSV or a web page.
Zip members' declared sizes are checked against :class:`Limits` here, before
anything is decompressed: ``zipfile`` never returns more than a member's
declared size, so checking the declarations bounds the real work.

Checking every XML part for a DTD decompresses the package's small parts
whole; :meth:`Probe.package` hands them to the reader, which would otherwise
decompress each of them again, some twice (:mod:`.partscan` and the sheet parser).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from reportgen.core.issues import Issue, error
from reportgen.core.vnformat import vn_num
from reportgen.settings.limits import MB, Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_BOMB_MIN_BYTES = 1 * MB
"""Ratios are only meaningful for big members; a 40-byte part may compress 300-fold harmlessly."""
_XML_HEAD = 64 * 1024
KEPT_PARTS_BYTES = 8 * 1024 * 1024
"""The decompressed parts a probe keeps for the reader, in all; a part beyond is decompressed again."""
_CONTENT_TYPES_MAX = 1 * MB

# [Content_Types].xml main-part types, as Office writes them.
_WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": "xlsb",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}

_SAVE_AS_XLSX = "Mở tệp trong Excel, chọn File → Save As → Excel Workbook (*.xlsx), rồi dùng tệp .xlsx mới."
_PICK_RIGHT_FILE = (
    "Chọn đúng tệp Excel .xlsx của kỳ báo cáo (tạo bằng lệnh “reportgen new”); có thể tệp đã bị đổi tên đuôi."
)
_FROM_TEMPLATE = "Dùng lệnh “reportgen new” để tạo tệp Excel đúng mẫu, rồi chép số liệu vào đó."
_RECOPY = (
    "Chép lại tệp từ bản gốc (hoặc tải lại từ thư điện tử); nếu Excel vẫn mở được tệp, "
    "chọn File → Save As để lưu thành tệp mới rồi dùng tệp đó."
)

_ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    ElementTree.ParseError,
    KeyError,
    UnicodeDecodeError,
)
"""What zipfile, zlib and the XML parser raise for truncated or mangled archives (zlib.error, e.g.
"invalid distance too far back", comes from a flipped bit inside a compressed part)."""

_NOT_EXCEL_KINDS = {
    "docx": "tài liệu Word (.docx)",
    "doc": "tài liệu Word 97-2003 (.doc)",
    "pptx": "bản trình chiếu PowerPoint (.pptx)",
    "ppt": "bản trình chiếu PowerPoint 97-2003 (.ppt)",
    "pdf": "tệp PDF",
    "zip": "một tệp nén ZIP thông thường (không có bảng tính bên trong)",
}


@dataclass(frozen=True)
class Probe:
    """Outcome of sniffing: the bytes to hand to openpyxl, or why not."""

    data: bytes | None
    issue: Issue | None = None
    parts: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    """Zip member → its content, for the parts the check decompressed whole (CRC checked)."""

    def package(self) -> zipfile.ZipFile:
        """The package in ``data``, its parts in ``parts`` read from memory rather than decompressed again
        (a sheet part was decompressed three times: 0,7–0,9 ms of the 10 a workbook of the template
        takes to read, written by reportgen or re-saved by LibreOffice)."""
        if self.data is None:
            raise ValueError("no package: the probe refused the file")
        return _Unpacked(self.data, self.parts)


class _Unpacked(zipfile.ZipFile):
    def __init__(self, data: bytes, parts: Mapping[str, bytes]) -> None:
        super().__init__(io.BytesIO(data))
        self.parts = parts

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        member = name.filename if isinstance(name, zipfile.ZipInfo) else name
        if mode == "r" and member in self.parts:
            return io.BytesIO(self.parts[member])
        return super().open(name, mode, pwd, force_zip64=force_zip64)


def probe_file(path: Path, limits: Limits) -> Probe:
    """Read ``path`` and decide whether it is an OOXML workbook that is safe to open."""
    data = _read_bytes(path, limits)
    if isinstance(data, Issue):
        return Probe(None, data)
    parts: dict[str, bytes] = {}
    issue = sniff(data, limits, parts)
    return Probe(None, issue) if issue else Probe(data, None, parts)


def sniff(data: bytes, limits: Limits, parts: dict[str, bytes] | None = None) -> Issue | None:
    """None when ``data`` is an xlsx/xlsm package within limits, else the file-level issue; the XML
    parts decompressed whole on the way go into ``parts``."""
    if data.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    if data.startswith(ZIP_MAGICS):
        return _sniff_zip(data, limits, {} if parts is None else parts)
    if data.startswith(b"%PDF"):
        return _not_excel("pdf")
    return _sniff_text(data)


# ------------------------------------------------------------------ reading --


def _read_bytes(path: Path, limits: Limits) -> bytes | Issue:
    try:
        if not path.exists():
            return error(
                "file.missing", f"Không tìm thấy “{path}”.", "Kiểm tra lại đường dẫn và tên tệp, kể cả phần đuôi .xlsx."
            )
        if path.is_dir():
            return error(
                "file.is_directory",
                f"“{path}” là một thư mục, không phải tệp Excel.",
                "Chỉ ra một tệp .xlsx cụ thể, ví dụ inputs/2023-06.xlsx.",
            )
        size = path.stat().st_size
        if size > limits.max_file_mb * MB:
            return _too_big(f"Dung lượng {_size(size)}, vượt giới hạn {limits.max_file_mb} MB.")
        data = _read_at_most(path, limits.max_file_mb * MB + 1)
    except OSError as exc:
        return error(
            "file.unreadable",
            f"Không mở được để đọc ({type(exc).__name__}).",
            "Đóng tệp nếu đang mở ở máy khác, kiểm tra quyền truy cập thư mục rồi chạy lại.",
        )
    if not data:
        return error(
            "file.empty",
            "Không có nội dung (0 byte).",
            "Tệp có thể được chép hoặc tải về chưa xong; chép lại tệp gốc rồi chạy lại.",
        )
    if len(data) > limits.max_file_mb * MB:  # grew while we were looking
        return _too_big(f"Dung lượng vượt giới hạn {limits.max_file_mb} MB.")
    return data


def _read_at_most(path: Path, limit: int) -> bytes:
    """The file's bytes, stopping past ``limit``; read in chunks, because ``read(limit)``
    would reserve the whole limit (50 MB) up front for an 8 KB workbook."""
    chunks, total = [], 0
    with open(path, "rb") as handle:
        while total < limit:
            chunk = handle.read(min(1 << 20, limit - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    return b"".join(chunks)


def _too_big(message: str) -> Issue:
    return error(
        "file.too_big",
        message,
        "Xóa các sheet, hình ảnh không cần thiết rồi lưu lại; nếu tệp thật sự cần lớn như vậy, "
        "nhờ người quản trị tăng giới hạn trong reportgen.toml.",
    )


def _size(size: int) -> str:
    """'51,2 MB', '8 KB': sizes as staff see them in Explorer."""
    return f"{vn_num(size / MB, 1)} MB" if size >= MB else f"{vn_num(max(size / 1024, 1), 0)} KB"


# ---------------------------------------------------------------- OLE2 (CFB) --


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _sniff_ole(data: bytes) -> Issue:
    """Office keeps encrypted OOXML in an OLE2 container with these two streams;
    their names sit in the directory sectors as UTF-16LE."""
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        return error(
            "file.encrypted",
            "Đã được đặt mật khẩu (mã hóa) nên chương trình không đọc được nội dung.",
            "Mở tệp trong Excel bằng mật khẩu, chọn File → Info → Protect Workbook → Encrypt with "
            "Password, xóa trống ô mật khẩu, bấm OK rồi lưu lại (Save).",
        )
    if _utf16("WordDocument") in data:
        return _not_excel("doc")
    if _utf16("PowerPoint Document") in data:
        return _not_excel("ppt")
    return error("file.xls", "Đây là tệp Excel 97-2003 (.xls); chương trình chỉ đọc được tệp .xlsx.", _SAVE_AS_XLSX)


def _not_excel(kind: str | None) -> Issue:
    if kind in _NOT_EXCEL_KINDS:
        message = f"Đây không phải bảng tính Excel mà là {_NOT_EXCEL_KINDS[kind]}."
    else:
        message = "Đây không phải bảng tính Excel (.xlsx): không nhận ra định dạng của tệp."
    return error("file.not_excel", message, _PICK_RIGHT_FILE)


# --------------------------------------------------------------------- zip --


def _sniff_zip(data: bytes, limits: Limits, parts: dict[str, bytes]) -> Issue | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_archive(archive, limits, parts)
    except _ZIP_DAMAGE:
        return _corrupt("không đọc được cấu trúc nén ZIP của tệp")


def _corrupt(what: str) -> Issue:
    return error("file.corrupt", f"Dữ liệu bị hỏng hoặc chép chưa hết: {what}.", _RECOPY)


def _check_archive(archive: zipfile.ZipFile, limits: Limits, parts: dict[str, bytes]) -> Issue | None:
    members = archive.infolist()
    bomb = _check_sizes(members, limits)
    if bomb:
        return bomb
    names = {info.filename for info in members}
    if "mimetype" in names:
        return _sniff_opendocument(archive)
    if "[Content_Types].xml" not in names:
        return _not_excel("zip")
    kind = _package_kind(archive)
    if kind == "xlsb":
        return error(
            "file.xlsb", "Đây là tệp Excel nhị phân (.xlsb); chương trình chỉ đọc được tệp .xlsx.", _SAVE_AS_XLSX
        )
    if kind != "xlsx":
        return _not_excel(kind or "zip")
    return _check_no_dtd(archive, members, parts)


def _check_sizes(members: list[zipfile.ZipInfo], limits: Limits) -> Issue | None:
    total = sum(info.file_size for info in members)
    if total > limits.max_uncompressed_mb * MB:
        return _too_big(f"Nội dung khi giải nén nặng {_size(total)}, vượt giới hạn {limits.max_uncompressed_mb} MB.")
    for info in members:
        if info.file_size < _BOMB_MIN_BYTES:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            return _hostile(
                f"phần “{info.filename}” nén còn {vn_num(info.compress_size, 0)} byte nhưng "
                f"giải nén ra {_size(info.file_size)} (gấp {vn_num(ratio, 0)} lần, giới hạn "
                f"{limits.max_compression_ratio} lần): kiểu “bom nén” làm treo máy khi mở"
            )
    return None


def _hostile(what: str) -> Issue:
    return error(
        "file.bomb",
        f"Có dấu hiệu độc hại: {what}. Tệp Excel thật không như vậy.",
        "Không mở tệp này; hỏi lại người gửi và xin tệp gốc.",
    )


def _sniff_opendocument(archive: zipfile.ZipFile) -> Issue:
    info = archive.getinfo("mimetype")
    mimetype = archive.read(info).strip() if info.file_size <= 200 else b""
    if mimetype == ODS_MIMETYPE:
        return error(
            "file.ods",
            "Đây là bảng tính OpenDocument (.ods) của LibreOffice; chương trình chỉ đọc được tệp .xlsx.",
            "Mở tệp trong LibreOffice Calc, chọn File → Save As, chọn kiểu “Excel 2007-365 (.xlsx)”, "
            "rồi dùng tệp .xlsx mới.",
        )
    return _not_excel(None)


def _package_kind(archive: zipfile.ZipFile) -> str | None:
    """'xlsx', 'xlsb', 'docx', 'pptx' or None, from the main part's content type."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > _CONTENT_TYPES_MAX:
        return None
    root = ElementTree.fromstring(archive.read(info))
    for override in root:
        kind = _WORKBOOK_TYPES.get(override.get("ContentType", ""))
        if kind:
            return kind
    return None


def _check_no_dtd(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], parts: dict[str, bytes]) -> Issue | None:
    """OOXML parts never carry a DTD; one that does is an entity-expansion attack.  A part read whole
    (zipfile checked its CRC at its end) is kept in ``parts``, up to KEPT_PARTS_BYTES in all."""
    kept = 0
    for info in members:
        if not info.filename.endswith((".xml", ".rels", ".vml")) or info.file_size == 0:
            continue
        with archive.open(info) as member:
            head = member.read(_XML_HEAD)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            return _hostile(f"phần “{info.filename}” có khai báo DTD/ENTITY, có thể nở ra hàng tỷ ký tự khi đọc")
        if len(head) == info.file_size < _XML_HEAD and kept + len(head) <= KEPT_PARTS_BYTES:  # read to its end
            parts[info.filename] = head
            kept += len(head)
    return None


# -------------------------------------------------------------------- text --


def _sniff_text(data: bytes) -> Issue:
    text = _as_text(data[:_XML_HEAD])
    if text is None:
        return _not_excel(None)
    head = text.lstrip().lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in head:
        return error("file.xml2003", "Đây là bảng tính “XML Spreadsheet 2003”, không phải tệp .xlsx.", _SAVE_AS_XLSX)
    if head.startswith(("<!doctype html", "<html")) or "<table" in head:
        return error(
            "file.html",
            "Đây thực chất là trang web (HTML) được đặt đuôi Excel, "
            "thường do tải về từ một phần mềm khác; nó không có các sheet mà báo cáo cần.",
            _FROM_TEMPLATE,
        )
    return error(
        "file.csv", "Đây là văn bản dạng CSV, không có các sheet (Thông tin, Chỉ tiêu…) mà báo cáo cần.", _FROM_TEMPLATE
    )


def _as_text(head: bytes) -> str | None:
    """The decoded head when it looks like text (CSV, HTML, XML), else None."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="replace")
    if b"\x00" in head:
        return None
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\x0c")
    if controls > len(head) // 100:
        return None
    return head.decode("utf-8", errors="replace")
