"""A real PKCS#11 token for the tests: SoftHSM2, initialised in a temporary folder.

``make_tokens`` writes a SoftHSM2 configuration whose token folder is private
to the test session, initialises two tokens with ``softhsm2-util`` (the
signer's and the văn thư's, as two USB tokens plugged into one PC), and
imports each holder's RSA key and certificate, with the CA's certificate, through
PKCS#11 itself (python-pkcs11).  The signing code then reaches them through
the same path as a vendor's module: ``pkcs11_module`` = libsofthsm2.so.

SoftHSM2 never locks a PIN (its C_Login counts no failures), so for that one
behaviour ``lockout_module`` builds tests/fixtures/pkcs11/pin_lockout.c, a
PKCS#11 module that passes every call to SoftHSM2 and locks the PIN after
three wrong entries, as USB tokens do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography.hazmat.primitives import serialization
from pkcs11 import Attribute
from pkcs11.util.rsa import decode_rsa_private_key
from pkcs11.util.x509 import decode_x509_certificate

from pki import Identity

HERE = Path(__file__).resolve().parent
SOFTHSM_MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                   "/usr/lib64/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so",
                   "/opt/homebrew/lib/softhsm/libsofthsm2.so")
SO_PIN = "13572468"
SIGNER_PIN = "246810"
OFFICE_PIN = "975311"
SIGNER_TOKEN, OFFICE_TOKEN = "Token nguoi ky", "Token van thu"
SIGNER_KEY, OFFICE_KEY = "Nguyen Van A", "UBND huyen Binh Lieu"


@dataclass(frozen=True)
class Tokens:
    module: Path
    conf: Path
    """SOFTHSM2_CONF of the folder holding both tokens."""
    empty_conf: Path
    """SOFTHSM2_CONF of an empty token folder: the module loads, no token is there (as when it is unplugged)."""
    single_conf: Path
    """SOFTHSM2_CONF of a folder holding the signer's token alone."""


def softhsm_module() -> Path:
    for candidate in SOFTHSM_MODULES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise RuntimeError("SoftHSM2 is not installed: apt-get install softhsm2 (bootstrap.py test installs it)")


def make_tokens(folder: Path, signer: Identity, office: Identity, ca: Identity) -> Tokens:
    module = softhsm_module()
    conf = _conf(folder / "softhsm", "tokens")
    empty = _conf(folder / "softhsm-empty", "tokens")
    single = _conf(folder / "softhsm-single", "tokens")
    signer_token = (SIGNER_TOKEN, SIGNER_PIN, signer, SIGNER_KEY, b"\x01")
    office_token = (OFFICE_TOKEN, OFFICE_PIN, office, OFFICE_KEY, b"\x02")
    _fill(module, conf, ca, (signer_token, office_token))
    _fill(module, single, ca, (signer_token,))
    return Tokens(module, conf, empty, single)


def _fill(module: Path, conf: Path, ca: Identity, tokens: tuple) -> None:
    """Initialise each token with softhsm2-util, then import its holder's key and certificate and the CA's."""
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    for label, pin, *_ in tokens:
        subprocess.run([_tool("softhsm2-util"), "--init-token", "--free", "--label", label, "--so-pin", SO_PIN,
                        "--pin", pin], check=True, capture_output=True, env=env)
    with softhsm_conf(conf):
        library = pkcs11.lib(str(module))
        try:
            for token_label, pin, identity, key_label, key_id in tokens:
                with library.get_token(token_label=token_label).open(rw=True, user_pin=pin) as session:
                    _import(session, identity, key_label, key_id)
                    _import_cert(session, ca, "CA thu nghiem", b"\x21")
        finally:
            pkcs11.unload(str(module))


def lockout_module(folder: Path) -> Path:
    """tests/fixtures/pkcs11/pin_lockout.c, built with the system's C compiler."""
    target = folder / "pin_lockout.so"
    if not target.exists():
        source = HERE / "fixtures" / "pkcs11" / "pin_lockout.c"
        compiler = shutil.which("cc") or _tool("gcc")
        subprocess.run([compiler, "-shared", "-fPIC", "-Wall", "-o", str(target), str(source), "-ldl"],
                       check=True, capture_output=True)
    return target


@contextmanager
def softhsm_conf(conf: Path):
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = old


def _conf(folder: Path, tokens: str) -> Path:
    (folder / tokens).mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / tokens}\nobjectstore.backend = file\nlog.level = ERROR\n",
                    encoding="utf-8")
    return conf


def _import(session, identity: Identity, label: str, key_id: bytes) -> None:
    pkcs1 = identity.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption())
    attributes = decode_rsa_private_key(pkcs1)
    attributes.update({Attribute.LABEL: label, Attribute.ID: key_id, Attribute.TOKEN: True,
                       Attribute.PRIVATE: True, Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False})
    session.create_object(attributes)
    _import_cert(session, identity, label, key_id)


def _import_cert(session, identity: Identity, label: str, key_id: bytes) -> None:
    attributes = decode_x509_certificate(identity.cert_der)
    attributes.update({Attribute.LABEL: label, Attribute.ID: key_id, Attribute.TOKEN: True})
    session.create_object(attributes)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed (bootstrap.py test installs the tests' Debian packages)")
    return found
