"""The report's input as plain data, the plan, and the assessment of every indicator."""
