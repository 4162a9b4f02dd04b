"""What a folder walk (``discover._walk``) reads: only regular files; everything else is counted and
said, never opened (opening a FIFO waits forever; a link to /dev/zero never ends).

* FIFOs, devices and sockets (also through a symbolic link) are skipped and listed;
* symbolic links to folders are not followed (no cycles, no leaving the tree) and are listed;
* a folder that cannot be read is an error naming it (its files would be lost silently).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field

from cslint.boundedio import ReadLimitError, file_kind, read_input_file
from cslint.model import InputError
from cslint.readers.base import MAX_WHOLE_FILE_BYTES, Source


@dataclass
class WalkReport:
    """What a walk left out, for the user to see."""

    #: (path, what it is) of entries that are not regular files.
    special: list[tuple[str, str]] = field(default_factory=list)
    #: Symbolic links to folders, not followed.
    linked_folders: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def notes(self) -> Iterator[str]:
        """One line per kind of entry left out, naming the first few."""
        if self.special:
            shown = ", ".join(f"{path} ({kind})" for path, kind in self.special[:3])
            more = f" and {len(self.special) - 3} more" if len(self.special) > 3 else ""
            yield f"skipped {len(self.special)} file(s) that are not regular files: {shown}{more}"
        if self.linked_folders:
            shown = ", ".join(self.linked_folders[:3])
            more = f" and {len(self.linked_folders) - 3} more" if len(self.linked_folders) > 3 else ""
            yield (
                f"did not follow {len(self.linked_folders)} symbolic link(s) to folders: {shown}{more}"
                " (name them on the command line to lint them)"
            )


def regular_or_report(path: str, report: WalkReport) -> bool:
    """Whether the walked file at ``path`` is a regular file (following links) to read."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        report.errors.append(InputError(path, f"cannot read: {exc.strerror or exc}"))
        return False
    if stat.S_ISREG(mode):
        return True
    report.special.append((path, file_kind(mode)))
    return False


def named_input(path: str, errors: list[InputError]) -> Source | None:
    """The source for a file named on the command line. A FIFO or device (``<(zcat x.gz)``) is
    read once, here, up to the size limit: it cannot be opened again to guess its format and
    then read it. None (and an error) if it cannot be read."""
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        regular = True  # reported when read
    if regular:
        return Source(path)
    try:
        return Source(path, read_input_file(path, MAX_WHOLE_FILE_BYTES))
    except (OSError, ReadLimitError) as exc:
        errors.append(InputError(path, f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
        return None
