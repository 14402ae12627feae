"""Charts: PNG bytes at the placed size, reproducible, readable, matplotlib imported only to draw."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest
from PIL import Image

from reportgen import charts
from reportgen.assess import assess
from reportgen.chart_layout import LABEL_COLUMN_MM, layout_chart
from reportgen.chart_text import font_path, text_width_mm
from reportgen.document.charts_data import plan_chart, project_chart
from reportgen.document.model import Chart
from reportgen.writers.theme import STATUS_COLOURS

from conftest import ROOT, example_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LONG_NAME = ("Giá trị sản xuất nông, lâm nghiệp và thủy sản (giá so sánh 2010) trên địa bàn toàn huyện "
             "theo Nghị quyết Đại hội Đảng bộ huyện lần thứ XXI")


@pytest.fixture(scope="module")
def example_charts() -> tuple[Chart, Chart]:
    report = example_report()
    return (plan_chart(assess(report), "% kế hoạch năm", "Thời gian đã qua: 50%"),
            project_chart(report, "% khối lượng hoàn thành"))


def plan(values, statuses=None, labels=None, title="", **extra) -> Chart:
    statuses = statuses or ["Chưa đạt"] * len(values)
    labels = labels or [f"KT{n:02d} Chỉ tiêu số {n}" for n in range(len(values))]
    extra = {"reference": 50.0, "reference_label": "Thời gian đã qua: 50%", "axis_label": "% kế hoạch năm", **extra}
    return Chart("plan", title, tuple(labels), tuple(float(v) for v in values), tuple(statuses), **extra)


def png_chunks(data: bytes) -> list[bytes]:
    chunks, offset = [], len(PNG_SIGNATURE)
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        chunks.append(data[offset + 4:offset + 8])
        offset += 12 + length
    return chunks


# ------------------------------------------------------------- the PNG ----

def test_png_has_the_placed_aspect_at_150_dpi(example_charts):
    for chart in example_charts:
        data = charts.render_chart(chart)
        assert data.startswith(PNG_SIGNATURE)
        width_mm, height_mm = charts.chart_size_mm(chart.kind)
        image = Image.open(io.BytesIO(data))
        assert image.size == (round(width_mm / 25.4 * 150), round(height_mm / 25.4 * 150))
        assert image.mode == "RGB"
        assert abs(image.size[0] / image.size[1] - width_mm / height_mm) < 0.01
        assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)  # stored as pixels per metre


def test_png_carries_no_software_name_and_no_time(example_charts):
    data = charts.render_chart(example_charts[0])
    assert png_chunks(data) == [b"IHDR", b"pHYs", *[b"IDAT"] * (len(png_chunks(data)) - 3), b"IEND"]
    assert b"matplotlib" not in data and b"Software" not in data


def test_sizes_match_where_the_builder_places_the_figures(config):
    from reportgen.document.build import BuildOptions, build_document
    from reportgen.document.model import Figure

    report = example_report()
    document = build_document(report, assess(report), config, BuildOptions(), charts.render_chart)
    figures = [block for block in document.blocks() if isinstance(block, Figure)]
    assert {figure.chart.kind for figure in figures} == {"plan", "projects"}
    for figure in figures:
        assert (figure.width_mm, figure.height_mm) == charts.chart_size_mm(figure.chart.kind)
        assert Image.open(io.BytesIO(figure.image)).size == charts.pixel_size(figure.chart.kind)


# ------------------------------------------------------ reproducibility ----

def test_same_chart_gives_identical_bytes(example_charts):
    for chart in example_charts:
        assert charts.render_chart(chart) == charts.render_chart(chart)


def test_different_data_gives_different_bytes(example_charts):
    plan_chart_, _ = example_charts
    changed = Chart(plan_chart_.kind, plan_chart_.title, plan_chart_.labels,
                    (plan_chart_.values[0] + 1.0, *plan_chart_.values[1:]), plan_chart_.categories,
                    plan_chart_.reference, plan_chart_.reference_label, plan_chart_.axis_label)
    assert charts.render_chart(changed) != charts.render_chart(plan_chart_)


_RENDER_IN_CHILD = """
import hashlib, sys
sys.path[:0] = [{root!r}, {tests!r}]
from conftest import example_report
from reportgen.assess import assess
from reportgen.document.charts_data import plan_chart
from reportgen.charts import render_chart
chart = plan_chart(assess(example_report()), "% kế hoạch năm", "Thời gian đã qua: 50%")
print(hashlib.sha256(render_chart(chart)).hexdigest())
print("matplotlib.pyplot" in sys.modules)
"""


def run_child(code: str, tmp_path: Path, **env: str) -> list[str]:
    environment = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment.update(env)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_bytes_do_not_depend_on_the_process_the_users_matplotlibrc_or_a_gui_backend(example_charts, tmp_path):
    """A headless machine with MPLBACKEND naming a GUI toolkit and a matplotlibrc that changes lines,
    hatches and fonts still gets the same bytes, and pyplot is never imported."""
    config_dir = tmp_path / "mplconfig"
    config_dir.mkdir()
    (config_dir / "matplotlibrc").write_text(
        "lines.linewidth: 5\nhatch.linewidth: 4\nhatch.color: red\nfont.family: serif\n"
        "figure.facecolor: yellow\nsavefig.dpi: 30\n", encoding="utf-8")
    code = _RENDER_IN_CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"))
    digest, pyplot = run_child(code, tmp_path, MPLBACKEND="TkAgg", MPLCONFIGDIR=str(config_dir),
                               PYTHONHASHSEED="12345")
    assert digest == hashlib.sha256(charts.render_chart(example_charts[0])).hexdigest()
    assert pyplot == "False"


def test_importing_the_module_imports_neither_matplotlib_nor_pillow(tmp_path):
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); import reportgen.charts; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'numpy', 'PIL')))")
    assert run_child(code, tmp_path) == ["[]"]


# ------------------------------------------------------------ bad input ----

@pytest.mark.parametrize("chart, message", [
    (Chart("plan", "", (), ()), "no bars"),
    (Chart("projects", "", (), ()), "no bars"),
    (Chart("plan", "", ("a", "b"), (1.0,)), "differ in length"),
    (Chart("plan", "", ("a",), (1.0,), ("Chưa đạt", "Đạt kế hoạch")), "differ in length"),
    (Chart("plan", "", ("a",), (float("nan"),)), "not a finite number"),
    (Chart("pie", "", ("a",), (1.0,)), "unknown chart kind"),
])
def test_a_chart_that_cannot_be_drawn_raises_value_error(chart, message):
    """Empty charts raise: the builder leaves them out of the document instead of placing a blank image."""
    with pytest.raises(ValueError, match=message):
        charts.render_chart(chart)


# ------------------------------------------------------------- legibility ----

def test_every_character_has_a_glyph_in_the_bundled_font(example_charts):
    """No tofu: DejaVu Sans from matplotlib's own files covers every character drawn."""
    import matplotlib
    from matplotlib.ft2font import FT2Font

    assert font_path().is_relative_to(matplotlib.get_data_path())
    texts = [text.text for chart in example_charts for text in charts.compose(chart).texts]
    texts += list(STATUS_COLOURS) + ["…", "-12,5%", "ĂÂĐÊÔƠƯăâđêôơư ạảãàáặẳẵằắậẩẫầấẹẻẽèéệểễềếịỉĩìíọỏõòóợởỡờớộổỗồốụủũùúựửữừứỵỷỹỳý"]
    for bold in (False, True):
        face = FT2Font(str(font_path(bold)))
        missing = {char for text in texts for char in text if face.get_char_index(ord(char)) == 0}
        assert not missing


