"""Certificates for the signing tests, made with ``cryptography``: a test CA and the people it certifies.

Everything is generated once per test session: a root CA, the signer's and the
office's certificates (RSA 2048, key usage as Vietnamese CAs issue them:
digital signature and non-repudiation), one signer certificate that expired
last month, a timestamp authority's certificate, and a second, unrelated CA
for "not trusted".  Keys are also written as .p12 files with a passphrase.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from asn1crypto import keys as asn1_keys, x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

P12_PASSPHRASE = "Mật-khẩu 2023"
"""Non-ASCII on purpose: staff type Vietnamese passphrases."""
OFFICE_P12_PASSPHRASE = "vanthu-2023"


@dataclass(frozen=True)
class Identity:
    name: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def cert_der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def key_pkcs8_der(self) -> bytes:
        return self.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())

    def asn1_cert(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert_der)

    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        return asn1_keys.PrivateKeyInfo.load(self.key_pkcs8_der)


@dataclass(frozen=True)
class Pki:
    folder: Path
    ca: Identity
    other_ca: Identity
    signer: Identity
    office: Identity
    expired: Identity
    tsa: Identity

    @property
    def ca_pem(self) -> Path:
        return self.folder / "ca-thu-nghiem.pem"

    @property
    def other_ca_der(self) -> Path:
        return self.folder / "ca-khac.cer"

    @property
    def signer_p12(self) -> Path:
        return self.folder / "nguoi-ky.p12"

    @property
    def office_p12(self) -> Path:
        return self.folder / "co-quan.p12"

    @property
    def expired_p12(self) -> Path:
        return self.folder / "het-han.p12"


def make_pki(folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    ca = _root("CA thử nghiệm reportgen", now)
    other = _root("CA không tin cậy", now)
    signer = _issue(ca, "Nguyễn Văn A", now - timedelta(days=1), now + timedelta(days=365))
    office = _issue(ca, "Ủy ban nhân dân huyện Bình Liêu", now - timedelta(days=1), now + timedelta(days=365))
    expired = _issue(ca, "Trần Thị B", now - timedelta(days=400), now - timedelta(days=35))
    tsa = _issue(ca, "Máy chủ dấu thời gian thử nghiệm", now - timedelta(days=1), now + timedelta(days=365),
                 time_stamping=True)
    pki = Pki(folder, ca, other, signer, office, expired, tsa)
    pki.ca_pem.write_bytes(ca.cert.public_bytes(serialization.Encoding.PEM))
    pki.other_ca_der.write_bytes(other.cert_der)
    for identity, path, passphrase in ((signer, pki.signer_p12, P12_PASSPHRASE),
                                       (office, pki.office_p12, OFFICE_P12_PASSPHRASE),
                                       (expired, pki.expired_p12, P12_PASSPHRASE)):
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            identity.name.encode("utf-8"), identity.key, identity.cert, [ca.cert],
            serialization.BestAvailableEncryption(passphrase.encode("utf-8"))))
    return pki


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "reportgen thử nghiệm"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _root(common_name: str, now: datetime) -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(common_name)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=3650)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Identity(common_name, key, cert)


def _issue(ca: Identity, common_name: str, not_before: datetime, not_after: datetime,
           time_stamping: bool = False) -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    builder = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(ca.cert.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if time_stamping:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return Identity(common_name, key, builder.sign(ca.key, hashes.SHA256()))


def person_p12(pki: Pki, common_name: str, path: Path, passphrase: str = P12_PASSPHRASE) -> Identity:
    """Another holder certified by the test CA (a commune's chairman, a commune's office), written to ``path``."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    identity = _issue(pki.ca, common_name, now - timedelta(days=1), now + timedelta(days=365))
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        common_name.encode("utf-8"), identity.key, identity.cert, [pki.ca.cert],
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))))
    return identity
