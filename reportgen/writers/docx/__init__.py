"""The Word writer (python-docx is imported only here)."""
