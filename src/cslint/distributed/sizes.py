"""Byte sizes as people write them: ``512KB``, ``8MB``, ``1GB`` (powers of 1024), or bytes."""

from __future__ import annotations

import re

_UNITS = {"": 1, "B": 1, "KB": 2**10, "K": 2**10, "MB": 2**20, "M": 2**20, "GB": 2**30, "G": 2**30}
_SIZE = re.compile(r"\s*(\d+)\s*([A-Za-z]*)\s*")


def parse_size(text: str) -> int:
    match = _SIZE.fullmatch(text)
    unit = match.group(2).upper() if match else ""
    if match is None or unit not in _UNITS or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not a size such as 65536, 512KB or 8MB")
    return int(match.group(1)) * _UNITS[unit]
