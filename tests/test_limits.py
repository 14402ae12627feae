"""The reader's limits come from the [limits] table of reportgen.toml, checked when loaded."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from reportgen.settings.config import Config, load_config, parse_config
from reportgen.settings.sections import LimitsConfig
from reportgen.core.errors import ConfigError, ExitStatus
from reportgen.settings.limits import LIMIT_RANGES, Limits, limits_from_config
from reportgen.workbook.read.reader import read_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "2023-06.xlsx"


def test_the_table_has_one_key_per_limit_with_the_same_defaults() -> None:
    assert [(f.name, f.default) for f in dataclasses.fields(LimitsConfig)] == [
        (f.name, f.default) for f in dataclasses.fields(Limits)]
    assert set(LIMIT_RANGES) == {f.name for f in dataclasses.fields(Limits)}
    for name, (low, high) in LIMIT_RANGES.items():
        assert low <= getattr(Limits(), name) <= high, name


def test_without_a_table_the_defaults_apply() -> None:
    assert limits_from_config(Config()) == Limits()
    assert limits_from_config(parse_config({})) == Limits()


def test_keys_given_override_the_rest_keep_their_defaults(tmp_path: Path) -> None:
    path = tmp_path / "reportgen.toml"
    path.write_text("[limits]\nmax_rows = 40000\nmax_cells = 600000\n", encoding="utf-8")
    assert limits_from_config(load_config(path)) == Limits(max_rows=40000, max_cells=600000)


@pytest.mark.parametrize("table, message", [
    ({"max_rows": 0}, "mục [limits], khóa “max_rows”: phải từ 10 đến 1000000; đang là 0."),
    ({"max_cells": "200000"}, "mục [limits], khóa “max_cells”: cần một số nguyên; đang là '200000'."),
    ({"max_file_mb": 1.5}, "mục [limits], khóa “max_file_mb”: cần một số nguyên; đang là 1.5."),
    ({"max_cell_chars": 40000}, "mục [limits], khóa “max_cell_chars”: phải từ 100 đến 32767; đang là 40000."),
    ({"max_compression_ratio": True}, "mục [limits], khóa “max_compression_ratio”: cần một số nguyên; đang là True."),
    ({"max_cols": 5}, "mục [limits], khóa “max_cols”: khóa không có; các khóa hợp lệ: max_cell_chars, max_cells, "
                      "max_compression_ratio, max_file_mb, max_rows, max_strings, max_styles, max_text_chars, "
                      "max_uncompressed_mb."),
])
def test_bad_values_are_refused_naming_the_file_and_key(table: dict, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"limits": table}, "/srv/baocao/reportgen.toml")
    assert str(err.value) == f"Cấu hình /srv/baocao/reportgen.toml, {message}"
    assert err.value.exit_status is ExitStatus.CONFIG


def test_a_table_that_is_not_a_table_is_refused() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config({"limits": 5}, "reportgen.toml")
    assert str(err.value) == "Cấu hình reportgen.toml, mục [limits]: phải là một bảng [limits]."


def test_the_configured_limits_are_the_ones_the_reader_applies(tmp_path: Path) -> None:
    path = tmp_path / "reportgen.toml"
    path.write_text("[limits]\nmax_rows = 10\n", encoding="utf-8")
    result = read_workbook(EXAMPLE, limits_from_config(load_config(path)))
    # the example's Chỉ tiêu (16 rows) and Nhận định (26 rows) sheets are both over the limit
    assert [issue.code for issue in result.issues] == ["rows.too_many", "rows.too_many"]
    assert "Sheet có hơn 10 dòng dữ liệu" in str(result.issues[0])
