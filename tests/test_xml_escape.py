"""The writers' XML escaping: the same text as xml.sax.saxutils, without importing it (and urllib with it)."""

from __future__ import annotations

import subprocess
import sys
from xml.sax import saxutils

from hypothesis import given, settings, strategies as st

from reportgen.writers.xml_escape import escape, quoteattr

TRICKY = st.text(alphabet=st.sampled_from(list("a &<>\"'\n\r\tễ𝔸")), max_size=24)


@settings(max_examples=500, deadline=None)
@given(TRICKY)
def test_same_text_as_saxutils(text):
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)


def test_both_quotes_in_an_attribute():
    assert quoteattr('Ban "A" & \'B\'') == '"Ban &quot;A&quot; &amp; \'B\'"'


def test_the_writers_do_not_import_the_network_modules():
    # xml.sax.saxutils imports urllib.request, http.client, ssl and email: 25 ms of every report's start.
    code = ("import sys, reportgen.writers.docx.writer, reportgen.writers.pdf.writer; "
            "print(sorted(m for m in ('urllib.request', 'http.client', 'xml.sax.saxutils') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
