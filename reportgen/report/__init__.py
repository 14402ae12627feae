"""One workbook's use cases: check, generate, new, init, summary."""
