"""Plain-text writer: the document model as indented text, for tests and debugging.

The dump of the bundled example is kept as a golden file (tests/golden/),
so any change in wording or structure shows up as a readable diff.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.document.model import (
    Addressees,
    Document,
    DocumentTitle,
    Figure,
    Heading,
    ListItem,
    OfficialHeader,
    PageBreak,
    Paragraph,
    RowKind,
    SignatureBlock,
    Table,
)
from reportgen.writers.block_dispatch import BlockDispatcher


class TextWriter(BlockDispatcher):
    name = "text"
    format = "txt"
    suffix = ".txt"

    def write(self, document: Document, path: Path) -> None:
        Path(path).write_text(self.dumps(document), encoding="utf-8")

    def dumps(self, document: Document) -> str:
        lines: list[str] = [f"[dấu chìm mọi trang] {document.watermark}"] if document.watermark else []
        for number, section in enumerate(document.sections, 1):
            numbering = "đánh số từ trang 1" if section.number_first_page else "trang 1 không đánh số"
            lines.append(f"=== phần {number}: {section.orientation.value}, {numbering} ===")
            for block in section.blocks:
                lines.extend(self.render(block))
        return "\n".join(lines) + "\n"

    def block_OfficialHeader(self, block: OfficialHeader) -> list[str]:
        left = ([block.superior] if block.superior else []) + list(block.agency)
        right = [block.national_title, block.motto]
        lines = ["[tiêu đề]"]
        lines += [f"  trái: {text}" for text in left] + ["  trái: ────"]
        lines += [f"  phải: {text}" for text in right] + ["  phải: ────────"]
        lines.append(f"  {block.number}  |  {block.place_date}")
        return lines

    def block_DocumentTitle(self, block: DocumentTitle) -> list[str]:
        return [f"[tên loại] {block.kind}", *[f"[trích yếu] {line}" for line in block.summary], "  ────"]

    def block_Addressees(self, block: Addressees) -> list[str]:
        if len(block.lines) == 1:
            return [f"[kính gửi] {block.label} {block.lines[0]}"]
        return [f"[kính gửi] {block.label}", *[f"[kính gửi]     {line}" for line in block.lines]]

    def block_Heading(self, block: Heading) -> list[str]:
        return [f"{'#' * block.level} {block.text}"]

    def block_Paragraph(self, block: Paragraph) -> list[str]:
        return [f"[{block.role.value}] {block.text}"]

    def block_ListItem(self, block: ListItem) -> list[str]:
        return [f"  - {block.text}"]

    def block_SignatureBlock(self, block: SignatureBlock) -> list[str]:
        lines = ["[ký]", f"  {block.recipients_label}"]
        lines += [f"  {line}" for line in block.recipients]
        lines += [f"  ký: {line}" for line in (*block.authority, block.title)]
        lines.append(f"  ký: (chữ ký, dấu) {block.name}")
        return lines

    def block_Table(self, block: Table) -> list[str]:
        lines = [f"[bảng {len(block.columns)} cột, {len(block.rows)} dòng, {block.header_rows} dòng tiêu đề]"]
        for row in block.rows:
            marker = {RowKind.HEADER: "H", RowKind.NUMBERING: "#", RowKind.GROUP: "G", RowKind.DATA: " "}[row.kind]
            lines.append(f"  {marker}| " + " | ".join(cell.text.replace("\n", " ") for cell in row.cells))
        return lines

    def block_Figure(self, block: Figure) -> list[str]:
        chart = block.chart
        lines = [f"[hình {block.width_mm:g}×{block.height_mm:g} mm, {chart.kind}] {block.caption}"]
        tracks = chart.tracks or (None,) * len(chart.values)
        lines += [
            f"  {label}: {value:g}" + (f" ({chart.track_label or 'nền'}: {track:g})" if track is not None else "")
            for label, value, track in zip(chart.labels, chart.values, tracks)
        ]
        if chart.reference is not None:
            lines.append(f"  ({chart.reference_label}: {chart.reference:g})")
        return lines

    def block_PageBreak(self, block: PageBreak) -> list[str]:
        return ["[ngắt trang]"]