def _boxes(chart: Chart) -> list[tuple[str, tuple[float, float, float, float]]]:
    height = charts.pixel_size(chart.kind)[1]
    return [(text.text, charts.text_box(text, height)) for text in charts.compose(chart).texts]


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("case", ["example plan", "example projects", "long names", "extremes", "thirty",
                                  "ten projects", "all statuses with a title", "a hundred and twenty"])
def test_texts_stay_inside_the_image_and_never_overlap(case, example_charts):
    chart = _cases(example_charts)[case]
    width, height = charts.pixel_size(chart.kind)
    boxes = _boxes(chart)
    for text, (left, top, right, bottom) in boxes:
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, text
    clashes = [(a[0], b[0]) for a, b in combinations(boxes, 2) if _overlap(a[1], b[1])]
    assert not clashes


def _cases(example_charts) -> dict[str, Chart]:
    statuses = list(STATUS_COLOURS)
    return {
        "example plan": example_charts[0],
        "example projects": example_charts[1],
        "long names": plan([98.5, 12.0, 150.0], labels=[f"KT0{n} {LONG_NAME}" for n in range(3)]),
        "extremes": plan([-480.0, 0.0, 1250.0, 200.0, 199.99, -3.0]),
        "thirty": plan([30 + 5 * n for n in range(30)], [statuses[n % 6] for n in range(30)],
                       [f"KT{n:02d} {LONG_NAME}" for n in range(30)]),
        "ten projects": Chart("projects", "", tuple(f"CT{n:02d} {LONG_NAME}" for n in range(10)),
                              tuple(float(11 * n) for n in range(10)), ("",) * 10, axis_label="% hoàn thành"),
        "all statuses with a title": plan([120, 100, 60, 40, 90, 80], statuses, title="Biểu đồ thực hiện"),
        "a hundred and twenty": plan([float(n) for n in range(120)]),
    }


