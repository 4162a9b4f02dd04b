"""Helpers the readers share; not readers themselves (nothing here registers a format):
HTML to text that maps back (``htmltext``), where a JSON value sits in its file (``jsonpos``),
which lines of an e-mail are the sender's own (``mailclean``)."""
