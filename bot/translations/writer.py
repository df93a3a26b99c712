"""Write edited knowledge files all or nothing, and only if the real loader still accepts the result."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.model import KnowledgeBase


def commit(root: Path, new_texts: Mapping[str, str]) -> KnowledgeBase:
    """Try the new files on a copy with the loader first; then replace each file atomically (temp + rename).

    Raises KnowledgeError (nothing written) when the edited knowledge would not load.
    """
    with tempfile.TemporaryDirectory(prefix="wegweiser-check-") as scratch:
        trial = Path(scratch) / "knowledge"
        shutil.copytree(root, trial)
        for name, text in new_texts.items():
            (trial / name).write_text(text, encoding="utf-8")
        knowledge, _ = load_knowledge(trial)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in new_texts.items():
            target = root / name
            handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(temp_name), target))
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            shutil.copymode(target, temp_name)
    except OSError:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, target in staged:  # renames within one folder: each one is atomic and cannot half-write
        os.replace(temp, target)
    return knowledge


__all__ = ["KnowledgeError", "commit"]
