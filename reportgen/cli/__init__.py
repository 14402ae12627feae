"""The command line: click and presentation only; every command is one call of reportgen.api."""
