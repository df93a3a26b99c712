"""The KI's figures as a chart for print and for `/stats`: questions per week by decision, language and
category, and how long newcomers waited for a counsellor.

matplotlib draws it (the optional extra `wegweiser[reports]`, so the bot's image stays small without it);
it is imported only when a chart is asked for. Since 3.11 matplotlib lays text out with libraqm (HarfBuzz
shaping, bidi ordering), so Arabic and Persian labels are passed as they are: reshaping them ourselves
(arabic-reshaper + python-bidi, what older matplotlib needed) would now reverse them a second time.
DejaVu Sans, which matplotlib ships, has the Latin, Cyrillic, Arabic and Persian glyphs we need.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from bot.clock import LOCAL_TZ
from bot.knowledge.model import KnowledgeBase
from bot.languages import LANGUAGES
from bot.reports.stats import (
    DECISION_LABELS,
    DECISIONS,
    NO_CATEGORY,
    UNKNOWN_LANGUAGE,
    Stats,
    format_duration,
    iso_week,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

ChartFormat = Literal["png", "svg"]
INSTALL_HINT = "Charts need the optional extra: pip install 'wegweiser[reports]' (matplotlib 3.11 or newer)"

PAGE_INCHES = (11.69, 8.27)  # A4 landscape
DPI = 200  # sharp when printed at A4; 2338 × 1654 pixels, well inside Telegram's photo limits
FONT = "DejaVu Sans"
# Options for this chart only; `svg.hashsalt` (and no date in the metadata) keep SVG files identical for identical data.
RC: dict[Any, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 9,
    "svg.hashsalt": "wegweiser",
}

STACK_ORDER = ("answer", "menu", "suggest", "fallback")  # confident at the bottom, the gaps on top
DECISION_COLORS: Mapping[str, str] = {
    "answer": "#2e8b57",
    "menu": "#4682b4",
    "suggest": "#e69f00",
    "fallback": "#cc4444",
}
# Upper bounds of the waiting-time bars; the last bar takes everything longer.
WAIT_BUCKETS: tuple[tuple[dt.timedelta, str], ...] = (
    (dt.timedelta(minutes=15), "< 15 min"),
    (dt.timedelta(hours=1), "15–60 min"),
    (dt.timedelta(hours=4), "1–4 h"),
    (dt.timedelta(hours=24), "4–24 h"),
    (dt.timedelta(days=3), "1–3 d"),
)
LONGEST_WAIT_LABEL = "> 3 d"


class ChartUnavailable(RuntimeError):
    """matplotlib is not installed; the message says how to get it."""


@dataclass(frozen=True)
class Series:
    """One stacked bar segment per week: what the legend says and how tall it is each week."""

    key: str
    label: str
    values: tuple[int, ...]


def _series(
    stats: Stats,
    rows: Mapping[str, Mapping[str, int]],
    preferred: Sequence[str],
    label: Callable[[str], str],
) -> list[Series]:
    """Keys with at least one question, the preferred order first, then the rest alphabetically."""
    present = {key for counts in rows.values() for key, n in counts.items() if n}
    keys = [k for k in preferred if k in present] + sorted(present - set(preferred))
    weeks = _weeks(stats)
    return [Series(k, label(k), tuple(rows.get(w, {}).get(k, 0) for w in weeks)) for k in keys]


def _weeks(stats: Stats) -> tuple[str, ...]:
    return stats.weeks or (iso_week(stats.until),)


def language_label(language: str, knowledge: KnowledgeBase | None) -> str:
    """ "ar · العربية": the code for the KI's staff, the name as the newcomers write it."""
    if language == UNKNOWN_LANGUAGE:
        return "? (unbekannt / unknown)"
    name = knowledge.texts.by_language.get(language, {}).get("language_name") if knowledge is not None else None
    return f"{language} · {name}" if name else language


def category_label(category: str, knowledge: KnowledgeBase | None) -> str:
    if category == NO_CATEGORY:
        return "ohne Kategorie (none)"
    if knowledge is not None and category in knowledge.categories:
        return knowledge.categories[category].title.get("de")
    return category


def wait_histogram(waits: Sequence[dt.timedelta]) -> list[tuple[str, int]]:
    """How many tickets were claimed within each bucket of WAIT_BUCKETS (upper bound exclusive)."""
    counts = [0] * (len(WAIT_BUCKETS) + 1)
    for wait in waits:
        index = next((i for i, (bound, _) in enumerate(WAIT_BUCKETS) if wait < bound), len(WAIT_BUCKETS))
        counts[index] += 1
    labels = [label for _, label in WAIT_BUCKETS] + [LONGEST_WAIT_LABEL]
    return list(zip(labels, counts, strict=True))


