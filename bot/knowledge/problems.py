"""Problems found in the knowledge files, phrased for editors with file and line."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    CONFIRM = "confirm"  # a detail someone has to confirm (by phone): a work list, not a defect


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor should fix; `group` lets the checker list similar problems together."""

    file: str
    line: int
    message: str
    severity: Severity = Severity.ERROR
    group: str = "Fehler"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ProblemList:
    """Collects problems while loading, so an editor sees all of them at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[Problem] = []

    def _name(self, file: Path | str) -> str:
        path = Path(file)
        if path == self.root:
            return str(path)
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def error(self, file: Path | str, line: int, message: str, group: str = "Fehler") -> None:
        self.items.append(Problem(self._name(file), line, message, Severity.ERROR, group))

    def warning(self, file: Path | str, line: int, message: str, group: str) -> None:
        self.items.append(Problem(self._name(file), line, message, Severity.WARNING, group))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]
