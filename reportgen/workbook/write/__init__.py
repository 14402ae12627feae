"""Writing workbooks: the input template, the figures file, annotated copies, summaries, the register."""
