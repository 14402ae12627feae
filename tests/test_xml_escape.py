"""The writers' XML escaping (html.escape): text as saxutils escapes it, attributes read back as they were."""

from __future__ import annotations

import subprocess
import sys
from xml.parsers import expat
from xml.sax import saxutils

from hypothesis import given, settings, strategies as st

from reportgen.writers.xml_escape import escape, quoteattr

TRICKY = st.text(alphabet=st.sampled_from(list("a &<>\"'\n\r\tễ𝔸")), max_size=24)


def _parsed(element: str) -> tuple[str, dict]:
    found = {}
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda name, attributes: found.setdefault("attributes", attributes)
    parser.CharacterDataHandler = lambda data: found.__setitem__("text", found.get("text", "") + data)
    parser.Parse(element, True)
    return found.get("text", ""), found["attributes"]


@settings(max_examples=500, deadline=None)
@given(TRICKY)
def test_text_and_attributes_read_back_as_written(text):
    assert escape(text) == saxutils.escape(text)
    parsed_text, attributes = _parsed(f"<a v={quoteattr(text)}>{escape(text)}</a>")
    assert attributes == {"v": text}
    assert parsed_text == text.replace("\r\n", "\n").replace("\r", "\n")  # XML's own line-end rule for text


def test_both_quotes_in_an_attribute():
    assert quoteattr('Ban "A" & \'B\'') == '"Ban &quot;A&quot; &amp; &#x27;B&#x27;"'


def test_the_writers_do_not_import_the_network_modules():
    # xml.sax.saxutils imports urllib.request, http.client, ssl and email: 15–30 ms of every report's start.
    code = ("import sys, reportgen.writers.docx.word_writer, reportgen.writers.pdf.pdf_writer; "
            "print(sorted(m for m in ('urllib.request', 'http.client', 'xml.sax.saxutils') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
