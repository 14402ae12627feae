"""The images a digital signature shows (Decree 30, Phụ lục I): checked before anything is signed.

The signer's handwritten signature (II.7.d) and the office's seal (II.8.a)
are PNG files with a transparent background.  A file that is missing, is not a
PNG, or has an opaque background is refused with a message naming the key of
reportgen.toml that points to it.  The seal is drawn at its real size, which
only the PNG's resolution (DPI) can tell: a seal without one, or one whose
resolution would make it smaller or larger than any real seal, is refused
too.  Colours (blue signature, red seal) are checked and reported as notes,
not refused: the decree prescribes them, but a slightly off blue must not stop
a report on its due day.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from reportgen.core.errors import ConfigError
from reportgen.issuance.signing_setup import OFFICE, KeySpec

MM_PER_INCH = 25.4
TRANSPARENT_ALPHA = 26
"""Alpha (0–255) at or below which a pixel counts as transparent background."""
MIN_TRANSPARENT_SHARE = 0.2
"""A signature or a seal on a transparent background leaves at least this share of the image clear
(a round seal in its square leaves 21% in the corners alone)."""
SEAL_MM = (20.0, 60.0)
"""Real seals of Vietnamese offices are about 30–45 mm across; outside this range the DPI is wrong."""
MAX_PIXELS = 25_000_000


@dataclass(frozen=True)
class StampImage:
    path: Path
    image: Image.Image
    """RGBA."""
    size_mm: tuple[float, float] | None
    """Width and height at the resolution written in the file; None without one."""
    colour: str
    """"blue", "red" or "other": the colour of its opaque pixels."""

    @property
    def aspect(self) -> float:
        return self.image.width / self.image.height


def load_stamp_image(spec: KeySpec, source: str) -> StampImage:
    """The signer's signature or the office's seal of ``spec``, checked."""
    path = spec.image

    def refuse(message: str) -> ConfigError:
        return ConfigError(source, spec.image_key, message)

    what = "ảnh con dấu" if spec.role == OFFICE else "ảnh chữ ký"
    if not path.is_file():
        raise refuse(
            f"không tìm thấy tệp {what} “{path}”. Kiểm tra đường dẫn (đường dẫn tương đối tính từ thư mục làm việc)."
        )
    kind, pixels = _probe(path)
    if kind != "PNG":
        found = f"tệp là ảnh {kind}" if kind else "tệp không phải là ảnh"
        raise refuse(f"{what} “{path}” phải là tệp PNG nền trong suốt ({found}). Lưu lại ảnh dạng PNG.")
    if pixels > MAX_PIXELS:
        raise refuse(
            f"{what} “{path}” quá lớn (hơn {MAX_PIXELS // 1_000_000} triệu điểm ảnh): thu nhỏ ảnh rồi lưu lại."
        )
    try:
        with Image.open(path) as opened:
            dpi = opened.info.get("dpi")
            image = opened.convert("RGBA")
    except (OSError, ValueError):
        raise refuse(f"{what} “{path}” bị hỏng, không đọc hết được: lưu lại ảnh dạng PNG rồi thử lại.") from None
    alpha = image.getchannel("A").histogram()
    if sum(alpha[: TRANSPARENT_ALPHA + 1]) < MIN_TRANSPARENT_SHARE * image.width * image.height:
        raise refuse(
            f"{what} “{path}” không có nền trong suốt (Nghị định 30, Phụ lục I). Xóa nền bằng phần mềm sửa "
            f"ảnh (nền trong suốt, không phải nền trắng) rồi lưu lại dạng PNG."
        )
    size = _size_mm(image, dpi)
    if spec.role == OFFICE:
        _check_seal_size(size, dpi, path, refuse)
    return StampImage(path, image, size, _colour(image))


def colour_notes(image: StampImage, role: str) -> list[str]:
    """Notes when the colour is not the one Phụ lục I prescribes."""
    wanted, name = ("red", "đỏ") if role == OFFICE else ("blue", "xanh")
    if image.colour == wanted:
        return []
    what = "Ảnh con dấu" if role == OFFICE else "Ảnh chữ ký"
    return [f"{what} “{image.path.name}” không phải màu {name} như Nghị định 30, Phụ lục I quy định."]


def _size_mm(image: Image.Image, dpi: object) -> tuple[float, float] | None:
    if not isinstance(dpi, tuple) or len(dpi) != 2 or not all(isinstance(d, (int, float)) and d > 1 for d in dpi):
        return None
    return image.width / dpi[0] * MM_PER_INCH, image.height / dpi[1] * MM_PER_INCH


def _check_seal_size(size: tuple[float, float] | None, dpi: object, path: Path, refuse) -> None:
    if size is None or not isinstance(dpi, tuple):  # a size is known only from a (x, y) DPI
        raise refuse(
            f"ảnh con dấu “{path}” không ghi độ phân giải (DPI), nên không biết kích thước thật của con dấu. "
            f"Mở ảnh bằng phần mềm sửa ảnh, đặt độ phân giải đúng với lúc quét (ví dụ 300 DPI) rồi lưu lại."
        )
    low, high = SEAL_MM
    if not (low <= size[0] <= high and low <= size[1] <= high):
        raise refuse(
            f"theo độ phân giải ghi trong ảnh ({round(dpi[0])} DPI), con dấu “{path}” rộng "
            f"{size[0]:.0f} mm × cao {size[1]:.0f} mm; con dấu thật khoảng 30–45 mm. Đặt lại độ phân giải "
            f"của ảnh cho đúng với lúc quét (ví dụ 300 DPI), hoặc cắt sát con dấu, rồi lưu lại."
        )


def _colour(image: Image.Image) -> str:
    """The dominant colour of the pixels that are drawn (opaque enough)."""
    small = image.copy()
    small.thumbnail((200, 200))
    red = green = blue = 0.0
    count = 0
    pixels = small.tobytes()
    for start in range(0, len(pixels), 4):
        r, g, b, a = pixels[start : start + 4]
        if a > 128:
            red, green, blue, count = red + r, green + g, blue + b, count + 1
    if not count:
        return "other"
    red, green, blue = red / count, green / count, blue / count
    if blue > red + 30 and blue > green:
        return "blue"
    if red > green + 30 and red > blue + 30:
        return "red"
    return "other"


def _probe(path: Path) -> tuple[str | None, int]:
    """The file's image format (None: not an image) and its pixel count, without decoding it."""
    try:
        with Image.open(path) as opened:
            return opened.format, opened.width * opened.height
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None, 0
