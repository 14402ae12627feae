"""The daily job over every unit of a working folder, and sending by hand."""
