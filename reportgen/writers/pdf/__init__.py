"""The PDF writer (reportlab is imported only here and in the read-back)."""
