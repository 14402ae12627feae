"""What signing needs, resolved: the keys of [sign] and [sign.office] with their files, and the secrets.

:class:`SignSettings` turns the typed [sign] table into paths under the
working folder and remembers where each value came from, so that a missing
file is reported as "Cấu hình …, mục [sign], khóa “p12”: …".  :class:`Secrets`
carries the PIN or passphrase from whoever asked for it (a prompt on the
terminal, an environment variable named on the command line) to the library
call that needs it; it is never written anywhere, and its repr hides it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.core.errors import ConfigError, UsageError
from reportgen.settings.sign import SignConfig, SignKeyConfig

SIGNER = "signer"
OFFICE = "office"
ROLE_NAMES = {SIGNER: "người ký", OFFICE: "cơ quan"}


@dataclass(frozen=True)
class KeySpec:
    """One key that signs, with its image, as the signing code uses it."""

    role: str
    """SIGNER or OFFICE."""
    section: str
    """Where it is configured: "sign" or "sign.office" (for messages)."""
    method: str
    p12: Path | None
    pkcs11_module: Path | None
    key_label: str
    image: Path
    """The signer's signature image, or the office's seal image."""
    image_key: str
    """Where the image is configured, e.g. "sign.signature_image" or "sign.seal_image"."""
    tsa_url: str

    @property
    def who(self) -> str:
        return ROLE_NAMES[self.role]

    @property
    def secret_name(self) -> str:
        """What the secret is called for this key, in a prompt or a message."""
        return "mật khẩu tệp .p12" if self.method == "pkcs12" else "mã PIN của token"


@dataclass(frozen=True)
class SignSettings:
    signer: KeySpec
    office: KeySpec | None
    trust_roots: tuple[Path, ...]
    source: str
    """The configuration file (for messages)."""

    @classmethod
    def from_config(cls, sign: SignConfig, root: Path | str, source: Path | str | None) -> SignSettings:
        """The settings of a loaded [sign] table; relative paths are under ``root`` (the working folder)."""
        where = str(source or "reportgen.toml")
        if not sign.configured:
            raise ConfigError(
                where,
                "sign",
                'chưa khai báo khóa ký số. Thêm bảng [sign] với method = "pkcs12" '
                '(tệp .p12/.pfx) hoặc "pkcs11" (token USB); xem docs/ky-so.md.',
            )
        root = Path(root)
        signer = _spec(sign, SIGNER, sign.table, root, sign.signature_image, f"{sign.table}.signature_image")
        office = None
        if sign.office is not None and sign.office_key is not None:
            table = sign.office.table
            image_key = f"{table}.seal_image" if sign.office.seal_image else f"{sign.table}.seal_image"
            office = _spec(sign.office_key, OFFICE, table, root, sign.office_key.seal_image, image_key)
        return cls(signer, office, tuple(_resolve(root, p) for p in sign.trust_roots), where)

    def keys(self) -> tuple[KeySpec, ...]:
        """The keys in the order they sign: the signer first, then the office (Decree 30, Art. 32.2.d)."""
        return (self.signer,) if self.office is None else (self.signer, self.office)


def trust_roots_of(sign: SignConfig, root: Path | str) -> tuple[Path, ...]:
    """[sign] trust_roots as paths (for verifying, which needs no key)."""
    return tuple(_resolve(Path(root), p) for p in sign.trust_roots)


@dataclass(frozen=True)
class Secrets:
    """The signer's and the office's PIN or passphrase, for one signing; never stored, never shown."""

    signer: str = field(default="", repr=False)
    office: str = field(default="", repr=False)

    def of(self, role: str) -> str:
        return self.signer if role == SIGNER else self.office

    @classmethod
    def from_env(cls, signer_env: str, office_env: str = "") -> Secrets:
        """Read the secrets from the environment variables named (``--pin-env NAME``, for automation)."""
        return cls(_env(signer_env), _env(office_env) if office_env else "")


def ask_secrets(settings: SignSettings, ask: Callable[[str], str], env: Mapping[str, str | None]) -> Secrets:
    """The secret of each key that signs: from the environment variable ``env`` names for its role ("signer",
    "office"), else ``ask(prompt)`` — a hidden prompt on a terminal, a field of a form."""
    values = {}
    for spec in (settings.signer, settings.office):
        if spec is None:
            continue
        name = env.get(spec.role)
        values[spec.role] = _env(name) if name else ask(f"Nhập {spec.secret_name} của {spec.who} (không hiện khi gõ)")
    return Secrets(values.get(SIGNER, ""), values.get(OFFICE, ""))


def _env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise UsageError(
            f"Biến môi trường “{name}” (ghi ở --pin-env) chưa có giá trị: đặt mã PIN hoặc mật khẩu vào "
            f"đó trước khi chạy, hoặc bỏ --pin-env để nhập từ bàn phím."
        )
    return value


def _spec(key: SignKeyConfig, role: str, section: str, root: Path, image: str, image_key: str) -> KeySpec:
    return KeySpec(
        role,
        section,
        key.method,
        _resolve(root, key.p12) if key.p12 else None,
        _resolve(root, key.pkcs11_module) if key.pkcs11_module else None,
        key.key_label,
        _resolve(root, image),
        image_key,
        key.tsa_url,
    )


def _resolve(root: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else root / path
