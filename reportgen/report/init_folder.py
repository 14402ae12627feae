"""``reportgen init DIR``: a new working folder, shaped like the repository root.

DIR gets reportgen.toml (the packaged example configuration), templates/
(empty but for a note: files put there override the built-in templates of
the same name), inputs/2023-06.xlsx (the bundled example workbook, marked as
sample data), docs/ (the staff guides, in Vietnamese, that reportgen's
messages and reportgen.toml point to) and outputs/.  Files already there are
kept unless ``force``, so running it twice, or in a folder in use, loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reportgen.core.errors import UsageError
from reportgen.core.files import atomic_write_bytes, atomic_write_text
from reportgen.domain.plan import example_book
from reportgen.settings.config import CONFIG_NAME
from reportgen.workbook.write.input_workbook import write_book

EXAMPLE_WORKBOOK = Path("inputs") / "2023-06.xlsx"
TEMPLATES_README = Path("templates") / "README.txt"
FOLDERS = ("templates", "inputs", "outputs", "docs", "docs/img")
DEVELOPER_DOCS = ("architecture.md",)
"""Guides for developers, not copied into an office's folder."""

TEMPLATES_NOTE = """\
Thư mục mẫu riêng của đơn vị.

reportgen có sẵn các mẫu báo cáo và thư điện tử. Muốn sửa một mẫu, chép tệp mẫu
có sẵn vào thư mục này với đúng tên tệp đó rồi sửa: tệp đặt ở đây được dùng thay
cho mẫu có sẵn cùng tên. Các mẫu không có ở đây vẫn lấy từ mẫu có sẵn.

Để trống thư mục này là dùng toàn bộ mẫu có sẵn.
"""


@dataclass(frozen=True)
class InitResult:
    """What ``init_folder`` did: paths it created, and existing files it left alone."""

    created: tuple[Path, ...]
    kept: tuple[Path, ...]


def init_folder(directory: Path | str, force: bool = False) -> InitResult:
    """Create (or complete) a working folder in ``directory``; with ``force``, overwrite its files."""
    root = Path(directory)
    created: list[Path] = []
    kept: list[Path] = []
    for folder in (root, *(root / name for name in FOLDERS)):
        if _make_folder(folder):
            created.append(folder)
    files: tuple[tuple[Path, Callable[[Path], object]], ...] = (
        (root / CONFIG_NAME, lambda p: atomic_write_bytes(p, _packaged_config())),
        (root / TEMPLATES_README, lambda p: atomic_write_text(p, TEMPLATES_NOTE)),
        (root / EXAMPLE_WORKBOOK, lambda p: write_book(example_book(), p)),
        *((root / "docs" / name, _copier(source)) for name, source in staff_guides()),
    )
    for path, write in files:
        if path.exists() and not force:
            kept.append(path)
            continue
        write(path)
        created.append(path)
    return InitResult(tuple(created), tuple(kept))


def guides_dir() -> Path:
    """The staff guides: the repository's docs/ folder, packaged as reportgen/guides."""
    packaged = Path(str(resources.files("reportgen"))) / "guides"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "docs"


def staff_guides() -> list[tuple[str, Path]]:
    """(name inside docs/, source file) of every guide and picture an office's folder gets."""
    folder = guides_dir()
    guides = [(p.name, p) for p in sorted(folder.glob("*.md")) if p.name not in DEVELOPER_DOCS]
    pictures = [(f"img/{p.name}", p) for p in sorted((folder / "img").glob("*.png"))]
    return guides + pictures


def _copier(source: Path) -> Callable[[Path], object]:
    return lambda target: atomic_write_bytes(target, source.read_bytes())


def _make_folder(folder: Path) -> bool:
    """Create ``folder`` (and its parents); False when it was already there."""
    if folder.is_dir():
        return False
    if folder.exists():
        raise UsageError(f"{folder} là một tệp, không phải thư mục; hãy chọn tên thư mục khác.")
    folder.mkdir(parents=True)
    return True


def _packaged_config() -> bytes:
    """The example reportgen.toml shipped inside the package (the same as the repository's)."""
    return resources.files("reportgen").joinpath("data", CONFIG_NAME).read_bytes()
