"""Charts: PNG bytes at the placed size drawn by Pillow alone, reproducible, readable, no matplotlib anywhere."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from reportgen.typeface import bundled as bundled_fonts
import chart_raster as charts
from reportgen.domain.assess import assess
from reportgen.charts.compose import REFERENCE_COLOUR, Pen
from reportgen.charts.layout import LABEL_COLUMN_MM, layout_chart
from reportgen.charts.labels import font_path, pil_font, text_width_mm
from reportgen.document.charts_data import ChartWords, chart_size_mm, indicator_charts, project_chart
from reportgen.document.model import Chart
from reportgen.charts.colours import STATUS_COLOURS

from conftest import ROOT, example_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VIETNAMESE_LETTERS = ("ĂÂĐÊÔƠƯăâđêôơư ạảãàáặẳẵằắậẩẫầấẹẻẽèéệểễềếịỉĩìíọỏõòóợởỡờớộổỗồốụủũùúựửữừứ"
                      "ỵỷỹỳý")
LONG_NAME = ("Giá trị sản xuất nông, lâm nghiệp và thủy sản (giá so sánh 2010) trên địa bàn toàn huyện "
             "theo Nghị quyết Đại hội Đảng bộ huyện lần thứ XXI")


WORDS = ChartWords(plan_axis="% kế hoạch năm", elapsed="Thời gian đã qua: 50%",
                   points_axis="Chênh lệch so với mục tiêu năm (điểm phần trăm)", levels_axis=lambda unit: f"Số {unit}",
                   same_period="Cùng kỳ năm trước", growth_label=lambda name: f"{name} (tốc độ tăng)",
                   projects_axis="% khối lượng hoàn thành")


def example_indicator_charts() -> list[Chart]:
    return indicator_charts(assess(example_report()), WORDS)


@pytest.fixture(scope="module")
def example_charts() -> tuple[Chart, ...]:
    """The example's charts: plan, points, levels, projects."""
    report = example_report()
    return (*indicator_charts(assess(report), WORDS), project_chart(report, "% khối lượng hoàn thành"))


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
        width_mm, height_mm = chart_size_mm(chart)
        image = Image.open(io.BytesIO(data))
        assert image.size == (round(width_mm / 25.4 * 150), round(height_mm / 25.4 * 150))
        assert image.mode == "RGB"
        assert abs(image.size[0] / image.size[1] - width_mm / height_mm) < 0.01
        assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)  # stored as pixels per metre


def test_png_carries_no_software_name_and_no_time(example_charts):
    data = charts.render_chart(example_charts[0])
    assert png_chunks(data) == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]
    assert b"Software" not in data and b"tIME" not in data and b"tEXt" not in data


def test_sizes_match_where_the_builder_places_the_figures(config):
    from reportgen.document.build import BuildOptions, build_document
    from reportgen.document.model import Figure

    report = example_report()
    document = build_document(report, assess(report), config, BuildOptions())
    figures = [block for block in document.blocks() if isinstance(block, Figure)]
    assert [figure.chart.kind for figure in figures] == ["plan", "points", "levels", "projects"]
    for figure in figures:
        assert (figure.width_mm, figure.height_mm) == charts.chart_size_mm(figure.chart)
        picture = charts.render_chart(figure.chart)
        assert Image.open(io.BytesIO(picture)).size == charts.pixel_size(figure.chart)


# ------------------------------------------------------ reproducibility ----

def test_same_chart_gives_identical_bytes(example_charts):
    for chart in example_charts:
        assert charts.render_chart(chart) == charts.render_chart(chart)


def test_different_data_gives_different_bytes(example_charts):
    plan_chart_ = example_charts[0]
    changed = dataclasses.replace(plan_chart_, values=(plan_chart_.values[0] + 1.0, *plan_chart_.values[1:]))
    assert charts.render_chart(changed) != charts.render_chart(plan_chart_)


