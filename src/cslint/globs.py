"""Glob patterns for config ``exclude`` and ``per_path``, in the style of .gitignore.

* ``*`` matches within one path segment, ``?`` one character, ``[abc]`` a set;
* ``**`` matches any number of segments (``legacy/**``, ``**/drafts/*.md``);
* a pattern without ``/`` matches the file name at any depth (``*.txt``, ``drafts``);
* a pattern that names a folder matches everything below it (``legacy`` = ``legacy/**``).

Paths are matched relative to the folder of the config file, with ``/`` separators.
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=512)
def compile_glob(pattern: str) -> re.Pattern[str]:
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
                out.append(re.escape(c))
                i += 1
            else:
                body = pat[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = close + 1
        else:
            out.append(re.escape(c))
            i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    # A match on a folder covers everything inside it.
    return re.compile(f"{prefix}{body}(?:/.*)?", re.DOTALL)


def glob_matches(pattern: str, relative_path: str) -> bool:
    """Whether ``relative_path`` (``/``-separated, relative to the config folder) matches."""
    path = relative_path.replace("\\", "/").lstrip("/")
    if path.startswith("./"):
        path = path[2:]
    return compile_glob(pattern).fullmatch(path) is not None


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, or None."""
    if not pattern.strip():
        return "empty glob pattern"
    try:
        compile_glob(pattern)
    except re.error as exc:
        return f"invalid glob pattern {pattern!r}: {exc}"
    return None
