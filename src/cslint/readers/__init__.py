"""Input formats. Importing this package registers every reader in ``READERS``.

Each module at this level is a reader (it registers a ``Reader``) or a JSON shape (it registers
with ``jsonshapes``); ``base`` and ``discover`` are the framework, and ``_support/`` holds the
helpers readers share. Readers never import the engine.
"""

from cslint.readers import canned, chatlog, csvreader, datasets, helpdesk, mail, native, savedreplies, yamldoc  # noqa: F401  (registration)
from cslint.readers.base import READERS, Reader, ReadOptions, Source
from cslint.readers.discover import collect_inputs, read_source

__all__ = ["READERS", "ReadOptions", "Reader", "Source", "collect_inputs", "read_source"]
