"""Where the SMTP password comes from — never from reportgen.toml, and never written anywhere else.

Looked up at the moment of sending, in this order:

1. the environment variable named by ``[mail] password_env`` (a terminal session);
2. the file named by the variable of the same name plus ``_FILE``
   (``REPORTGEN_SMTP_PASSWORD_FILE``): how a scheduled run gets it, since cron
   and systemd read neither ``~/.profile`` nor a terminal's environment.  The
   printed schedule entries set that variable to the file that
   ``reportgen schedule password`` writes, readable by its owner only;
3. the operating system's password store through the ``keyring`` package
   (Windows Credential Manager, macOS Keychain, Secret Service on Linux),
   service "reportgen", user = the SMTP user: how a Windows scheduled task gets it.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

from reportgen.core.errors import ConfigError
from reportgen.core.files import atomic_write_bytes
from reportgen.settings.config import CONFIG_NAME
from reportgen.settings.sections import MailConfig

KEYRING_SERVICE = "reportgen"
DEFAULT_ENV = "REPORTGEN_SMTP_PASSWORD"
FILE_SUFFIX = "_FILE"

log = logging.getLogger(__name__)


def resolve_password(mail: MailConfig, config_path: str = CONFIG_NAME) -> str | None:
    """The SMTP password, or None when ``mail.username`` is empty (the server takes mail without AUTH).

    Raises ConfigError (naming ``mail.password_env``) when a user name is set but
    neither the environment nor the keyring holds a password.
    """
    if not mail.username:
        return None
    password = _from_environment(mail.password_env) or _from_file(mail, config_path) or _from_keyring(mail.username)
    if password:
        return password
    raise ConfigError(config_path, "mail.password_env", _missing_message(mail))


def password_file_variable(mail: MailConfig) -> str:
    """The variable naming the password file: ``REPORTGEN_SMTP_PASSWORD_FILE`` by default."""
    return (mail.password_env or DEFAULT_ENV) + FILE_SUFFIX


def _from_file(mail: MailConfig, config_path: str) -> str | None:
    """The password kept in the file the ``…_FILE`` variable names (its first line, as written)."""
    variable = password_file_variable(mail)
    name = os.environ.get(variable)
    if not name:
        return None
    path = Path(name).expanduser()
    where = f"tệp mật khẩu {path} (biến môi trường {variable})"
    try:
        info = path.stat()
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            config_path,
            "mail.password_env",
            f"không có {where}. Chạy “reportgen schedule password” để lưu mật khẩu thư vào tệp đó.",
        ) from None
    except OSError as exc:
        raise ConfigError(config_path, "mail.password_env", f"không đọc được {where} ({type(exc).__name__}).") from None
    if os.name != "nt" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            config_path,
            "mail.password_env",
            f"{where} để người khác đọc được (quyền {stat.filemode(info.st_mode)}); chạy “chmod 600 "
            f"{path}” hoặc “reportgen schedule password” để lưu lại.",
        )
    password = data.decode("utf-8", "replace").splitlines()[0] if data.strip() else ""
    return password or None


def store_password(mail: MailConfig, password: str, path: Path) -> str:
    """Keep ``password`` where scheduled runs find it; return, in Vietnamese, where it went.

    Windows: the Credential Manager (keyring), which a task running as this user reads.  Elsewhere: ``path``,
    readable and writable by its owner only (0600), written whole or not at all.
    """
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import keyring  # a dependency on Windows (pyproject.toml)

        keyring.set_password(KEYRING_SERVICE, mail.username, password)
        return f"Đã lưu mật khẩu thư của tài khoản {mail.username} vào Windows Credential Manager."
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write_bytes(path, password.encode("utf-8") + b"\n", mode=0o600)
    return f"Đã lưu mật khẩu thư của tài khoản {mail.username} vào {path} (chỉ người dùng này đọc được)."


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
    keyring_hint = (
        f"lưu mật khẩu vào kho mật khẩu của hệ điều hành: “keyring set {KEYRING_SERVICE} "
        f"{mail.username}” (cần cài gói keyring)"
    )
    env = mail.password_env
    if not env:
        return f"chưa có mật khẩu thư cho tài khoản {mail.username}. Hãy {keyring_hint}."
    return (
        f"chưa có mật khẩu thư cho tài khoản {mail.username}. Đặt biến môi trường {env} "
        f'(Windows: setx {env} "mật khẩu", rồi mở cửa sổ lệnh mới; Linux: export {env}=…), '
        f"hoặc {keyring_hint}. Không ghi mật khẩu vào reportgen.toml."
    )


__all__ = ["DEFAULT_ENV", "KEYRING_SERVICE", "password_file_variable", "resolve_password", "store_password"]
