"""The HTML writer of the web page: the report and the picture of a workbook's problems."""