def test_long_labels_wrap_to_two_lines_and_end_with_an_ellipsis():
    chart = plan([50.0], labels=[f"KT01 {LONG_NAME}"])
    (label,) = layout_chart(chart).labels
    lines = label.split("\n")
    assert len(lines) == 2 and lines[0].startswith("KT01 Giá trị") and lines[1].endswith("…")
    assert all(text_width_mm(line, 9.0, charts.DPI) <= LABEL_COLUMN_MM for line in lines)


def test_too_many_bars_for_any_font_label_every_nth_bar_and_still_draw():
    chart = plan([float(n) for n in range(120)])
    layout = layout_chart(chart)
    assert "" in layout.labels and layout.labels[0]
    values = [text for text in charts.compose(chart).texts
              if text.x > layout.left and layout.bottom < text.y < layout.top]  # right of the labels, by a bar
    assert len(values) == sum(1 for label in layout.labels if label) < 60
    assert charts.render_chart(chart).startswith(PNG_SIGNATURE)


def test_value_labels_use_vietnamese_number_style(example_charts):
    texts = [text.text for text in charts.compose(example_charts[0]).texts]
    assert {"98,5%", "133,4%", "53%", "Thời gian đã qua: 50%", "Chưa đạt"} <= set(texts)
    assert "100%" in texts and "0%" in texts
    assert {"65%", "40%", "55%"} <= {text.text for text in charts.compose(example_charts[1]).texts}


def test_statuses_differ_by_hatch_as_well_as_colour():
    """A grayscale print still tells the statuses apart."""
    assert set(charts.STATUS_HATCHES) == set(STATUS_COLOURS)
    assert len(set(charts.STATUS_HATCHES.values())) == len(charts.STATUS_HATCHES)


def test_a_bar_beyond_the_cap_shows_its_true_value_inside(example_charts):
    texts = charts.compose(plan([1250.0])).texts
    (value,) = [text for text in texts if text.text == "1.250%"]
    assert value.bold and value.colour == "white" and value.ha == "right"


def test_saved_pictures_for_a_look(example_charts, tmp_path):
    """Writes the example's charts where a person can open them (the images were checked by eye)."""
    for chart in example_charts:
        path = tmp_path / f"{chart.kind}.png"
        path.write_bytes(charts.render_chart(chart))
        assert Image.open(path).getextrema() != ((255, 255),) * 3  # not blank
