"""Opening a signing key, from a .p12/.pfx file or a USB token, as one pyHanko ``Signer``.

Both sources give the same thing to the signing code (:func:`open_key`), so a
vendor's token and a key file take one path from there on.  Every way a key
can fail to open becomes a :class:`SigningError` or :class:`ConfigError` in
Vietnamese that says what to do: a missing file, a wrong passphrase or PIN, a
token not plugged in, a locked PIN, a label not on the token, an expired
certificate.  The secret is handed to the library call and to nothing else: it
is not in any message, log or file.

A token's module is loaded for one signing and unloaded after it, as a
command that starts and ends would: a token plugged in (or a PIN unlocked)
between two signings of a long-running process is then seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pkcs11
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509
from pkcs11 import Attribute, ObjectClass, TokenFlag
from pkcs11.exceptions import (
    NoSuchKey,
    PinExpired,
    PinIncorrect,
    PinInvalid,
    PinLenRange,
    PinLocked,
    PKCS11Error,
    TokenNotPresent,
    TokenNotRecognised,
)
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko.sign.signers import Signer, SimpleSigner

from reportgen.core.errors import ConfigError
from reportgen.issuance.signing_errors import SigningError
from reportgen.issuance.signing_setup import KeySpec

VN_DATE = "%d/%m/%Y"


@contextmanager
def open_key(spec: KeySpec, secret: str, source: str, now: datetime | None = None) -> Iterator[Signer]:
    """The key of ``spec``, opened with ``secret``, its certificate checked to be valid at ``now``."""
    opener = _pkcs12 if spec.method == "pkcs12" else _pkcs11
    with opener(spec, secret, source) as signer:
        check_certificate(signer.signing_cert, spec, now or datetime.now(UTC))
        yield signer


def subject_name(cert: x509.Certificate) -> str:
    """The certificate holder's common name (or the whole subject when it has none)."""
    return _common_name(cert.subject)


def issuer_name(cert: x509.Certificate) -> str:
    return _common_name(cert.issuer)


def check_certificate(cert: x509.Certificate, spec: KeySpec, now: datetime) -> None:
    validity = cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    holder = subject_name(cert)
    if now > not_after:
        raise SigningError(
            f"Chứng thư số của {spec.who} ({holder}) đã hết hạn ngày {not_after.strftime(VN_DATE)}. "
            f"Gia hạn chứng thư số với nhà cung cấp (hoặc dùng chứng thư mới), rồi ký lại."
        )
    if now < not_before:
        raise SigningError(
            f"Chứng thư số của {spec.who} ({holder}) chưa có hiệu lực (từ ngày "
            f"{not_before.strftime(VN_DATE)}). Kiểm tra ngày giờ của máy tính."
        )


@contextmanager
def _pkcs12(spec: KeySpec, secret: str, source: str) -> Iterator[Signer]:
    path = spec.p12
    assert path is not None, "config_sign requires p12 with method pkcs12"
    if not path.is_file():
        raise ConfigError(
            source,
            f"{spec.section}.p12",
            f"không tìm thấy tệp khóa “{path}” của {spec.who}. Kiểm tra đường dẫn, hoặc cắm ổ chứa tệp vào máy.",
        )
    data = path.read_bytes()
    if not _is_pfx(data):
        raise ConfigError(
            source,
            f"{spec.section}.p12",
            f"tệp “{path}” không phải tệp khóa .p12/.pfx. Xuất lại tệp khóa (kèm chứng thư số) dạng PKCS#12.",
        )
    try:
        signer = SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=secret.encode("utf-8") or None)
    except ValueError:
        raise SigningError(
            f"Sai mật khẩu của tệp khóa “{path.name}” ({spec.who}). Nhập lại đúng mật khẩu (phân biệt "
            f"chữ hoa, chữ thường)."
        ) from None
    yield signer


def _is_pfx(data: bytes) -> bool:
    """Whether ``data`` parses as a PKCS#12 structure (a wrong passphrase is then the only way loading fails)."""
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in ("data", "signed_data")
    except (ValueError, TypeError, KeyError):
        return False


