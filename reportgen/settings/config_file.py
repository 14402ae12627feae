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

UNIT_EDITABLE: dict[tuple[str, str], str] = {
    ("unit", "name"): "name",
    ("unit", "short_name"): "short_name",
    ("unit", "agency"): "agency",
    ("unit", "place"): "place",
    ("signer", "title"): "signer_title",
    ("signer", "name"): "signer_name",
    ("report", "addressees"): "addressees",
    ("report", "recipients"): "recipients",
    ("mail", "to"): "mail_to",
    ("mail", "staff"): "mail_staff",
}
"""(section, key) of the form → the key of [units.<unit>] that overrides it: what a unit's own settings page may
change.  The mail server and the schedule are the folder's, shared by every unit, and stay off a unit's page."""


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


def editable_fields(folder: Workspace, unit: str = "") -> list[SettingField]:
    """The editable keys with their values in the folder's reportgen.toml, in the form's order; for ``unit``, the
    keys of its [units.<unit>] table, each showing what applies when the unit does not set it."""
    values = editable_values(_config_path(folder), unit)
    if not unit:
        return [SettingField(*where, *EDITABLE[where], values[where], _default(*where)) for where in EDITABLE]
    shared = editable_values(_config_path(folder))
    return [SettingField(*w, *EDITABLE[w], values[w], _shown(shared[w]) or _default(*w)) for w in UNIT_EDITABLE]


def editable_values(path: Path, unit: str = "") -> dict[tuple[str, str], Any]:
    """The editable keys' values as the file has them (missing: "" or ()), of [units.<unit>] for ``unit``."""
    data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    values: dict[tuple[str, str], Any] = {}
    for (section, key), (kind, _label) in EDITABLE.items():
        if unit and (section, key) not in UNIT_EDITABLE:
            continue
        table = data.get("units", {}).get(unit, {}) if unit else data.get(section, {})
        value = table.get(UNIT_EDITABLE[(section, key)] if unit else key)
        values[(section, key)] = tuple(value or ()) if kind == LINES else ("" if value is None else value)
    return values


def save_settings(folder: Workspace, changes: dict[tuple[str, str], str], unit: str = "") -> SavedSettings:
    """Apply the form's ``changes`` (text as typed; LINES one per line) and save, keeping the previous file.
    For ``unit``, into its [units.<unit>] table; an emptied key is removed, so the folder's value applies."""
    path = _config_path(folder)
    original = path.read_text(encoding="utf-8-sig")
    document = tomlkit.parse(original)
    before = editable_values(path, unit)
    allowed = UNIT_EDITABLE if unit else EDITABLE
    changed = []
    for where, typed in changes.items():
        if where not in allowed:
            raise ConfigError(path, f"{where[0]}.{where[1]}", "khóa này không sửa được ở trang Cài đặt.")
        value = _value(path, where, typed)
        if value == before[where]:
            continue
        section, key = ("units", f"{unit}.{UNIT_EDITABLE[where]}") if unit else where
        changed.append(f"[{section}] {key}")
        table = _unit_table(document, unit) if unit else document.get(section)
        if table is None:
            if value in ("", ()):
                continue
            table = tomlkit.table()
            document[section] = table
        name = UNIT_EDITABLE[where] if unit else where[1]
        if value in ("", ()):
            table.pop(name, None)
        else:
            table[name] = list(value) if isinstance(value, tuple) else value
    text = tomlkit.dumps(document)
    parse_config(tomllib.loads(text), path)  # the same checks as loading the file; nothing written if refused
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if changed:
        atomic_write_bytes(backup, original.encode("utf-8"))
        atomic_write_text(path, text)
    return SavedSettings(path, backup, tuple(changed))


def _unit_table(document: tomlkit.TOMLDocument, unit: str) -> Any:
    """[units.<unit>] of the document (the folder knows the unit, so its table exists)."""
    return document["units"][unit]


def _shown(value: Any) -> str:
    return "; ".join(value) if isinstance(value, tuple) else str(value)


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
