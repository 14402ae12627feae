"""Where the SMTP password comes from — never from reportgen.toml, and never written anywhere.

Looked up at the moment of sending, in this order: the environment variable
named by ``[mail] password_env``, then the operating system's password store
through the optional ``keyring`` package (Windows Credential Manager, macOS
Keychain, Secret Service on Linux), service "reportgen", user = the SMTP user.
"""

from __future__ import annotations

import logging
import os

from ..config import CONFIG_NAME, MailConfig
from ..errors import ConfigError

KEYRING_SERVICE = "reportgen"

log = logging.getLogger(__name__)


def resolve_password(mail: MailConfig, config_path: str = CONFIG_NAME) -> str | None:
    """The SMTP password, or None when ``mail.username`` is empty (the server takes mail without AUTH).

    Raises ConfigError (naming ``mail.password_env``) when a user name is set but
    neither the environment nor the keyring holds a password.
    """
    if not mail.username:
        return None
    password = _from_environment(mail.password_env) or _from_keyring(mail.username)
    if password:
        return password
    raise ConfigError(config_path, "mail.password_env", _missing_message(mail))


def _from_environment(name: str) -> str | None:
    """An empty variable counts as unset: ``set VAR=`` on Windows is how people clear one."""
    if not name:
        return None
    return os.environ.get(name) or None


def _from_keyring(username: str) -> str | None:
    """The password stored with ``keyring set reportgen USER``; None without keyring or without a backend."""
    try:
        import keyring  # optional dependency: pip install "reportgen[keyring]"
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, username) or None
    except Exception as error:  # noqa: BLE001 - any backend may fail in its own way (NoKeyringError, locked store…)
        # Only the error's type: a backend's message is not ours to vouch for.
        log.debug("keyring unavailable for %s: %s", KEYRING_SERVICE, type(error).__name__)
        return None


def _missing_message(mail: MailConfig) -> str:
    keyring_hint = (f"lưu mật khẩu vào kho mật khẩu của hệ điều hành: «keyring set {KEYRING_SERVICE} "
                    f"{mail.username}» (cần cài gói keyring)")
    env = mail.password_env
    if not env:
        return f"chưa có mật khẩu thư cho tài khoản {mail.username}. Hãy {keyring_hint}."
    return (f"chưa có mật khẩu thư cho tài khoản {mail.username}. Đặt biến môi trường {env} "
            f"(Windows: setx {env} \"mật khẩu\", rồi mở cửa sổ lệnh mới; Linux: export {env}=…), "
            f"hoặc {keyring_hint}. Không ghi mật khẩu vào reportgen.toml.")


__all__ = ["KEYRING_SERVICE", "resolve_password"]
