"""The editors' report: what newcomers asked that the bot could not answer with confidence.

Questions with the decision "fallback" or "suggest" are grouped per language into clusters of similar
wording, so an editor sees "12 people asked about X" instead of 12 lines, together with the FAQ entry
the matcher found nearest (a hint where a new example question or a new entry belongs). A second
section lists the 👍/👎 votes per entry, worst first: answers people found unhelpful.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.clock import LOCAL_TZ
from bot.matching.normalise import normalise
from bot.reports.escape import markdown_text
from bot.storage.questions import QuestionRecord, QuestionStore

UNCONFIDENT = ("fallback", "suggest")
SIMILARITY = 90.0  # token_set_ratio (0-100) from which two wordings count as one question; 88 merged "hund"/"wohnung"
UNKNOWN_LANGUAGE = "?"
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Cluster:
    """Questions with similar wording in one language."""

    language: str
    count: int
    example: str
    nearest_entry: str | None
    variants: tuple[str, ...]  # distinct wordings, most frequent first


@dataclass(frozen=True)
class EntryVotes:
    entry_id: str
    up: int
    down: int

    @property
    def down_share(self) -> float:
        total = self.up + self.down
        return self.down / total if total else 0.0


@dataclass(frozen=True)
class UnansweredReport:
    since: dt.datetime
    clusters: tuple[Cluster, ...]
    without_text: Mapping[str, int]  # language -> questions whose text retention already removed
    votes: tuple[EntryVotes, ...]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.clusters) + sum(self.without_text.values())

    def languages(self) -> list[str]:
        """Languages with the most unanswered questions first, so the biggest gap is read first."""
        totals: Counter[str] = Counter(self.without_text)
        for cluster in self.clusters:
            totals[cluster.language] += cluster.count
        return sorted(totals, key=lambda lang: (-totals[lang], lang))


def _most_common(counter: Counter[str]) -> str | None:
    """Deterministic "most frequent": ties go to the shorter, then the alphabetically first value."""
    if not counter:
        return None
    return min(counter, key=lambda value: (-counter[value], len(value), value))


def cluster_questions(
    records: Iterable[QuestionRecord], threshold: float = SIMILARITY
) -> tuple[list[Cluster], dict[str, int]]:
    """Greedy clustering per language; returns the clusters (largest first) and the text-less counts.

    Identical normalised wordings are merged first; then the wordings are visited from the most to the
    least frequent and each joins the cluster whose seed (its first, most frequent wording) is most
    similar, or starts a new one. Fixed visiting order and tie-breaks make the result deterministic.
    """
    without_text: Counter[str] = Counter()
    # language -> normalised wording -> (raw texts, nearest entries)
    groups: dict[str, dict[str, tuple[Counter[str], Counter[str]]]] = {}
    for record in records:
        if record.decision not in UNCONFIDENT:
            continue
        language = record.language or UNKNOWN_LANGUAGE
        if record.text is None:
            without_text[language] += 1
            continue
        text = " ".join(record.text.split())
        key = normalise(text) or text.casefold()
        texts, nearest_entries = groups.setdefault(language, {}).setdefault(key, (Counter(), Counter()))
        texts[text] += 1
        if record.nearest_entry:
            nearest_entries[record.nearest_entry] += 1

    clusters: list[Cluster] = []
    for language in sorted(groups):
        wordings = groups[language]
        order = sorted(wordings, key=lambda key: (-sum(wordings[key][0].values()), key))
        seeds: list[str] = []
        members: list[list[str]] = []
        for key in order:
            best, best_score = -1, -1.0
            for index, seed in enumerate(seeds):
                score = float(fuzz.token_set_ratio(key, seed, processor=None))
                if score >= threshold and score > best_score:  # ties: the earlier (larger) cluster
                    best, best_score = index, score
            if best < 0:
                seeds.append(key)
                members.append([key])
            else:
                members[best].append(key)
        for keys in members:
            raw: Counter[str] = Counter()
            nearest: Counter[str] = Counter()
            for key in keys:
                raw.update(wordings[key][0])
                nearest.update(wordings[key][1])
            example = _most_common(wordings[keys[0]][0]) or ""  # the seed: the most frequent wording
            variants = tuple(sorted(raw, key=lambda t: (-raw[t], len(t), t)))
            clusters.append(Cluster(language, sum(raw.values()), example, _most_common(nearest), variants))
    clusters.sort(key=lambda c: (-c.count, c.language, c.example))
    return clusters, dict(without_text)


def rank_votes(votes: Mapping[str, tuple[int, int]]) -> list[EntryVotes]:
    """Worst first: lowest net score (👍 − 👎), then most 👎, then the entry id."""
    ranked = [EntryVotes(entry, up, down) for entry, (up, down) in votes.items()]
    ranked.sort(key=lambda v: (v.up - v.down, -v.down, v.entry_id))
    return ranked


async def collect_unanswered(
    questions: QuestionStore, since: dt.datetime, threshold: float = SIMILARITY
) -> UnansweredReport:
    """Read the period from the database and build the report."""
    clusters, without_text = cluster_questions(await questions.since(since), threshold)
    votes = rank_votes(await questions.feedback_by_entry(since))
    return UnansweredReport(since, tuple(clusters), without_text, tuple(votes))


def _cell(text: str) -> str:
    """A Markdown table cell: user text must not break the table, nor become HTML, an image or a link."""
    return markdown_text(text) or " "


def format_markdown(report: UnansweredReport) -> str:
    """For reading in an editor or a Git/wiki page."""
    since = report.since.astimezone(LOCAL_TZ).strftime("%Y-%m-%d")
    lines = [
        f"# Unbeantwortete Fragen (unanswered questions) seit {since}",
        "",
        f"{report.total} Fragen ohne sichere Antwort (fallback/suggest), davon "
        f"{sum(report.without_text.values())} ohne Text (nach Ablauf der Aufbewahrungsfrist gelöscht).",
    ]
    for language in report.languages():
        clusters = [c for c in report.clusters if c.language == language]
        removed = report.without_text.get(language, 0)
        lines += ["", f"## {language} ({sum(c.count for c in clusters) + removed})", ""]
        if clusters:
            lines += [
                "| Anzahl (count) | Beispielfrage (example) | nächster Eintrag (nearest entry) | Varianten |",
                "| ---: | --- | --- | ---: |",
            ]
            lines += [
                f"| {c.count} | {_cell(c.example)} | {c.nearest_entry or '–'} | {len(c.variants)} |" for c in clusters
            ]
        if removed:
            lines += ["", f"Ohne Text (text removed by retention): {removed}"]
    lines += ["", "## 👍/👎 je Eintrag (feedback per entry), schlechteste zuerst", ""]
    if report.votes:
        lines += ["| Eintrag (entry) | 👍 | 👎 | Anteil 👎 |", "| --- | ---: | ---: | ---: |"]
        lines += [f"| {v.entry_id} | {v.up} | {v.down} | {v.down_share:.0%} |" for v in report.votes]
    else:
        lines.append("Keine Bewertungen im Zeitraum (no votes in this period).")
    return "\n".join(lines) + "\n"


def _csv_safe(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; user text must stay text."""
    return "'" + text if text.startswith(_CSV_FORMULA_START) else text


CSV_HEADER = ("section", "language", "count", "example", "entry", "up", "down")


def format_csv(report: UnansweredReport) -> str:
    """One table for spreadsheets; `section` is cluster, without_text or feedback."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for c in report.clusters:
        writer.writerow(("cluster", c.language, c.count, _csv_safe(c.example), c.nearest_entry or "", "", ""))
    for language in sorted(report.without_text):
        writer.writerow(("without_text", language, report.without_text[language], "", "", "", ""))
    for v in report.votes:
        writer.writerow(("feedback", "", v.up + v.down, "", v.entry_id, v.up, v.down))
    return buffer.getvalue()
