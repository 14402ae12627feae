"""Changing reportgen.toml from a form: the keys staff may edit, validated as the file is, saved with a backup.

The file is edited with tomlkit, so every comment, blank line and key the form
does not touch stays as the person who wrote it left it.  The edited text is
parsed and checked by the very code that loads reportgen.toml
(:func:`reportgen.settings.config.parse_config`) before anything is written: a
value refused there is refused here with the same message, naming the file
and the key.  The previous file is kept as ``reportgen.toml.truoc`` and the
new one is renamed into place (never half-written).

No password is ever written: the mail server's password lives in the
environment variable named by ``[mail] password_env`` or in the system's
credential store, and ``password`` is not an editable key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from reportgen.core.errors import ConfigError
from reportgen.core.files import atomic_write_bytes, atomic_write_text
from reportgen.settings.config import Config, parse_config
from reportgen.settings.workspace import Workspace

BACKUP_SUFFIX = ".truoc"

TEXT, LINES, NUMBER = "text", "lines", "number"
EDITABLE: dict[tuple[str, str], tuple[str, str]] = {
    ("unit", "name"): (TEXT, "Tên đầy đủ của đơn vị (trong lời văn)"),
    ("unit", "short_name"): (TEXT, "Tên viết tắt"),
    ("unit", "agency"): (LINES, "Tên cơ quan ở góc trái (mỗi dòng một dòng, chữ in hoa)"),
    ("unit", "place"): (TEXT, "Địa danh ở dòng ngày tháng"),
    ("signer", "title"): (TEXT, "Chức vụ người ký"),
    ("signer", "name"): (TEXT, "Họ tên người ký"),
    ("report", "addressees"): (LINES, "Kính gửi (mỗi dòng một cơ quan; để trống nếu báo cáo cho hội nghị của đơn vị)"),
    ("report", "recipients"): (LINES, "Nơi nhận (mỗi dòng một nơi)"),
    ("mail", "host"): (TEXT, "Máy chủ thư (SMTP)"),
    ("mail", "port"): (NUMBER, "Cổng"),
    ("mail", "security"): (TEXT, "Bảo mật: starttls, ssl hoặc none"),
    ("mail", "username"): (TEXT, "Tên đăng nhập máy chủ thư"),
    ("mail", "sender"): (TEXT, "Địa chỉ gửi"),
    ("mail", "to"): (LINES, "Người nhận báo cáo (mỗi dòng một địa chỉ)"),
    ("mail", "staff"): (TEXT, "Địa chỉ cán bộ nhận nhắc việc và báo lỗi"),
    ("schedule", "due_day"): (NUMBER, "Hạn nộp báo cáo: ngày trong tháng"),
    ("schedule", "time"): (TEXT, "Giờ chạy hằng ngày (HH:MM)"),
    ("schedule", "remind_days_before"): (NUMBER, "Nhắc trước hạn (số ngày)"),
}
"""(section, key) → (kind, what the form calls it): what the settings page may change."""


@dataclass(frozen=True)
class SavedSettings:
    path: Path
    backup: Path
    changed: tuple[str, ...]
    """The keys whose value changed, as “[section] key”."""


@dataclass(frozen=True)
class SettingField:
    section: str
    key: str
    kind: str
    """text, lines (one value a line) or number."""
    label: str
    value: Any
    """As the file has it: text, a tuple of lines, a number ("" or () when missing)."""
    default: str = ""
    """What applies when the key is missing (a form shows it as the empty field's placeholder)."""

    @property
    def name(self) -> str:
        return f"{self.section}.{self.key}"


def editable_fields(folder: Workspace) -> list[SettingField]:
    """The editable keys with their values in the folder's reportgen.toml, in the form's order."""
    values = editable_values(_config_path(folder))
    return [SettingField(*where, *EDITABLE[where], values[where], _default(*where)) for where in EDITABLE]


def editable_values(path: Path) -> dict[tuple[str, str], Any]:
    """The editable keys' values as the file has them (missing: "" or ())."""
    data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    values: dict[tuple[str, str], Any] = {}
    for (section, key), (kind, _label) in EDITABLE.items():
        value = data.get(section, {}).get(key)
        values[(section, key)] = tuple(value or ()) if kind == LINES else ("" if value is None else value)
    return values


def save_settings(folder: Workspace, changes: dict[tuple[str, str], str]) -> SavedSettings:
    """Apply the form's ``changes`` (text as typed; LINES one per line) and save, keeping the previous file."""
    path = _config_path(folder)
    original = path.read_text(encoding="utf-8-sig")
    document = tomlkit.parse(original)
    before = editable_values(path)
    changed = []
    for where, typed in changes.items():
        if where not in EDITABLE:
            raise ConfigError(path, f"{where[0]}.{where[1]}", "khóa này không sửa được ở trang Cài đặt.")
        value = _value(path, where, typed)
        if value == before[where]:
            continue
        changed.append(f"[{where[0]}] {where[1]}")
        table = document.get(where[0])
        if table is None:
            if value in ("", ()):
                continue
            table = tomlkit.table()
            document[where[0]] = table
        if value in ("", ()):
            table.pop(where[1], None)
        else:
            table[where[1]] = list(value) if isinstance(value, tuple) else value
    text = tomlkit.dumps(document)
    parse_config(tomllib.loads(text), path)  # the same checks as loading the file; nothing written if refused
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if changed:
        atomic_write_bytes(backup, original.encode("utf-8"))
        atomic_write_text(path, text)
    return SavedSettings(path, backup, tuple(changed))


def _default(section: str, key: str) -> str:
    """The built-in value of a key, as text ("" when it has none worth showing)."""
    value = getattr(getattr(Config(), section), key, "")
    return "" if value in ("", (), None) else str(value)


def _config_path(folder: Workspace) -> Path:
    folder.require_folder()  # raises when the folder has no reportgen.toml
    assert folder.config_path is not None
    return folder.config_path


def _value(path: Path, where: tuple[str, str], typed: str) -> Any:
    kind = EDITABLE[where][0]
    if kind == LINES:
        return tuple(line.strip() for line in typed.replace("\r\n", "\n").split("\n") if line.strip())
    typed = typed.strip()
    if kind == NUMBER and typed:
        if not typed.isdigit():
            raise ConfigError(path, f"{where[0]}.{where[1]}", f"phải là một số nguyên, không phải “{typed}”.")
        return int(typed)
    return typed
