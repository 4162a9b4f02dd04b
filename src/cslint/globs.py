"""Glob patterns for config ``exclude`` and ``per_path``, in the style of .gitignore.

* ``*`` matches within one path segment, ``?`` one character, ``[abc]`` a set;
* ``**`` matches any number of segments (``legacy/**``, ``**/drafts/*.md``);
* a pattern without ``/`` matches the file name at any depth (``*.txt``, ``drafts``);
* a pattern that names a folder matches everything below it (``legacy`` = ``legacy/**``).

Paths are matched relative to the folder of the config file, with ``/`` separators.

Globs come from config files, which may come from anyone's repository: they compile to RE2,
which matches in linear time, because a backtracking engine takes hours on a pattern such as
``*a*a*a*a*a*a*a*a*b`` against a long file name that does not match.
"""

from __future__ import annotations

import functools

import re2

from cslint.textsafety import replace_surrogates


class GlobError(ValueError):
    """A glob that cannot be compiled (e.g. ``[z-a]``)."""


def _options():
    options = re2.Options()
    options.dot_nl = True
    options.log_errors = False
    return options


@functools.lru_cache(maxsize=512)
def compile_glob(pattern: str):
    """The RE2 program for ``pattern``; GlobError if it cannot be compiled."""
    pat = pattern.strip().replace("\\", "/")
    anchored = "/" in pat.rstrip("/")
    pat = pat.strip("/")
    if pat.startswith("./"):
        pat = pat[2:]
    out = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pat.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            close = pat.find("]", i + 2)
            if close == -1:
                out.append(re2.escape(c))
                i += 1
            else:
                body = pat[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = close + 1
        else:
            out.append(re2.escape(c))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    # A match on a folder covers everything inside it.
    try:
        return re2.compile(f"{prefix}{body}(?:/.*)?", _options())
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise GlobError(str(detail)) from None


def glob_matches(pattern: str, relative_path: str) -> bool:
    """Whether ``relative_path`` (``/``-separated, relative to the config folder) matches."""
    path = relative_path.replace("\\", "/").lstrip("/")
    if path.startswith("./"):
        path = path[2:]
    # A file name that is not valid UTF-8 reaches us with surrogate escapes, which RE2 (UTF-8
    # only) cannot take; as U+FFFD it still matches ``*`` and ``?``.
    return compile_glob(replace_surrogates(pattern)).fullmatch(replace_surrogates(path)) is not None


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, or None."""
    if not pattern.strip():
        return "empty glob pattern"
    try:
        compile_glob(replace_surrogates(pattern))
    except GlobError as exc:
        return f"invalid glob pattern {pattern!r}: {exc}"
    return None
