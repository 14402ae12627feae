"""Reading a workbook: every cell checked, every problem on its cell."""
