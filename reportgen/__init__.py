"""reportgen: a month's workbook of indicators → the official progress report.

The command line (``reportgen``) is a thin layer over :mod:`reportgen.api`;
everything it does can be called from Python.
"""

__version__ = "0.1.0"
