"""reportgen.toml, loaded into typed, frozen objects.

Every setting has a documented default here; the file only overrides.  A
wrong type, an unknown key or a bad value is a :class:`ConfigError` naming the
file and the key ("Cấu hình reportgen.toml, mục [mail], khóa “port”: cần một số nguyên …").  Names of
the unit, place, signer and recipients have no defaults in code: they come from
the file (``reportgen init`` writes an example) or from the workbook.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.core.errors import ConfigError
from reportgen.settings.issue import IssueConfig
from reportgen.settings.limits import LIMIT_RANGES
from reportgen.settings.sections import (
    DeliveryConfig,
    LimitsConfig,
    MailConfig,
    PathsConfig,
    ReportConfig,
    ScheduleConfig,
    SignerConfig,
    UnitConfig,
    UnitIssueConfig,
    UnitOverride,
)
from reportgen.settings.sign import METHODS as SIGN_METHODS
from reportgen.settings.sign import SignConfig, SignKeyConfig, check_sign, check_unit_sign, unit_sign
from reportgen.settings.toml_errors import explain as explain_toml_error

CONFIG_NAME = "reportgen.toml"


@dataclass(frozen=True)
class Config:
    unit: UnitConfig = field(default_factory=UnitConfig)
    signer: SignerConfig = field(default_factory=SignerConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    paths: PathsConfig = field(default_factory=PathsConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    sign: SignConfig = field(default_factory=SignConfig)
    """[sign] and [sign.office]: the keys that sign an issued report (reportgen.settings.sign)."""
    issue: IssueConfig = field(default_factory=IssueConfig)
    """[issue]: approval before a report is issued and sent (reportgen.settings.issue)."""
    units: dict[str, UnitOverride] = field(default_factory=dict)
    """[units.<id>] tables, by id; empty for a folder that reports for one unit."""
    source: str = ""
    """The file this was loaded from ('' for built-in defaults)."""

    def for_unit(self, unit_id: str) -> Config:
        """The configuration of one unit: its own values over the shared ones ('' = the shared unit)."""
        if not unit_id:
            return self
        override = self.units[unit_id]
        pick = lambda own, shared: own or shared  # noqa: E731 - an empty override keeps the shared value
        unit = UnitConfig(
            **{
                f.name: pick(getattr(override, f.name, None), getattr(self.unit, f.name))
                for f in dataclasses.fields(UnitConfig)
            }
        )
        if override.name and not override.short_name:
            # A commune that gives its own name must not print the district's short name.
            unit = dataclasses.replace(unit, short_name=override.name)
        table = f"[units.{unit_id}]"
        # A unit naming its own signer's title does not inherit the shared signer's authority lines (written
        # for another person): they are derived from its title unless it gives its own.
        shared_authority = () if override.signer_title else self.signer.authority
        signer = SignerConfig(
            authority=pick(override.signer_authority, shared_authority),
            title=pick(override.signer_title, self.signer.title),
            name=pick(override.signer_name, self.signer.name),
            title_key=f"{table} signer_title" if override.signer_title else self.signer.title_key,
            authority_key=(f"{table} signer_authority" if override.signer_authority else self.signer.authority_key),
        )
        report = dataclasses.replace(
            self.report,
            recipients=pick(override.recipients, self.report.recipients),
            addressees=pick(override.addressees, self.report.addressees),
        )
        mail = dataclasses.replace(
            self.mail, to=pick(override.mail_to, self.mail.to), staff=pick(override.mail_staff, self.mail.staff)
        )
        issue = self.issue
        if override.issue is not None and override.issue.review_to:
            issue = dataclasses.replace(issue, review_to=override.issue.review_to)
        sign = unit_sign(self.sign, override.sign)
        return dataclasses.replace(
            self, unit=unit, signer=signer, report=report, mail=mail, issue=issue, sign=sign, units={}
        )


_SECTIONS: dict[str, type] = {
    "unit": UnitConfig,
    "signer": SignerConfig,
    "report": ReportConfig,
    "paths": PathsConfig,
    "mail": MailConfig,
    "schedule": ScheduleConfig,
    "delivery": DeliveryConfig,
    "limits": LimitsConfig,
    "sign": SignConfig,
    "issue": IssueConfig,
}
_CHOICES = {
    ("report", "elapsed"): ("months", "cutoff"),
    ("mail", "security"): ("starttls", "ssl", "none"),
    ("delivery", "resend_corrected"): ("send", "hold"),
    ("sign", "method"): SIGN_METHODS,
    ("sign.office", "method"): SIGN_METHODS,
}
_RANGES = {
    ("report", "cutoff_day"): (1, 28),
    ("schedule", "due_day"): (1, 28),
    ("mail", "port"): (1, 65535),
    ("schedule", "remind_days_before"): (0, 27),
    ("mail", "timeout"): (1, 600),
    ("mail", "retries"): (1, 10),
    ("mail", "retry_delay"): (0, 3600),
    ("schedule", "catch_up_days"): (0, 3660),
    **{("limits", key): bounds for key, bounds in LIMIT_RANGES.items()},
}

# Tables later issues own; accepted here so that a file written for a newer
# reportgen does not fail on an older one.  (Their own loaders check them.)
PASSTHROUGH_SECTIONS: tuple[str, ...] = ()
_UNIT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_UNIT_TABLE = re.compile(r"^units\.[^.]+\.")


def load_config(path: Path | str | None) -> Config:
    """Load ``path`` (a reportgen.toml); None gives the built-in defaults."""
    if path is None:
        return Config()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # Notepad may save UTF-8 with a byte order mark
    except FileNotFoundError:
        raise ConfigError(path, None, "không tìm thấy tệp cấu hình. Chạy “reportgen init” để tạo.") from None
    except UnicodeDecodeError:
        raise ConfigError(
            path,
            None,
            "tệp không phải UTF-8; mở bằng Notepad, chọn File → Save As, mục Encoding chọn UTF-8, rồi lưu lại.",
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, explain_toml_error(exc, text)) from None
    return parse_config(data, path)


def raw_table(path: Path | str | None, name: str) -> dict[str, Any]:
    """The raw TOML table ``name`` (for sections owned by other modules)."""
    if path is None or not Path(path).exists():
        return {}
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    table = data.get(name, {})
    return table if isinstance(table, dict) else {}


def parse_config(data: dict[str, Any], path: Path | str = CONFIG_NAME) -> Config:
    sections: dict[str, Any] = {}
    for name, table in data.items():
        if name in PASSTHROUGH_SECTIONS:
            continue
        if name == "units":
            sections["units"] = _units(table, path)
            continue
        if name == "sign":
            sections["sign"] = _sign(table, path)
            continue
        if name not in _SECTIONS:
            known = ", ".join(f"[{n}]" for n in (*_SECTIONS, "units", *PASSTHROUGH_SECTIONS))
            raise ConfigError(path, name, f"mục không có; các mục hợp lệ: {known}.")
        if not isinstance(table, dict):
            raise ConfigError(path, name, "phải là một bảng [" + name + "].")
        sections[name] = _build(_SECTIONS[name], table, path, name)
    if "issue" in sections:
        sections["issue"] = dataclasses.replace(sections["issue"], declared=True)
    for unit_id, override in sections.get("units", {}).items():  # once [sign] is read, wherever it stands
        if override.sign is not None:
            check_unit_sign(sections.get("sign", SignConfig()), override.sign, path, f"units.{unit_id}.sign")
    return Config(**sections, source=str(path))


def _units(table: Any, path: Path | str) -> dict[str, UnitOverride]:
    if not isinstance(table, dict):
        raise ConfigError(path, "units", "phải là các bảng [units.<mã đơn vị>].")
    units = {}
    for unit_id, values in table.items():
        if not _UNIT_ID.fullmatch(unit_id):
            raise ConfigError(
                path,
                f"units.{unit_id}",
                "mã đơn vị chỉ gồm chữ không dấu, số, “-” và “_” "
                "(ví dụ hoanh-mo); đó cũng là tên thư mục inputs/<mã>/.",
            )
        if not isinstance(values, dict):
            raise ConfigError(path, f"units.{unit_id}", "phải là một bảng [units." + unit_id + "].")
        section = f"units.{unit_id}"
        tables = {name: values[name] for name in ("issue", "sign") if name in values}
        unit = _build(UnitOverride, {k: v for k, v in values.items() if k not in tables}, path, section)
        if "issue" in tables:
            if not isinstance(tables["issue"], dict):
                raise ConfigError(path, f"{section}.issue", f"phải là một bảng [{section}.issue].")
            issue = _build(UnitIssueConfig, tables["issue"], path, f"{section}.issue")
            unit = dataclasses.replace(unit, issue=issue)
        if "sign" in tables:
            unit = dataclasses.replace(unit, sign=_sign(tables["sign"], path, f"{section}.sign"))
        units[unit_id] = unit
    return units


def _sign(table: Any, path: Path | str, section: str = "sign") -> SignConfig:
    """[sign] with its sub-table [sign.office] (the office's own key); a unit's [units.<id>.sign] is checked
    once the folder's [sign], which it falls back to, is read (:func:`parse_config`)."""
    if not isinstance(table, dict):
        raise ConfigError(path, section, f"phải là một bảng [{section}].")
    office = table.get("office")
    sign = dataclasses.replace(
        _build(SignConfig, {k: v for k, v in table.items() if k != "office"}, path, section), table=section
    )
    if office is not None:
        if not isinstance(office, dict):
            raise ConfigError(path, f"{section}.office", f"phải là một bảng [{section}.office].")
        office_key = _build(SignKeyConfig, office, path, f"{section}.office")
        sign = dataclasses.replace(sign, office=dataclasses.replace(office_key, table=f"{section}.office"))
    if section == "sign":
        check_sign(sign, path)
    return sign


@functools.cache
def _fields(cls: type) -> tuple[dict[str, Any], frozenset[str]]:
    """A section's field types and names.  Cached: ``get_type_hints`` evaluates every string annotation
    again on each call, once per [units.*] table, and a folder may declare hundreds of units."""
    return typing.get_type_hints(cls), frozenset(
        f.name for f in dataclasses.fields(cls) if not f.metadata.get("internal")
    )


def _build(cls: type, table: dict[str, Any], path: Path | str, section: str) -> Any:
    hints, names = _fields(cls)
    values: dict[str, Any] = {}
    for key, raw in table.items():
        where = f"{section}.{key}"
        if section == "mail" and key == "password":
            raise ConfigError(
                path,
                where,
                "không ghi mật khẩu vào tệp cấu hình. Đặt mật khẩu vào biến môi trường "
                "có tên ghi ở password_env, hoặc vào kho mật khẩu của hệ điều hành "
                "(xem docs/delivery.md).",
            )
        if key not in names:
            raise ConfigError(path, where, f"khóa không có; các khóa hợp lệ: {', '.join(sorted(names))}.")
        values[key] = _coerce(raw, hints[key], path, where)
        generic = _UNIT_TABLE.sub("", section)  # [units.<id>.sign] takes the values [sign] takes
        choices = _CHOICES.get((generic, key))
        if choices and values[key] not in choices:
            raise ConfigError(path, where, f"phải là một trong {', '.join(choices)}; đang là “{raw}”.")
        low, high = _RANGES.get((section, key), (None, None))
        if low is not None and not low <= values[key] <= high:
            raise ConfigError(path, where, f"phải từ {low} đến {high}; đang là {raw}.")
    _check_section(section, values, path)
    return cls(**values)


def _check_section(section: str, values: dict[str, Any], path: Path | str) -> None:
    """Checks that involve the meaning of a value, not only its type."""
    if section == "schedule" and "time" in values and not _is_time(values["time"]):
        raise ConfigError(path, "schedule.time", f'cần giờ dạng HH:MM, ví dụ "07:00"; đang là “{values["time"]}”.')
    if section == "mail" and values.get("host") and not values.get("sender"):
        raise ConfigError(path, "mail.sender", "cần khai báo khi đã có [mail] host.")
    for key in ("sender", "staff"):
        address = values.get(key, "") if section == "mail" else ""
        if address and not _is_address(address):
            raise ConfigError(path, f"mail.{key}", f"địa chỉ thư không hợp lệ: “{address}”.")
    for key, listed in (("mail.to", "to"), ("issue.review_to", "review_to")):
        table = key.split(".")[0]
        for address in values.get(listed, ()) if _UNIT_TABLE.sub("", section) == table else ():
            if not _is_address(address):
                raise ConfigError(path, f"{section}.{listed}", f"địa chỉ thư không hợp lệ: “{address}”.")
    if section.startswith("units."):
        for address in (*values.get("mail_to", ()), values.get("mail_staff", "")):
            if address and not _is_address(address):
                key = "mail_staff" if address == values.get("mail_staff") else "mail_to"
                raise ConfigError(path, f"{section}.{key}", f"địa chỉ thư không hợp lệ: “{address}”.")


def _is_time(text: str) -> bool:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    return match is not None and int(match.group(1)) < 24 and int(match.group(2)) < 60


def _is_address(text: str) -> bool:
    return bool(re.fullmatch(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+", text.strip()))


def _coerce(raw: Any, hint: Any, path: Path | str, where: str) -> Any:
    origin = typing.get_origin(hint)
    if hint is str:
        if not isinstance(raw, str):
            raise ConfigError(path, where, f"cần một chuỗi trong dấu nháy; đang là {raw!r}.")
        return raw
    if hint is int:
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise ConfigError(path, where, f"cần một số nguyên; đang là {raw!r}.")
        return raw
    if hint is bool:
        if not isinstance(raw, bool):
            raise ConfigError(path, where, f"cần true hoặc false; đang là {raw!r}.")
        return raw
    if hint is Decimal:
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise ConfigError(path, where, f"cần một số; đang là {raw!r}.")
        try:
            return Decimal(str(raw))
        except ArithmeticError:
            raise ConfigError(path, where, f"cần một số; đang là {raw!r}.") from None
    if origin is tuple:
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise ConfigError(path, where, f'cần một danh sách chuỗi, ví dụ ["a", "b"]; đang là {raw!r}.')
        return tuple(raw)
    if origin in (typing.Union, types.UnionType):  # X | None: the key given means a value of type X
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _coerce(raw, inner, path, where)
    raise TypeError(f"unsupported config type {hint!r}")  # pragma: no cover - programming error
