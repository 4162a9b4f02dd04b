"""The notes that say which files and folders a run did not read, and why.

Nothing is left out silently: every skipped entry is counted in the summary line, and these
notes (on standard error, for people) say which ones and how to lint them after all.
"""

from __future__ import annotations

from cslint.readers.discover import Inputs

#: Paths named in a note; the rest are counted.
SHOWN_PATHS = 3


def _some(paths: list[str]) -> str:
    shown = ", ".join(paths[:SHOWN_PATHS])
    return shown + (f" and {len(paths) - SHOWN_PATHS} more" if len(paths) > SHOWN_PATHS else "")


def skip_notes(inputs: Inputs, excluded: int, not_english: int = 0) -> list[str]:
    notes = []
    if not_english:
        notes.append(
            f"{not_english} turn(s) skipped: not English (the rules are English phrase lists;"
            " --language en lints them anyway)"
        )
    if inputs.skipped_hidden:
        notes.append(
            f"skipped {inputs.skipped_hidden} hidden file(s) or folder(s): {_some(inputs.hidden_paths)}"
            " (name one on the command line to lint it)"
        )
    if inputs.skipped_gitignored:
        notes.append(
            f"skipped {inputs.skipped_gitignored} file(s) or folder(s) ignored by .gitignore (--no-respect-gitignore lints them)"
        )
    if inputs.skipped_unknown:
        notes.append(f"skipped {inputs.skipped_unknown} file(s) with an unsupported ending")
    if excluded:
        notes.append(f"{excluded} file(s) left out by the config's exclude patterns")
    reports = [f"{path} ({kind})" for path, kind in inputs.own_files if kind != "config"]
    if reports:
        notes.append(f"not linted, cslint's own file(s): {_some(reports)}")
    return notes
