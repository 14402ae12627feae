"""The working folder: reportgen.toml, templates/, inputs/, outputs/.

The repository root is itself a working folder.  A :class:`Workspace` is
found from a directory (default: the current one) or from an explicit
configuration file; with no reportgen.toml the built-in defaults apply, which
is enough for ``reportgen check``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.core.errors import UsageError
from reportgen.settings.config import CONFIG_NAME, Config, load_config

ENV_CONFIG = "REPORTGEN_CONFIG"


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: Config
    config_path: Path | None = None
    """The reportgen.toml in use, or None when running on built-in defaults."""
    unit: str = ""
    """'' for the folder's own unit; else one of [units.<id>], whose files live in inputs/<id>/, outputs/<id>/."""

    @classmethod
    def open(cls, root: Path | str | None = None, config_path: Path | str | None = None) -> Workspace:
        """Find the working folder.

        Order: an explicit ``config_path``; the ``REPORTGEN_CONFIG`` environment
        variable; ``root/reportgen.toml``.  The folder of the configuration file
        is the root unless ``root`` is given.
        """
        if root is not None and not Path(root).expanduser().is_dir():
            raise UsageError(
                f"Không có thư mục “{root}” (tùy chọn -C). Kiểm tra lại đường dẫn, hoặc tạo thư mục "
                f"làm việc mới bằng “reportgen init {root}”."
            )
        explicit = config_path or os.environ.get(ENV_CONFIG) or None
        if explicit:
            path = Path(explicit).expanduser().resolve()
            base = Path(root).resolve() if root else path.parent
            return cls(base, load_config(path), path)
        base = Path(root or ".").resolve()
        candidate = base / CONFIG_NAME
        if candidate.is_file():
            return cls(base, load_config(candidate), candidate)
        return cls(base, Config(), None)

    def require_folder(self) -> None:
        """Commands that keep a ledger, send mail or write into inputs/ need a real working folder: run in
        the wrong folder (a schedule pointed at it, say), they must fail, not "succeed" every day."""
        if self.config_path is None:
            raise UsageError(
                f"Thư mục {self.root} không phải thư mục làm việc của reportgen (không có "
                f"reportgen.toml). Chạy lệnh trong thư mục làm việc, chỉ ra thư mục đó bằng -C, "
                f"hoặc tạo thư mục mới bằng “reportgen init {self.root}”."
            )

    def _resolve(self, value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.root / path

    def for_unit(self, unit: str) -> Workspace:
        """The same folder seen from one unit: its merged configuration, its inputs and outputs."""
        if unit and unit not in self.config.units:
            known = ", ".join(sorted(self.config.units)) or "(chưa khai báo đơn vị nào)"
            raise UsageError(f"Không có đơn vị “{unit}” trong [units] của reportgen.toml; các đơn vị: {known}.")
        return replace(self, config=self.config.for_unit(unit), unit=unit)

    @property
    def units(self) -> tuple[str, ...]:
        """Every unit this folder reports for: '' (the folder's own) first, then [units.<id>] in order."""
        return ("", *self.config.units)

    def unit_of(self, workbook: Path) -> str:
        """The unit a workbook belongs to, from its folder: inputs/<id>/2023-06.xlsx → <id>."""
        folder = Path(workbook).resolve().parent.name
        return folder if folder in self.config.units else ""

    @property
    def inputs(self) -> Path:
        base = self._resolve(self.config.paths.inputs)
        return base / self.unit if self.unit else base

    @property
    def outputs(self) -> Path:
        base = self._resolve(self.config.paths.outputs)
        return base / self.unit if self.unit else base

    @property
    def shared_outputs(self) -> Path:
        """outputs/ of the whole folder (receipts, the outbox, summaries), whatever the unit."""
        return self._resolve(self.config.paths.outputs)

    @property
    def templates(self) -> Path:
        return self._resolve(self.config.paths.templates)

    @property
    def ledger(self) -> Path:
        return self._resolve(self.config.paths.ledger)
