"""[sign] and [sign.office] of reportgen.toml: which keys sign an issued report, and how it looks.

Typed here, checked for meaning here (which keys each method needs); read from
the file by :mod:`reportgen.settings.config` like every other table, so the messages name
the file and the key the same way.  Paths stay as written (relative to the
working folder); the signing code resolves them and checks that the files exist
when it signs, because a token's module or a key file may live on a drive that
is only there on signing day.  A PIN or passphrase never appears here: it is
asked for when signing, and never written to any file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.core.errors import ConfigError

METHODS = ("pkcs12", "pkcs11")


@dataclass(frozen=True)
class SignKeyConfig:
    """One key that signs: the signer's ([sign]) or the office's ([sign.office])."""

    method: str = ""
    """pkcs12 (a .p12/.pfx file) | pkcs11 (a USB token through its vendor's module); '' = none configured."""
    p12: str = ""
    """method = "pkcs12": the .p12/.pfx file."""
    pkcs11_module: str = ""
    """method = "pkcs11": the token vendor's module (.dll on Windows, .so on Linux, .dylib on macOS)."""
    key_label: str = ""
    """method = "pkcs11": the label of the key (and its certificate) on the token."""
    signature_image: str = ""
    """The signer's handwritten signature: PNG, blue, transparent background (Phụ lục I, II.7.d)."""
    seal_image: str = ""
    """The office's seal: PNG, red, transparent background, real size from its DPI (Phụ lục I, II.8.a)."""
    tsa_url: str = ""
    """A timestamp server (RFC 3161): the signature becomes PAdES B-T; '' = B-B."""

    @property
    def configured(self) -> bool:
        return bool(self.method)


@dataclass(frozen=True)
class SignConfig(SignKeyConfig):
    """[sign]: the signer's key and images; [sign.office]: the office's own key, when it signs too."""

    trust_roots: tuple[str, ...] = ()
    """Root certificates (PEM or DER files) a signature must chain to for “reportgen verify” to call it trusted."""
    office: SignKeyConfig | None = None
    """[sign.office]; None: the office does not sign (no seal)."""

    @property
    def office_key(self) -> SignKeyConfig | None:
        """The office's key with what it takes from [sign] (the seal image, the timestamp server)."""
        if self.office is None:
            return None
        return replace(
            self.office,
            seal_image=self.office.seal_image or self.seal_image,
            tsa_url=self.office.tsa_url or self.tsa_url,
        )


def check_sign(sign: SignConfig, path: Path | str) -> None:
    """The checks that involve several keys of [sign] and [sign.office]."""
    _check_key(sign, path, "sign")
    if sign.configured and not sign.signature_image:
        raise ConfigError(
            path,
            "sign.signature_image",
            "cần tệp ảnh chữ ký của người ký (PNG màu xanh, nền trong suốt), ví dụ "
            'signature_image = "ky-so/chu-ky.png".',
        )
    if sign.office is None:
        if sign.seal_image:
            raise ConfigError(
                path,
                "sign.seal_image",
                "con dấu được đóng bằng chữ ký số của cơ quan: thêm bảng [sign.office] với khóa của "
                "cơ quan (method, p12 hoặc pkcs11_module và key_label), hoặc bỏ khóa này.",
            )
        return
    if not sign.configured:
        raise ConfigError(
            path,
            "sign.method",
            "cơ quan chỉ ký số lên văn bản đã có chữ ký của người có thẩm quyền (Nghị định 30, "
            "Điều 32): khai báo khóa của người ký ở [sign] trước.",
        )
    _check_key(sign.office, path, "sign.office")
    if not sign.office.configured:
        raise ConfigError(path, "sign.office.method", f"cần một trong {', '.join(METHODS)}.")
    if sign.office.signature_image:
        raise ConfigError(
            path, "sign.office.signature_image", "chữ ký số của cơ quan hiện hình con dấu: dùng khóa seal_image."
        )
    if not (sign.office.seal_image or sign.seal_image):
        raise ConfigError(
            path,
            "sign.office.seal_image",
            "cần tệp ảnh con dấu (PNG màu đỏ, nền trong suốt, đúng kích thước thật), ví dụ "
            'seal_image = "ky-so/con-dau.png".',
        )


def _check_key(key: SignKeyConfig, path: Path | str, section: str) -> None:
    if key.tsa_url and not key.tsa_url.startswith(("http://", "https://")):
        raise ConfigError(
            path,
            f"{section}.tsa_url",
            f"cần địa chỉ máy chủ dấu thời gian bắt đầu bằng http:// hoặc https://; đang là “{key.tsa_url}”.",
        )
    needs = {"pkcs12": ("p12",), "pkcs11": ("pkcs11_module", "key_label")}
    if not key.method:
        for name in ("p12", "pkcs11_module", "key_label"):
            if getattr(key, name):
                raise ConfigError(
                    path,
                    f"{section}.method",
                    f'cần khai báo method = "pkcs12" (tệp .p12/.pfx) hoặc "pkcs11" (token USB) khi đã có khóa {name}.',
                )
        return
    for name in needs[key.method]:
        if not getattr(key, name):
            example = {
                "p12": '"ky-so/nguoi-ky.p12"',
                "pkcs11_module": '"C:/Windows/System32/token_pkcs11.dll"',
                "key_label": '"Nguyen Van A"',
            }[name]
            raise ConfigError(
                path, f"{section}.{name}", f'cần khai báo khi method = "{key.method}", ví dụ {name} = {example}.'
            )
    other = "pkcs11" if key.method == "pkcs12" else "pkcs12"
    for name in needs[other]:
        if getattr(key, name):
            raise ConfigError(
                path,
                f"{section}.{name}",
                f'chỉ dùng khi method = "{other}"; đang là method = "{key.method}". Bỏ khóa này, hoặc đổi method.',
            )
