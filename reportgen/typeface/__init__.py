"""Fonts: the files shipped and found on the machine, registered once, and how wide a text is set in them."""