_RENDER_IN_CHILD = """
import hashlib, sys
sys.path[:0] = [{root!r}, {tests!r}]
from conftest import example_report
from reportgen.domain.assess import assess
from reportgen.document.charts_data import ChartWords, indicator_charts
from chart_raster import render_chart
words = ChartWords("% kế hoạch năm", "Thời gian đã qua: 50%", "Chênh lệch so với mục tiêu năm (điểm phần trăm)",
                   lambda unit: f"Số {{unit}}", "Cùng kỳ năm trước", lambda name: f"{{name}} (tốc độ tăng)",
                   "% khối lượng hoàn thành")
chart = indicator_charts(assess(example_report()), words)[0]
print(hashlib.sha256(render_chart(chart)).hexdigest())
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("matplotlib", "numpy"))) or "-")
"""


def run_child(code: str, tmp_path: Path, **env: str) -> list[str]:
    environment = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment.update(env)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_bytes_do_not_depend_on_the_process_and_drawing_imports_no_matplotlib_or_numpy(example_charts, tmp_path):
    """Another interpreter with another hash seed draws the same bytes, with Pillow alone."""
    code = _RENDER_IN_CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"))
    digest, heavy = run_child(code, tmp_path, PYTHONHASHSEED="12345")
    assert digest == hashlib.sha256(charts.render_chart(example_charts[0])).hexdigest()
    assert heavy == "-"


def test_importing_the_module_imports_neither_matplotlib_nor_pillow(tmp_path):
    code = (f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]; import chart_raster; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'numpy', 'PIL')))")
    assert run_child(code, tmp_path) == ["[]"]


_GENERATE_IN_CHILD = """
import atexit, json, sys
sys.path.insert(0, {root!r})
importers = []


class WatchNumpy:
    \"\"\"Notes which module imports numpy (the first frame outside the import machinery).\"\"\"

    def find_spec(self, name, path=None, target=None):
        if name == "numpy":
            frame = sys._getframe(1)
            while frame and frame.f_globals.get("__name__", "").startswith(("importlib", "_frozen_importlib")):
                frame = frame.f_back
            importers.append(frame.f_globals.get("__name__") if frame else "?")
        return None


sys.meta_path.insert(0, WatchNumpy())
atexit.register(lambda: open({report!r}, "w").write(json.dumps({{
    "matplotlib": sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"),
    "numpy_importers": importers}})))
sys.argv = ["reportgen", "-C", {root!r}, "generate", {workbook!r}, "--out", {out!r}]
import runpy
runpy.run_module("reportgen", run_name="__main__")
"""


