"""The local web page: a second face over reportgen.api (Flask only here), served by waitress."""
