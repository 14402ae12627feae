"""reportlab's Paragraph, its markup parsed and its lines broken once per process, not once per paragraph.

reportlab's ``Paragraph`` parses its markup (an HTML parser, then fragments of text with their fonts)
and breaks its lines (measuring every word) for every paragraph and every measurement, although the
reports of a batch repeat most of their paragraphs word for word: the headings, the fixed lines of page
1 and the signature, the indicator names that wrap in the appendix tables (of the 3,330 paragraphs of
30 units' reports, 599 differ), and platypus measures a paragraph more than once at the same width (a
table when it sizes its rows and again when it draws them; a group kept together as a whole, then each
member).  :class:`PdfParagraph` does each once:

- The fragments of a text and style parsed before come from a bounded cache; each paragraph gets its own
  copy (layout marks and splits its fragments), through the constructor's ``frags`` argument, which
  reportlab's own split uses.  ~3 ms of the PDF's ~32 ms per report in a batch.
- The lines of a one-run paragraph (one font, no bold or italic runs: ``breakLines``' "kind 0", a list
  of (spare width, words) per line, only read by drawing and splitting) broken at given widths come from
  a bounded cache too, shared by every paragraph of that text and style; lines holding anything but
  plain strings (the soft-hyphen words reportlab may re-class when it splits a paragraph) are never
  shared.  ~4 ms of the PDF's ~27 ms per report in a batch.
- A second measurement at the width of the last one is answered with its size; a split, which may
  give up or replace the lines broken, forgets it.  1.5–2 ms of the PDF's ~37 ms per report.
- The part a split leaves for the next page carries the lines the whole was broken into from the split
  on, for a one-run paragraph of plain words: reportlab breaks the rest again from its first word, so a
  paragraph over p pages was broken p times, about p²/2 pages' worth of words (the list of 1,500
  lagging indicators of a 3,000-indicator report fills nine pages: 0.3 s of its PDF's 2 s).  Greedy
  breaking gives the same lines from the same word at the same width, and the rest has no first-line
  indent (split takes it off), so the lines are those the rest would break into at the width of the
  whole's later lines; at any other width the rest breaks its words itself.

The two caches do little for the first report of a process.  tests/test_pdf_writer.py compares the
bytes with reportlab's own Paragraph's, with the caches cold and warm; tests/test_library_internals.py
fails if reportlab (pinned in pyproject.toml) stops building a paragraph from given fragments as it
builds it from markup, or starts editing one-run lines while drawing or splitting.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph


class PdfParagraph(Paragraph):
    """A Paragraph parsed once per text and style, its lines broken once per text, style and widths, and
    measured once per width (the width it is given decides its lines; the height it may take does not)."""

    _measured: tuple[float, float, float] | None = None
    """(width given, width, height) of the last measurement, while the lines it broke stand."""
    _source: tuple[str, ParagraphStyle] | None = None
    """The markup and style it was parsed from, when its fragments are those of :func:`_parsed`."""
    _carried: tuple[float, object] | None = None
    """(width, lines): for the rest of a split paragraph, its lines when broken at that width (every line)."""

    def __init__(self, text: str | None, style: ParagraphStyle, bulletText=None, frags=None, **options) -> None:  # noqa: ANN001, N803 (platypus API)
        if frags is None and text is not None and bulletText is None and not options:
            self._source = (text, style)
            text, parsed = _parsed(text, style)
            frags = [fragment.clone() for fragment in parsed]
        super().__init__(text, style, bulletText, frags, **options)

    def breakLines(self, width):  # noqa: ANN001, ANN201, N802 (platypus API)
        if self._carried is not None:
            later, lines = self._carried
            if all(each == later for each in (width if isinstance(width, (list, tuple)) else (width,))):
                return lines
        if self._source is not None:
            shared = _one_run_lines(*self._source, tuple(width) if isinstance(width, (list, tuple)) else (width,))
            if shared is not None:
                return shared
        return super().breakLines(width)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (platypus API)
        if self._measured is not None and self._measured[0] == availWidth:
            return self._measured[1], self._measured[2]
        width, height = super().wrap(availWidth, availHeight)
        self._measured = (availWidth, width, height)
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803 (platypus API)
        self._measured = None
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and isinstance(parts[1], PdfParagraph):
            parts[1]._carried = self._rest_lines(len(parts[0].blPara.lines))
        return parts

    def _rest_lines(self, placed: int) -> tuple[float, object] | None:
        """(width, lines) of the rest after the first ``placed`` lines; None unless they may be carried
        (one run of plain words: the lines of several runs, or of soft-hyphen words, change when split)."""
        whole = self.blPara
        if whole.kind != 0:
            return None
        rest = whole.lines[placed:]
        checked = self._carried is not None and whole is self._carried[1]  # lines carried here were checked
        if not checked and any(type(word) is not str for _spare, words in rest for word in words):
            return None
        style = self.style
        return self.width - style.leftIndent - style.rightIndent, whole.clone(lines=rest)


@lru_cache(maxsize=1024)  # a report has ~110 paragraphs; the ones that repeat across reports stay, the rest pass
def _parsed(text: str, style: ParagraphStyle) -> tuple[str, tuple]:
    """The text as reportlab keeps it (whitespace cleaned) and its fragments, never handed to a paragraph."""
    paragraph = Paragraph(text, style)
    if paragraph.style is not style or paragraph.bulletText is not None:  # <para>/<bullet> markup: not ours
        raise ValueError(f"markup sets a paragraph style or bullet: {text[:40]!r}")
    return paragraph.text, tuple(paragraph.frags)


@lru_cache(maxsize=1024)  # as many as _parsed: one or two widths per paragraph text
def _one_run_lines(text: str, style: ParagraphStyle, widths: tuple[float, ...]):  # noqa: ANN202 (reportlab's lines)
    """The lines of the paragraph of ``text`` in ``style`` broken at ``widths``, to share between paragraphs;
    None where they may not be shared: several runs (their lines hold fragments, which splitting edits) or
    a word that is not a plain string."""
    _cleaned, parsed = _parsed(text, style)
    if len(parsed) != 1:  # several runs: lines of kind 1
        return None
    lines = Paragraph(_cleaned, style, frags=[fragment.clone() for fragment in parsed]).breakLines(list(widths))
    if lines.kind != 0 or any(type(word) is not str for _spare, words in lines.lines for word in words):
        return None
    return lines
