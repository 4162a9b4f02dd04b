"""Glob patterns for config ``exclude`` and ``per_path``, with ``.gitignore`` semantics
(pathspec's implementation of git's wildmatch rules):

* ``*`` matches within one path segment, ``?`` one character, ``[abc]`` a set;
* ``**`` matches any number of segments (``legacy/**``, ``**/drafts/*.md``);
* a pattern without ``/`` (other than a trailing one) matches the name at any depth
  (``*.txt``, ``drafts``); one with a ``/`` is anchored at the config file's folder;
* a pattern that names a folder matches everything below it (``legacy`` = ``legacy/**``).

Paths are matched relative to the folder of the config file, with ``/`` separators.

Globs come from config files, which may come from anyone's repository: pathspec runs them on
its RE2 backend, which matches in linear time, because a backtracking engine takes hours on a
pattern such as ``*a*a*a*a*a*a*a*a*b`` against a long file name that does not match.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from cslint.textsafety import replace_surrogates

if TYPE_CHECKING:
    import pathspec

#: pathspec's backend: RE2 (google-re2, a dependency of cslint): linear-time matching.
BACKEND = "re2"


class GlobError(ValueError):
    """A glob that cannot be compiled (e.g. ``[z-a]``)."""


def _normalise(pattern: str) -> str:
    pat = replace_surrogates(pattern).strip().replace("\\", "/")
    return pat[2:] if pat.startswith("./") else pat


@functools.lru_cache(maxsize=512)
def compile_glob(pattern: str) -> pathspec.PathSpec:
    """The matcher for ``pattern``; GlobError if it cannot be compiled."""
    import pathspec  # here: only configs with globs need it

    try:
        return pathspec.PathSpec.from_lines("gitignore", [_normalise(pattern)], backend=BACKEND)
    except (re.error, ValueError, TypeError) as exc:
        raise GlobError(str(exc)) from None


def glob_matches(pattern: str, relative_path: str) -> bool:
    """Whether ``relative_path`` (``/``-separated, relative to the config folder) matches."""
    path = relative_path.replace("\\", "/").lstrip("/")
    if path.startswith("./"):
        path = path[2:]
    # A file name that is not valid UTF-8 reaches us with surrogate escapes, which RE2 (UTF-8
    # only) cannot take; as U+FFFD it still matches ``*`` and ``?``.
    return compile_glob(pattern).match_file(replace_surrogates(path))


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, or None."""
    if not pattern.strip():
        return "empty glob pattern"
    if _normalise(pattern).startswith(("#", "!")):
        # A comment or a negation in .gitignore; in a list of globs it would silently do nothing.
        return f"invalid glob pattern {pattern!r}: a glob cannot start with '#' or '!'"
    try:
        compile_glob(pattern)
    except GlobError as exc:
        return f"invalid glob pattern {pattern!r}: {exc}"
    return None
