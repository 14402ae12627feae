"""The accounts of the web page: who may sign in, with which role, for which units.

They live in ``reportgen-accounts.json`` beside reportgen.toml (readable by
its owner only), one entry per account: its name, its role, its units and
the Argon2id hash of its password (argon2-cffi's recommended parameters; a
hash made with older ones is remade at the next sign-in).  The password
itself is never written anywhere.

The roles, and what each may do on its own units:

- ``chuyen_vien`` (chuyên viên): hand in workbooks, read drafts;
- ``lanh_dao`` (lãnh đạo): read, approve;
- ``van_thu`` (văn thư): read, issue and sign, send and resend; on the folder's own unit, the settings;
- ``tong_hop`` (tổng hợp): read every unit and make the summary across them, act on none.

On the office PC (the page bound to the loopback address and no account
made yet) there is one local person, the PC's user, with every role on every
unit; the page asks for no password there.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from reportgen.core.errors import UsageError
from reportgen.core.files import atomic_write_bytes

ACCOUNTS_NAME = "reportgen-accounts.json"
ROLES = {"chuyen_vien": "chuyên viên", "lanh_dao": "lãnh đạo", "van_thu": "văn thư", "tong_hop": "tổng hợp"}
ACTIONS = {
    "view": frozenset(ROLES),
    "submit": frozenset({"chuyen_vien"}),
    "approve": frozenset({"lanh_dao"}),
    "issue": frozenset({"van_thu"}),
    "send": frozenset({"van_thu"}),
    "settings": frozenset({"van_thu"}),
    "summary": frozenset({"tong_hop"}),
}
"""What each action of the page needs: one of these roles (and the unit among the account's)."""
ACTION_NAMES = {
    "submit": "nộp số liệu",
    "approve": "duyệt",
    "issue": "cấp số và ký",
    "send": "gửi",
    "view": "xem",
    "settings": "sửa cài đặt",
    "summary": "lập bảng tổng hợp các đơn vị",
}
MIN_PASSWORD = 10
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class Account:
    name: str
    roles: frozenset[str]
    units: frozenset[str] | None
    """The units this account sees and acts on ('' is the folder's own unit); None: every unit."""
    local: bool = False
    """The PC's own user (no accounts, loopback address): every role, every unit, the settings."""

    def may(self, action: str, unit: str | None = None) -> bool:
        """True when one of the account's roles allows ``action`` (on ``unit``, when given)."""
        if not self.roles & ACTIONS[action]:
            return False
        return unit is None or self.sees(unit)

    def sees(self, unit: str) -> bool:
        return self.units is None or unit in self.units

    @property
    def role_names(self) -> str:
        return ", ".join(ROLES[role] for role in sorted(self.roles))


LOCAL = Account("máy này", frozenset(ROLES), None, local=True)


def accounts_file(root: Path) -> Path:
    return Path(root) / ACCOUNTS_NAME


def load(root: Path) -> dict[str, dict]:
    """The accounts' entries by name ({} when the file does not exist yet)."""
    path = accounts_file(root)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {entry["name"]: entry for entry in data["accounts"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(
            f"Tệp tài khoản {path} hỏng ({exc}); khôi phục bản sao lưu hoặc xóa tệp rồi tạo lại tài khoản "
            "bằng “reportgen users add”."
        ) from exc


def add_account(root: Path, name: str, role: str, units: tuple[str, ...], password: str, known_units) -> Account:
    """A new account (or a new password, role and units for an existing one), written atomically."""
    name = unicodedata.normalize("NFC", name).strip().lower()
    if not _NAME.match(name):
        raise UsageError(
            f"Tên tài khoản “{name}” không dùng được: 2–40 ký tự, chỉ chữ không dấu, số, dấu chấm, gạch ngang "
            "hoặc gạch dưới (ví dụ: nguyen.van.a)."
        )
    if role not in ROLES:
        raise UsageError(f"Vai trò “{role}” không có; chọn một trong: {', '.join(ROLES)}.")
    unknown = [unit for unit in units if unit not in known_units]
    if unknown:
        raise UsageError(
            f"Không có đơn vị “{unknown[0]}” trong [units] của reportgen.toml; các đơn vị: "
            f"{', '.join(u for u in known_units if u) or '(chưa khai báo)'} (bỏ --unit cho đơn vị của thư mục)."
        )
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD} ký tự.")
    entries = load(root)
    entries[name] = {
        "name": name,
        "role": role,
        "units": None if role == "tong_hop" else sorted(set(units) or {""}),
        "hash": _HASHER.hash(password),
    }
    _save(root, entries)
    return account_of(entries[name])


def remove_account(root: Path, name: str) -> None:
    entries = load(root)
    if name not in entries:
        raise UsageError(f"Không có tài khoản “{name}”.")
    del entries[name]
    _save(root, entries)


def account_of(entry: dict) -> Account:
    units = entry.get("units")
    return Account(entry["name"], frozenset({entry["role"]}), None if units is None else frozenset(units))


def authenticate(root: Path, name: str, password: str) -> Account | None:
    """The account when ``password`` is its password; None otherwise (an unknown name costs a hash too, so the
    time taken does not tell which names exist)."""
    entries = load(root)
    entry = entries.get(unicodedata.normalize("NFC", name).strip().lower())
    if entry is None:
        with contextlib.suppress(VerificationError):
            _HASHER.verify(_dummy_hash(), password)
        return None
    try:
        _HASHER.verify(entry["hash"], password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _HASHER.check_needs_rehash(entry["hash"]):
        entry["hash"] = _HASHER.hash(password)
        _save(root, entries)
    return account_of(entry)


def _save(root: Path, entries: dict[str, dict]) -> None:
    path = accounts_file(root)
    text = json.dumps({"accounts": sorted(entries.values(), key=lambda e: e["name"])}, ensure_ascii=False, indent=2)
    atomic_write_bytes(path, (text + "\n").encode("utf-8"), mode=0o600)


@cache
def _dummy_hash() -> str:
    return _HASHER.hash("reportgen: không phải mật khẩu của ai")
