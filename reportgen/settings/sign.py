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

from dataclasses import dataclass, field, replace
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
    table: str = field(default="sign", metadata={"internal": True})
    """Where the key was written ("sign", "sign.office", "units.<id>.sign"…), for the messages about its files."""

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


def unit_sign(shared: SignConfig, own: SignConfig | None) -> SignConfig:
    """One unit's keys: [units.<id>.sign] (its signer's key and signature image) and [units.<id>.sign.office]
    (its office's key and seal), each falling back to the folder's [sign] / [sign.office] when the unit does not
    set it.  A key is taken whole from one table, never a method from one and a file from another; a
    signature image or a seal is never borrowed from another person's or office's table.  The timestamp server
    and the trusted roots fall back key by key."""
    if own is None:
        return shared
    signer = own if own.configured else shared
    if own.office is not None:
        office: SignKeyConfig | None = replace(own.office, seal_image=own.office.seal_image or own.seal_image)
    else:
        office = shared.office_key
    return SignConfig(
        table=signer.table,
        method=signer.method,
        p12=signer.p12,
        pkcs11_module=signer.pkcs11_module,
        key_label=signer.key_label,
        signature_image=signer.signature_image,
        tsa_url=own.tsa_url or shared.tsa_url,
        trust_roots=own.trust_roots or shared.trust_roots,
        office=office,
    )


def check_unit_sign(shared: SignConfig, own: SignConfig, path: Path | str, section: str) -> None:
    """[units.<id>.sign] checked on its own (each key it gives) and as the unit will sign (with what it takes
    from the folder's tables); ``section``: "units.<id>.sign", which the messages name."""
    _check_key(own, path, section)
    if own.office is not None:
        _check_key(own.office, path, f"{section}.office")
    if own.seal_image and own.office is None:
        raise ConfigError(
            path,
            f"{section}.seal_image",
            f"con dấu được đóng bằng chữ ký số của cơ quan: thêm bảng [{section}.office] với khóa của cơ quan, "
            "hoặc bỏ khóa này.",
        )
    check_sign(unit_sign(shared, own), path, section)


def check_sign(sign: SignConfig, path: Path | str, section: str = "sign") -> None:
    """The checks that involve several keys of [sign] and [sign.office] (``section``: the table's name, for
    the messages: "sign", or "units.<id>.sign")."""
    _check_key(sign, path, section)
    if sign.configured and not sign.signature_image:
        raise ConfigError(
            path,
            f"{section}.signature_image",
            "cần tệp ảnh chữ ký của người ký (PNG màu xanh, nền trong suốt), ví dụ "
            'signature_image = "ky-so/chu-ky.png".',
        )
    if sign.office is None:
        if sign.seal_image:
            raise ConfigError(
                path,
                f"{section}.seal_image",
                f"con dấu được đóng bằng chữ ký số của cơ quan: thêm bảng [{section}.office] với khóa của "
                "cơ quan (method, p12 hoặc pkcs11_module và key_label), hoặc bỏ khóa này.",
            )
        return
    if not sign.configured:
        raise ConfigError(
            path,
            f"{section}.method",
            "cơ quan chỉ ký số lên văn bản đã có chữ ký của người có thẩm quyền (Nghị định 30, "
            f"Điều 32): khai báo khóa của người ký ở [{section}] trước.",
        )
    _check_key(sign.office, path, f"{section}.office")
    if not sign.office.configured:
        raise ConfigError(path, f"{section}.office.method", f"cần một trong {', '.join(METHODS)}.")
    if sign.office.signature_image:
        raise ConfigError(
            path, f"{section}.office.signature_image", "chữ ký số của cơ quan hiện hình con dấu: dùng khóa seal_image."
        )
    if not (sign.office.seal_image or sign.seal_image):
        raise ConfigError(
            path,
            f"{section}.office.seal_image",
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