def test_a_whole_generate_imports_no_matplotlib_and_no_numpy_of_its_own(tmp_path):
    """The report path (charts, Word, PDF) never imports matplotlib or numpy.

    openpyxl probes for numpy when it is installed (to accept numpy numbers
    in cells); that optional import belongs to the workbook reader and is the
    only one tolerated here.
    """
    report, out = tmp_path / "modules.json", tmp_path / "out"
    code = _GENERATE_IN_CHILD.format(root=str(ROOT), report=str(report), out=str(out),
                                     workbook=str(ROOT / "inputs" / "2023-06.xlsx"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=180)
    assert done.returncode == 0, done.stderr
    assert sorted(path.suffix for path in out.iterdir()) == [".docx", ".json", ".pdf", ".xlsx"]
    modules = json.loads(report.read_text(encoding="utf-8"))
    assert modules["matplotlib"] == []
    assert set(modules["numpy_importers"]) <= {"openpyxl.compat.numbers"}


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

def _all_chart_characters(example_charts) -> set[str]:
    texts = [text.text for chart in example_charts for text in charts.compose(chart).texts]
    texts += list(STATUS_COLOURS) + ["…", "-12,5%", VIETNAMESE_LETTERS]
    return set("".join(texts)) - {" "}


def test_the_chart_font_ships_in_the_package_with_its_license():
    for bold in (False, True):
        assert font_path(bold).is_relative_to(ROOT / "reportgen" / "data" / "fonts") and font_path(bold).is_file()
    assert "Bitstream Vera" in bundled_fonts.LICENSE.read_text(encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    import tomllib

    assert tomllib.loads(pyproject)["tool"]["setuptools"]["package-data"]["reportgen.data.fonts"] == ["*.ttf", "LICENSE"]

    project = tomllib.loads(pyproject)["project"]
    needed = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    assert not [name for name in needed if "matplotlib" in name]  # only the bench's alternative draws with it


def test_every_character_has_a_glyph_in_the_bundled_font(example_charts):
    """No tofu: the bundled DejaVu Sans maps every character drawn (checked in its own cmap)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    for bold in (False, True):
        cmap = TTFontFile(str(font_path(bold))).charToGlyph
        assert not {char for char in _all_chart_characters(example_charts) if not cmap.get(ord(char))}


def _glyph_pixels(char: str, bold: bool = False) -> bytes:
    image = Image.new("L", (48, 48), 0)
    ImageDraw.Draw(image).text((8, 8), char, fill=255, font=pil_font(12, charts.DPI, bold))
    return image.tobytes()


def test_vietnamese_letters_are_drawn_as_themselves_not_as_the_missing_glyph_box(example_charts):
    """Each character's pixels differ from those of a character the font lacks (its .notdef box)."""
    for bold in (False, True):
        box = _glyph_pixels("\U0010fffd", bold)
        assert any(box), "the missing-glyph box should have ink"
        assert not [char for char in _all_chart_characters(example_charts) if _glyph_pixels(char, bold) == box]


def test_a_label_has_ink_where_it_is_placed_and_an_empty_area_stays_white(example_charts):
    chart = example_charts[0]
    image = charts.draw_chart(chart).convert("L")
    label = next(text for text in charts.compose(chart).texts if text.text.startswith("Giải quyết việc làm"))
    left, top, right, bottom = (round(v) for v in charts.text_box(label, image.height))
    assert image.crop((left, top, right, bottom)).getextrema()[0] < 80  # dark glyph pixels
    assert image.crop((0, 0, 40, 40)).getextrema() == (255, 255)  # the top-left corner is blank


def test_the_reference_line_is_drawn_where_the_layout_puts_it(example_charts):
    """The dashed line at the elapsed share sits on its pixel column, dark and crisp (no two-pixel blur)."""
    chart = example_charts[0]
    layout = layout_chart(chart)
    image = charts.draw_chart(chart)
    column = int(layout.x(chart.reference) * charts.PX_PER_MM)
    y = image.height - round(layout.bottom * charts.PX_PER_MM) - 3  # just above the axis: the first dash
    reference = tuple(int(REFERENCE_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
    row = [image.getpixel((x, y)) for x in range(column - 3, column + 4)]
    assert row.count(reference) >= 2  # 1.2 pt at 150 dpi: two whole pixels …
    assert row[0] == row[-1] == (255, 255, 255)  # … and white a few pixels either side


def test_hatch_of_a_bar_stays_inside_the_bar(example_charts):
    """The white hatching is cut to the bar: the pixels right after a hatched bar's end are not painted."""
    chart = plan([98.5], ["Chưa đạt"], reference=None, reference_label="")
    layout = layout_chart(chart)
    image = charts.draw_chart(chart)
    end = round(layout.x(98.5) * charts.PX_PER_MM)
    middle = image.height - round(layout.y(0) * charts.PX_PER_MM)
    colour = tuple(int(STATUS_COLOURS["Chưa đạt"][i:i + 2], 16) for i in (1, 3, 5))
    inside = [image.getpixel((x, middle)) for x in range(end - 40, end)]
    assert colour in inside and max(min(pixel) for pixel in inside) > 200  # bar colour and white hatching
    assert image.getpixel((end, middle)) == (255, 255, 255)  # the first pixel past the end: plain background


def test_chart_lines_are_horizontal_or_vertical():
    with pytest.raises(ValueError, match="horizontal or vertical"):
        Pen(10, 10).line((0, 1), (0, 1), "#000000")


def _boxes(chart: Chart) -> list[tuple[str, tuple[float, float, float, float]]]:
    height = charts.pixel_size(chart)[1]
    return [(text.text, charts.text_box(text, height)) for text in charts.compose(chart).texts]


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("case", ["example plan", "example points", "example levels", "example projects", "long names",
                                  "extremes", "thirty", "ten projects", "all statuses with a title",
                                  "a hundred and twenty", "points beyond the cap", "large counts"])
def test_texts_stay_inside_the_image_and_never_overlap(case, example_charts):
    chart = _cases(example_charts)[case]
    width, height = charts.pixel_size(chart)
    boxes = _boxes(chart)
    for text, (left, top, right, bottom) in boxes:
        assert left >= 0 and top >= 0 and right <= width and bottom <= height, text
    clashes = [(a[0], b[0]) for a, b in combinations(boxes, 2) if _overlap(a[1], b[1])]
    assert not clashes


def _cases(example_charts) -> dict[str, Chart]:
    statuses = list(STATUS_COLOURS)
    return {
        "example plan": example_charts[0],
        "example points": example_charts[1],
        "example levels": example_charts[2],
        "example projects": example_charts[-1],
        "long names": plan([98.5, 12.0, 150.0], labels=[f"KT0{n} {LONG_NAME}" for n in range(3)]),
        "extremes": plan([-480.0, 0.0, 1250.0, 200.0, 199.99, -3.0]),
        "thirty": plan([30 + 5 * n for n in range(30)], [statuses[n % 6] for n in range(30)],
                       [f"KT{n:02d} {LONG_NAME}" for n in range(30)]),
        "ten projects": Chart("projects", "", tuple(f"CT{n:02d} {LONG_NAME}" for n in range(10)),
                              tuple(float(11 * n) for n in range(10)), ("",) * 10, axis_label="% hoàn thành"),
        "all statuses with a title": plan([120, 100, 60, 40, 90, 80], statuses, title="Biểu đồ thực hiện"),
        "a hundred and twenty": plan([float(n) for n in range(120)]),
        "points beyond the cap": Chart("points", "", tuple(f"{LONG_NAME} {n}" for n in range(5)),
                                       (-75.0, 60.0, 0.01, -0.01, 49.99), tuple(statuses[:5]),
                                       axis_label="Chênh lệch so với mục tiêu năm (điểm phần trăm)"),
        "large counts": Chart("levels", "", ("Số hộ nghèo", "Số hộ tái nghèo", "Số vụ cháy rừng"),
                              (12345.0, 0.0, 35.5), ("Chưa đạt", "Đạt kế hoạch", "Không đạt"),
                              axis_label="Số hộ", tracks=(15000.0, 3.0, 0.0), track_label="Cùng kỳ năm trước"),
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
    assert {"45,5%", "53,0%", "64,7%", "84,6%", "Thời gian đã qua: 50%", "Chậm tiến độ", "Đúng tiến độ"} <= set(texts)
    points = [text.text for text in charts.compose(example_charts[1]).texts]
    assert {"-0,19", "+3,34", "-3,57", "+2,04", "-0,50", "-0,80", "+2", "-2"} <= set(points)
    assert "100%" in texts and "0%" in texts
    assert {"65%", "40%", "55%"} <= {text.text for text in charts.compose(example_charts[-1]).texts}


def test_statuses_differ_by_hatch_as_well_as_colour():
    """A grayscale print still tells the statuses apart."""
    from reportgen.charts.hatch import ROWS_PER_INCH, SOLID

    assert set(charts.STATUS_HATCHES.values()) <= {SOLID, *ROWS_PER_INCH}
    assert set(charts.STATUS_HATCHES) == set(STATUS_COLOURS)
    assert len(set(charts.STATUS_HATCHES.values())) == len(charts.STATUS_HATCHES)


def test_a_bar_beyond_the_cap_shows_its_true_value_inside(example_charts):
    texts = charts.compose(plan([1250.0])).texts
    (value,) = [text for text in texts if text.text == "1.250,0%"]
    assert value.bold and value.colour == "white" and value.ha == "right"


def test_saved_pictures_for_a_look(example_charts, tmp_path):
    """Writes the example's charts where a person can open them (the images were checked by eye)."""
    for chart in example_charts:
        path = tmp_path / f"{chart.kind}.png"
        path.write_bytes(charts.render_chart(chart))
        assert Image.open(path).getextrema() != ((255, 255),) * 3  # not blank


# ------------------------------------------------------------- hatching ----

@pytest.mark.parametrize("hatch", ["dots", "horizontal", "diagonal", "diagonal-back", "cross"])
def test_hatch_marks_lie_inside_their_box(hatch):
    from reportgen.charts.hatch import hatch_marks

    box = (13.0, 4.0, 97.0, 10.5)
    marks = hatch_marks(hatch, box, per_inch=25.4)  # mm
    assert marks.lines or marks.dots
    tolerance = 1e-9
    for x0, y0, x1, y1 in marks.lines:
        for x, y in ((x0, y0), (x1, y1)):
            assert box[0] - tolerance <= x <= box[2] + tolerance and box[1] - tolerance <= y <= box[3] + tolerance
    for x, y in marks.dots:
        assert box[0] <= x - marks.dot_radius and x + marks.dot_radius <= box[2]
        assert box[1] <= y - marks.dot_radius and y + marks.dot_radius <= box[3]


def test_hatch_densities_are_those_matplotlib_drew():
    """Rules and dot rows 1/12 inch apart; diagonals 1/9 inch apart along a row; lines 0.7 pt."""
    from reportgen.charts.hatch import hatch_marks

    rules = sorted(y for _, y, _, _ in hatch_marks("horizontal", (0, 0, 100, 30), 120).lines)
    assert [b - a for a, b in zip(rules, rules[1:])] == pytest.approx([10.0] * (len(rules) - 1))
    assert rules[0] - 0 == pytest.approx(30 - rules[-1])  # centred on the box
    starts = sorted(x for x, y, _, _ in hatch_marks("diagonal", (0, 0, 100, 30), 90).lines if y == 0)
    assert [b - a for a, b in zip(starts, starts[1:])] == pytest.approx([10.0] * (len(starts) - 1))
    assert hatch_marks("cross", (0, 0, 10, 10), 72).line_width == pytest.approx(0.7)


def test_diagonals_run_on_from_one_box_into_the_next():
    """The pattern is anchored at the chart's origin: neighbouring bars' hatching lines up."""
    from reportgen.charts.hatch import hatch_marks

    def crossings(marks) -> list[float]:
        ends = [end for segment in marks.lines for end in (segment[:2], segment[2:])]
        return sorted(round(y, 9) for x, y in ends if abs(x - 10.3) < 1e-9 and 0 < y < 5)

    left = hatch_marks("diagonal-back", (0, 0, 10.3, 5), 45)
    right = hatch_marks("diagonal-back", (10.3, 0, 20, 5), 45)
    assert crossings(left) and crossings(left) == crossings(right)


def test_a_thin_bar_still_shows_its_pattern():
    from reportgen.charts.hatch import hatch_marks

    assert len(hatch_marks("horizontal", (0, 0, 50, 1.0), 25.4).lines) == 1
    assert hatch_marks("dots", (0, 0, 50, 1.0), 25.4).dots
    assert not hatch_marks("", (0, 0, 50, 10), 25.4).lines
    with pytest.raises(ValueError, match="unknown hatch"):
        hatch_marks("zigzag", (0, 0, 1, 1), 25.4)


# ------------------------------------------------------------ PNG encoder ----

def test_png_encoder_round_trips_the_pixels_with_only_the_density_as_metadata():
    from pngfile import encode_rgb

    pixels = bytes((x * 7 + y * 13 + c * 50) % 256 for y in range(9) for x in range(11) for c in range(3))
    data = encode_rgb(pixels, 11, 9, 150)
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGB" and image.size == (11, 9) and image.tobytes() == pixels
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)
    assert png_chunks(data) == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]
    assert encode_rgb(pixels, 11, 9, 150) == data
    with pytest.raises(ValueError, match="not 10×9 RGB"):
        encode_rgb(pixels, 10, 9, 150)
