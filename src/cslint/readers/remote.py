"""Inputs named by fsspec URLs (``file://``, ``s3://``, ``gs://``, ...), read through fsspec
when it is installed (it comes with ``cslint[dask]``; object stores need their own fsspec
package, such as ``s3fs``)."""

from __future__ import annotations

from typing import Any, BinaryIO

from cslint.errors import ReaderError

INSTALL_HINT = 'pip install "cslint[dask]"'


def is_url(path: str) -> bool:
    return "://" in path


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError:
        raise ReaderError(f"reading URLs needs fsspec: {INSTALL_HINT}", url) from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:  # an unknown protocol, or its package missing
        raise ReaderError(f"cannot read this URL: {exc}", url) from None


def open_location(location: str) -> BinaryIO:
    """A local path or a URL, opened for reading bytes (OSError if it cannot be)."""
    if not is_url(location):
        return open(location, "rb")
    fs, path = _filesystem(location)
    return fs.open(path, "rb")


def file_size(location: str) -> int:
    if not is_url(location):
        import os

        return os.path.getsize(location)
    fs, path = _filesystem(location)
    return int(fs.size(path))


def expand_url(url: str, claimed: Any) -> list[str]:
    """The files a URL names: itself, or the files under it (sorted, hidden entries and
    endings no reader claims left out) if it is a folder. ReaderError if it does not exist."""
    fs, path = _filesystem(url)
    try:
        if not fs.exists(path):
            raise ReaderError("no such file or folder", url)
        if not fs.isdir(path):
            return [url]
        protocol = url.split("://", 1)[0]
        found = []
        for name in sorted(fs.find(path)):
            parts = name.rstrip("/").split("/")
            if any(p.startswith(".") for p in parts[len(path.rstrip("/").split("/")) :]):
                continue
            if claimed(name):
                found.append(f"{protocol}://{name}" if not name.startswith(f"{protocol}://") else name)
        return found
    except OSError as exc:
        raise ReaderError(f"cannot read: {exc}", url) from None
