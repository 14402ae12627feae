"""A workbook within the reader's limits makes its report even when its text is long.

The read-back check of the PDF refuses a page count it finds implausible; the ceiling counted blocks
and table rows only, so staff paragraphs of a few thousand characters (which the reader accepts up to
``max_cell_chars`` each and ``max_text_chars`` in all) made a valid workbook fail as "render failed"
(exit 5).  The ceiling now counts the characters too.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from reportgen.report.generate import GenerateOptions, generate
from reportgen.report.init_folder import init_folder
from reportgen.domain.plan import example_book
from reportgen.workbook.write.input_workbook import write_book
from reportgen.settings.workspace import Workspace

PARAGRAPH = ("Tình hình sản xuất nông nghiệp trên địa bàn ổn định; các hợp tác xã mở rộng diện tích trồng quế, "
             "hồi và chè, giá trị thu hoạch tăng so với cùng kỳ. ")


def test_long_staff_paragraphs_make_a_long_report(tmp_path: Path) -> None:
    root = tmp_path / "office"
    init_folder(root)
    book = example_book()
    long = tuple({"section": "Kinh tế", "text": f"Đoạn {index}. " + PARAGRAPH * 120} for index in range(8))
    path = write_book(replace(book, remarks=book.remarks + long), tmp_path / "2023-06.xlsx")
    built = generate(path, Workspace.open(root), GenerateOptions(out_dir=tmp_path / "out"))
    pages = len(PdfReader(str(built.files["pdf"])).pages)
    assert pages > 4 + 40, pages  # beyond the old ceiling for this document
    text = "".join(page.extract_text() for page in PdfReader(str(built.files["pdf"])).pages[-pages // 2:])
    assert "Đoạn 7." in text
