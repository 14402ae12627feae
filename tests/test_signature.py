"""The signature block's authority lines follow the signer's title (Decree 30, Phụ lục I §II.7.b; issue 12 item 16).

Wherever the title comes from — reportgen.toml [signer], a unit's signer_* keys, or the workbook's Thông tin
sheet — the lines above it are derived from it, and configured lines that disagree are replaced with a
warning that names the key to correct.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from conftest import ROOT, example_report
from reportgen.domain.assess import assess
from reportgen.settings.config import Config, load_config, parse_config
from reportgen.settings.sections import SignerConfig, UnitConfig
from reportgen.document.build import BuildOptions, build_document
from reportgen.document.model import SignatureBlock
from reportgen.document.signature import derive, signing

UBND = ("ỦY BAN NHÂN DÂN", "HUYỆN BÌNH LIÊU")
PHONG = ("PHÒNG TÀI CHÍNH - KẾ HOẠCH",)


@pytest.mark.parametrize("title, configured, agency, lines, printed_title", [
    # A People's Committee is a collective body: whoever signs, signs on its behalf (TM.).
    ("CHỦ TỊCH", (), UBND, ("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH"),
    ("PHÓ CHỦ TỊCH", (), UBND, ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), "PHÓ CHỦ TỊCH"),
    ("PHÓ CHỦ TỊCH THƯỜNG TRỰC", (), UBND, ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), "PHÓ CHỦ TỊCH THƯỜNG TRỰC"),
    ("QUYỀN CHỦ TỊCH", (), UBND, ("TM. ỦY BAN NHÂN DÂN",), "Q. CHỦ TỊCH"),
    # The issue's case: the chairman's lines configured, a deputy signing.
    ("PHÓ CHỦ TỊCH", ("TM. ỦY BAN NHÂN DÂN",), UBND, ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), "PHÓ CHỦ TỊCH"),
    # The deputy's lines configured, the chairman signing: no KT. line above the head himself.
    ("CHỦ TỊCH", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), UBND, ("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH"),
    # The title repeated as an authority line is dropped.
    ("CHỦ TỊCH", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), UBND, ("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH"),
    # A configured TM. line names the body as the office writes it.
    ("PHÓ CHỦ TỊCH", ("TM. UBND XÃ HOÀNH MÔ",), UBND, ("TM. UBND XÃ HOÀNH MÔ", "KT. CHỦ TỊCH"), "PHÓ CHỦ TỊCH"),
    # A single-head office: a deputy signs KT. without TM.; the head signs his title alone.
    ("PHÓ TRƯỞNG PHÒNG", (), PHONG, ("KT. TRƯỞNG PHÒNG",), "PHÓ TRƯỞNG PHÒNG"),
    ("TRƯỞNG PHÒNG", (), PHONG, (), "TRƯỞNG PHÒNG"),
    ("PHÓ GIÁM ĐỐC SỞ", (), ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ",), ("KT. GIÁM ĐỐC",), "PHÓ GIÁM ĐỐC SỞ"),
    # Signing by order cannot be told from a title: the configured TL. line stays.
    ("CHÁNH VĂN PHÒNG", ("TL. CHỦ TỊCH",), UBND, ("TL. CHỦ TỊCH",), "CHÁNH VĂN PHÒNG"),
    ("PHÓ CHÁNH VĂN PHÒNG", ("TL. CHỦ TỊCH",), UBND, ("TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"),
     "PHÓ CHÁNH VĂN PHÒNG"),
])
def test_authority_lines_follow_the_title(title, configured, agency, lines, printed_title):
    assert derive(title, configured, agency) == (lines, printed_title)


def _config(authority=(), title="PHÓ CHỦ TỊCH", agency=UBND) -> Config:
    return Config(unit=UnitConfig(agency=agency, name="Ủy ban nhân dân huyện Bình Liêu", place="Bình Liêu"),
                  signer=SignerConfig(authority=tuple(authority), title=title, name="Nguyễn Văn A"))


def test_a_deputy_named_in_the_workbook_under_the_chairmans_lines_gets_kt_and_a_warning():
    """Issue 12 item 16: the workbook says "Phó Chủ tịch", reportgen.toml holds the chairman's lines."""
    report = example_report()
    info = dataclasses.replace(report.info, signer="Lê Văn C", signer_title="Phó Chủ tịch")
    result = signing(info, _config(["TM. ỦY BAN NHÂN DÂN"], title="CHỦ TỊCH"))
    assert (result.authority, result.title, result.name) == (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
                                                             "PHÓ CHỦ TỊCH", "Lê Văn C")
    [issue] = result.issues
    assert not issue.is_error and issue.sheet == "Thông tin"
    assert str(issue) == (
        'Sheet "Thông tin": Chức vụ người ký “PHÓ CHỦ TỊCH” (dòng “Chức vụ người ký”) không hợp với thẩm quyền ký '
        '“TM. ỦY BAN NHÂN DÂN” ([signer] authority trong reportgen.toml) theo Nghị định 30/2020 (Phụ lục I, mục '
        'II.7.b: TM., KT., Q., TL., TUQ.); báo cáo ghi: TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH. '
        'Cách sửa: Sửa [signer] authority thành ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], hoặc xóa khóa này để '
        'chương trình tự ghi theo chức vụ người ký.')


