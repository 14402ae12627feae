"""The narrative's context of a large workbook is built in time proportional to its indicators.

A workbook of 3,000 indicators (bench/workbooks.py grow) spent most of its document model in
``sentences``, which asked whether each indicator was among the zero-target ones by comparing whole views:
quadratic in the number of indicators.  It goes by code now, as it already did for the indicators used.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import ROOT, example_report
from reportgen.domain.assess import assess
from reportgen.domain.headline import assessment_options
from reportgen.narrative import views
from reportgen.narrative.context import build_context, sentences
from reportgen.settings.config import load_config


def _grown(copies: int):
    """The example's indicators ``copies`` times over, each copy with codes of its own."""
    report = example_report()
    indicators = tuple(
        replace(ind, code=f"{ind.code}-{copy}", row=ind.row + copy * 100)
        for copy in range(copies)
        for ind in report.indicators
    )
    return replace(report, indicators=indicators)


def test_sentences_never_compare_whole_indicator_views(monkeypatch):
    config = load_config(ROOT / "reportgen.toml")
    report = _grown(20)
    result = assess(report, assessment_options(config))
    expected = build_context(report, result, config)["muc"]

    def compared(self, other):
        raise AssertionError("an indicator's view compared as a whole")

    with monkeypatch.context() as patched:
        patched.setattr(views.ChiTieu, "__eq__", compared)
        built = build_context(report, result, config)["muc"]
    assert built == expected


def test_zero_target_indicators_still_make_one_sentence():
    config = load_config(ROOT / "reportgen.toml")
    report = _grown(3)
    result = assess(report, assessment_options(config))
    items = [views.indicator_view(a, config.report.point_wording) for a in result.items]
    zero = [i for i in items if i.kieu_ke_hoach == "khong" and i.ma_trang_thai != "chua_co_so_lieu"]
    if len(zero) < 2:
        pytest.fail("the example has fewer than two zero-target indicators with figures")
    made = sentences(items)
    joined = [c for c in made if c.loai == "khong_phat_sinh"]
    assert len(joined) == 1 and [m.ma for m in joined[0].cac_ct] == [m.ma for m in zero]
    assert sorted(m.ma for c in made for m in c.cac_ct) == sorted(i.ma for i in items)
