"""Input formats. Importing this package registers every reader in ``READERS``."""

from cslint.readers import canned, chatlog, csvreader, datasets, helpdesk, mail, native, savedreplies, yamldoc  # noqa: F401  (registration)
from cslint.readers.base import READERS, Reader, ReadOptions, Source
from cslint.readers.discover import collect_inputs, read_source

__all__ = ["READERS", "ReadOptions", "Reader", "Source", "collect_inputs", "read_source"]