def test_the_signature_block_of_the_document_carries_the_derived_lines():
    report = example_report()
    report = dataclasses.replace(report, info=dataclasses.replace(report.info, signer_title="Phó Chủ tịch"))
    config = dataclasses.replace(load_config(ROOT / "reportgen.toml"),
                                 signer=SignerConfig(("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH", "Nguyễn Văn A"))
    document = build_document(report, assess(report), config, BuildOptions(charts=False))
    [block] = [b for b in document.blocks() if isinstance(b, SignatureBlock)]
    assert block.lines == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A")


def test_lines_that_agree_with_the_title_give_no_warning():
    assert signing(example_report().info, _config(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"])).issues == ()
    assert signing(example_report().info, _config(["TM.ỦY BAN NHÂN DÂN", "KT.  CHỦ TỊCH"])).issues == ()
    acting = signing(example_report().info, _config(["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"], title="CHỦ TỊCH"))
    assert (acting.authority, acting.title, acting.issues) == (("TM. ỦY BAN NHÂN DÂN",), "Q. CHỦ TỊCH", ())


def test_no_configured_lines_means_derived_lines_without_a_warning():
    result = signing(example_report().info, _config([]))
    assert (result.authority, result.issues) == (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), ())


def test_a_warning_from_reportgen_toml_alone_names_both_keys():
    [issue] = signing(example_report().info, _config(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], title="CHỦ TỊCH")).issues
    assert issue.sheet is None
    assert str(issue).startswith("Tệp: reportgen.toml, [signer] authority “TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH” "
                                 "không hợp với chức vụ người ký “CHỦ TỊCH” ([signer] title)")


UNITS_TOML = """
[unit]
agency = ["ỦY BAN NHÂN DÂN", "HUYỆN BÌNH LIÊU"]
name = "Ủy ban nhân dân huyện Bình Liêu"
place = "Bình Liêu"
[signer]
authority = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
title = "PHÓ CHỦ TỊCH"
name = "Nguyễn Văn A"
[units.hoanh-mo]
agency = ["ỦY BAN NHÂN DÂN", "XÃ HOÀNH MÔ"]
name = "Ủy ban nhân dân xã Hoành Mô"
signer_title = "CHỦ TỊCH"
signer_name = "Hoàng Văn B"
[units.dong-van]
agency = ["ỦY BAN NHÂN DÂN", "XÃ ĐỒNG VĂN"]
name = "Ủy ban nhân dân xã Đồng Văn"
signer_title = "CHỦ TỊCH"
signer_authority = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
"""


def test_a_unit_with_its_own_signer_does_not_inherit_the_shared_signers_lines():
    import tomllib

    config = parse_config(tomllib.loads(UNITS_TOML))
    info = example_report().info
    commune = signing(info, config.for_unit("hoanh-mo"))
    assert (commune.authority, commune.title, commune.name, commune.issues) == (
        ("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH", "Hoàng Văn B", ())
    [issue] = signing(info, config.for_unit("dong-van")).issues  # its own lines, wrong for its chairman
    assert "[units.dong-van] signer_authority “TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH”" in str(issue)
    assert "([units.dong-van] signer_title)" in str(issue)


def test_the_internal_key_names_are_not_keys_of_the_file():
    import tomllib

    from reportgen.core.errors import ConfigError

    with pytest.raises(ConfigError, match="title_key"):
        parse_config(tomllib.loads('[signer]\ntitle_key = "x"\n'))


def test_check_and_generate_show_the_warning(tmp_path):
    """The office sees it before signing: “reportgen check” lists it, “reportgen generate” prints it."""
    folder = tmp_path / "w"
    made = subprocess.run([sys.executable, "-m", "reportgen", "init", str(folder)], capture_output=True, text=True,
                          timeout=180)
    assert made.returncode == 0, made.stderr
    run = lambda *args: subprocess.run([sys.executable, "-m", "reportgen", "-C", str(folder), *args],  # noqa: E731
                                       capture_output=True, text=True, timeout=180)
    config = folder / "reportgen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'authority = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]', 'authority = ["TM. ỦY BAN NHÂN DÂN"]'), encoding="utf-8")
    checked = run("check", "inputs/2023-06.xlsx")
    assert checked.returncode == 0, checked.stderr
    assert "Cảnh báo (1):" in checked.stdout and "KT. CHỦ TỊCH" in checked.stdout
    generated = run("generate", "inputs/2023-06.xlsx", "--format", "pdf", "--out", str(tmp_path / "out"))
    assert generated.returncode == 0, generated.stderr
    assert "[signer] authority “TM. ỦY BAN NHÂN DÂN”" in generated.stdout
