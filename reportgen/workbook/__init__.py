"""The Excel workbooks: the input sheets' schema, reading them cell by cell (openpyxl), and writing templates, copies and figures."""
