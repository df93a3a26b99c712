"""Report files are written owner-only (0600): they hold what people asked, which is nobody else's business
on a shared host."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_MODE = 0o600


def write_private(path: Path, data: str | bytes, encoding: str = "utf-8") -> None:
    """Create or replace `path` with mode 0600 (also when an older, more open file was there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode(encoding) if isinstance(data, str) else data
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    try:
        os.fchmod(fd, PRIVATE_MODE)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(raw)
    finally:
        os.close(fd)