@contextmanager
def _pkcs11(spec: KeySpec, secret: str, source: str) -> Iterator[Signer]:
    module = spec.pkcs11_module
    assert module is not None, "config_sign requires pkcs11_module with method pkcs11"
    if not module.is_file():
        raise ConfigError(
            source,
            f"{spec.section}.pkcs11_module",
            f"không tìm thấy tệp thư viện của token “{module}”. Cài phần mềm của nhà cung cấp token "
            f"(chữ ký số), rồi ghi ở đây đường dẫn tệp .dll (Windows) hoặc .so (Linux) của nó.",
        )
    try:
        library = pkcs11.lib(str(module))
    except PKCS11Error as exc:
        raise ConfigError(
            source,
            f"{spec.section}.pkcs11_module",
            f"tệp “{module}” không nạp được như thư viện PKCS#11 của token ({exc}). Ghi đúng tệp "
            f".dll/.so của nhà cung cấp token (cùng kiểu 32/64 bit với máy).",
        ) from None
    try:
        token = _find_token(library, spec)
        if token.flags & TokenFlag.USER_PIN_LOCKED:
            raise _locked(spec)
        try:
            session = token.open(user_pin=secret)
        except (PinIncorrect, PinInvalid, PinLenRange):
            raise SigningError(
                f"Sai mã PIN của token ({spec.who}, token “{token.label}”). Nhập lại đúng mã PIN; "
                f"nhập sai nhiều lần liên tiếp token sẽ bị khóa."
            ) from None
        except PinLocked:
            raise _locked(spec) from None
        except PinExpired:
            raise SigningError(
                f"Mã PIN của token ({spec.who}) đã hết hạn: đổi mã PIN bằng phần mềm của nhà cung cấp "
                f"token, rồi ký lại."
            ) from None
        except (TokenNotPresent, TokenNotRecognised):
            raise _absent(spec, module) from None
        try:
            # other_certs_to_pull=None: every certificate on the token (the CA chain vendors put there) is embedded.
            signer = PKCS11Signer(
                session, cert_label=spec.key_label, key_label=spec.key_label, other_certs_to_pull=None
            )
            try:
                _ = signer.signing_cert  # loads the certificate and the key handle now, inside this error mapping
            except (NoSuchKey, PKCS11Error):
                raise SigningError(
                    f"Token “{token.label}” ({spec.who}) không có khóa ký và chứng thư số mang nhãn "
                    f"“{spec.key_label}”. Sửa key_label trong mục [{spec.section}] của reportgen.toml "
                    f"cho đúng nhãn trong phần mềm quản lý token."
                ) from None
            yield signer
        finally:
            session.close()
    finally:
        pkcs11.unload(str(module))


def _find_token(library, spec: KeySpec):
    """The initialised token holding a certificate labelled ``key_label`` (its public objects need no PIN)."""
    try:
        tokens = [slot.get_token() for slot in library.get_slots(token_present=True)]
    except (TokenNotPresent, TokenNotRecognised):
        tokens = []
    tokens = [token for token in tokens if token.flags & TokenFlag.TOKEN_INITIALIZED]
    if not tokens:
        raise _absent(spec, spec.pkcs11_module)
    labels: list[str] = []
    for token in tokens:
        with token.open() as session:
            certificates = session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
            found = [str(cert[Attribute.LABEL]) for cert in certificates]
        if spec.key_label in found:
            return token
        labels += found
    if len(tokens) == 1:
        # Some tokens show their certificates only after the PIN: the one token plugged in is the one meant, and a
        # label missing there too is reported after logging in.
        return tokens[0]
    shown = ", ".join(f"“{label}”" for label in sorted(set(labels))) or "(không có chứng thư số nào)"
    raise SigningError(
        f"Không có chứng thư số mang nhãn “{spec.key_label}” trên token đang cắm ({spec.who}). Các nhãn "
        f"có trên token: {shown}. Sửa key_label trong mục [{spec.section}] của reportgen.toml, hoặc "
        f"cắm đúng token."
    )


def _absent(spec: KeySpec, module) -> SigningError:
    return SigningError(
        f"Không thấy token chữ ký số của {spec.who}: cắm token vào máy rồi ký lại. (Thư viện "
        f"“{module}” đã nạp được nhưng không có token nào sẵn sàng.)"
    )


def _locked(spec: KeySpec) -> SigningError:
    return SigningError(
        f"Mã PIN của token ({spec.who}) đã bị khóa do nhập sai nhiều lần. Liên hệ nhà cung cấp chứng "
        f"thư số (hoặc người quản lý token) để mở khóa; reportgen không thử thêm để tránh khóa hẳn "
        f"token."
    )


def _common_name(name: x509.Name) -> str:
    values = name.native
    return str(values.get("common_name") or name.human_friendly)