def _stacked_bars(
    axes: Axes, title: tuple[str, str], weeks: Sequence[str], series: Sequence[Series], colors: Sequence[str]
) -> None:
    positions = range(len(weeks))
    bottom = [0] * len(weeks)
    for item, color in zip(series, colors, strict=True):
        axes.bar(positions, item.values, bottom=bottom, label=item.label, color=color, width=0.75)
        bottom = [b + v for b, v in zip(bottom, item.values, strict=True)]
    _title(axes, *title)
    axes.set_xticks(list(positions), [w.rsplit("W", 1)[-1] for w in weeks], rotation=90 if len(weeks) > 26 else 0)
    axes.set_xlabel("Kalenderwoche (ISO week)")
    axes.set_ylabel("Fragen (questions)")
    _style(axes, "y")
    if not series:
        axes.text(0.5, 0.5, "keine Fragen (no questions)", transform=axes.transAxes, ha="center", color="#777777")
        axes.set_ylim(0, 1)
    else:
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _title(axes: Axes, german: str, english: str) -> None:
    axes.set_title(f"{german}\n{english}", loc="left", fontweight="bold", fontsize=10)


def _style(axes: Axes, counts: Literal["x", "y"]) -> None:
    """Whole numbers on the counting axis, a light grid behind the bars, no box."""
    from matplotlib.ticker import MaxNLocator

    (axes.yaxis if counts == "y" else axes.xaxis).set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis=counts, color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)


def _palette(count: int) -> list[str]:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["tab20" if count > 10 else "tab10"]
    return [to_hex(cmap(i % cmap.N)) for i in range(count)]


def _waiting_times(axes: Axes, stats: Stats) -> None:
    """Horizontal bars, shortest wait on top, so the bucket labels never collide."""
    histogram = wait_histogram(stats.wait_times)
    positions = range(len(histogram))
    bars = axes.barh(positions, [n for _, n in histogram], color="#6a5acd", height=0.7)
    axes.bar_label(bars, labels=[str(n) if n else "" for _, n in histogram], fontsize=8, padding=2)
    axes.set_yticks(list(positions), [label for label, _ in histogram])
    axes.invert_yaxis()
    _title(
        axes,
        f"Wartezeit bis zur Übernahme: Median {format_duration(stats.median_wait)}, n = {stats.claimed}",
        "waiting time until a counsellor claimed the handoff",
    )
    axes.set_xlabel("Übergaben (handoffs)")
    _style(axes, "x")
    if not stats.wait_times:
        axes.text(0.5, 0.5, "keine übernommenen Übergaben (none claimed)", transform=axes.transAxes, ha="center")
        axes.set_xlim(0, 1)


def build_figure(stats: Stats, knowledge: KnowledgeBase | None = None) -> Figure:
    """The four panels on one A4 page; separate from rendering so tests can read the bars back."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ChartUnavailable(INSTALL_HINT) from exc

    weeks = _weeks(stats)
    figure = Figure(figsize=PAGE_INCHES, dpi=DPI, layout="constrained")
    (decision_axes, language_axes), (category_axes, wait_axes) = figure.subplots(2, 2)
    decisions = _series(stats, stats.by_decision, STACK_ORDER, lambda d: DECISION_LABELS.get(d, d))
    _stacked_bars(
        decision_axes,
        ("Fragen je Woche nach Ergebnis", "questions per week by outcome"),
        weeks,
        decisions,
        [DECISION_COLORS.get(s.key, "#555555") for s in decisions],
    )
    languages = _series(stats, stats.by_language, LANGUAGES, lambda lang: language_label(lang, knowledge))
    _stacked_bars(
        language_axes,
        ("Fragen je Woche nach Sprache", "questions per week by language"),
        weeks,
        languages,
        _palette(len(languages)),
    )
    categories = _series(
        stats,
        stats.by_category,
        [*(knowledge.categories if knowledge is not None else ()), NO_CATEGORY],
        lambda c: category_label(c, knowledge),
    )
    _stacked_bars(
        category_axes,
        ("Fragen je Woche nach Kategorie", "questions per week by category"),
        weeks,
        categories,
        _palette(len(categories)),
    )
    _waiting_times(wait_axes, stats)
    since, until = stats.since.astimezone(LOCAL_TZ), stats.until.astimezone(LOCAL_TZ)
    shares = ", ".join(f"{DECISION_LABELS[d].split(' (')[0]} {stats.share(d):.0%}" for d in DECISIONS)
    figure.suptitle(
        f"Wegweiser – Zahlen (figures) {since:%d.%m.%Y} – {until:%d.%m.%Y}\n"
        f"{stats.questions} Fragen (questions): {shares} · {stats.handoffs} Übergaben (handoffs)",
        fontsize=11,
    )
    return figure


def render_chart(stats: Stats, knowledge: KnowledgeBase | None = None, fmt: ChartFormat = "png") -> bytes:
    """The chart as PNG (200 dpi) or SVG (text as paths, so it looks the same without our fonts)."""
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
    except ImportError as exc:
        raise ChartUnavailable(INSTALL_HINT) from exc

    # rc_context sets matplotlib's process-wide options; two /stats drawn at once in worker threads only
    # ever set the same values, and nothing else in the bot draws.
    with matplotlib.rc_context(RC):
        figure = build_figure(stats, knowledge)
        FigureCanvasAgg(figure)  # Agg: no display, no GUI backend, no pyplot state
        out = io.BytesIO()
        metadata = {"Software": "Wegweiser"} if fmt == "png" else {"Date": None, "Creator": "Wegweiser"}
        figure.savefig(out, format=fmt, dpi=DPI, metadata=metadata)
    return out.getvalue()
