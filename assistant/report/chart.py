"""The chart: daily totals stacked by side, and every session's yield coloured by routine.

Both panels share one time axis on her clock, so a low day on top can be traced to its
sessions below. Colours are from the Okabe-Ito set, told apart with colour-blindness too.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, FigureBase
from matplotlib.ticker import FixedLocator

from assistant.errors import ReportError
from assistant.insight.daily import DayTotal
from assistant.private_files import private_output, why_not
from assistant.report.period import Period
from assistant.units import to_unit

SIDE_COLOURS = {"left": "#0072B2", "right": "#E69F00", "no side given": "#999999"}
"""Left blue, right orange, a total without sides grey."""
ROUTINE_COLOURS = ("#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
"""One per routine: the built-ins' own first, her routines' after (see `routine_colour`)."""
BUILT_IN_ORDER = ("mss", "hands-on", "four-steps", "warm-up", "blocked-duct")
PNG_SIZE_IN = (10.0, 7.0)
PNG_DPI = 100
"""1000 x 700 pixels: readable on a phone, sharp enough to print."""
BAR_WIDTH_DAYS = 0.8
MIN_SHOWN_DAYS = 7
"""A chart of fewer days is widened to this many, so one day's bar is a bar, not a wall."""
MIDNIGHT_LINES_UP_TO = 45
"""Longest chart (days) whose midnights get a faint line; beyond, too thin to see, slow to draw."""


IMAGE_FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}
"""The images `plot` writes, by file name ending."""


def save_chart(period: Period, path: Path) -> None:
    """Draw the chart for `period` into an image at `path`, in the format its name says,
    readable by her alone (see `private_files`)."""
    image_format = IMAGE_FORMATS[path.suffix.lower()]
    figure = Figure(figsize=PNG_SIZE_IN, dpi=PNG_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    draw_chart(figure, period)
    try:
        with private_output(path) as out:
            figure.savefig(out, format=image_format)
    except OSError as error:
        raise ReportError(f"Cannot write the chart to {path}: {why_not(error)}.") from error


def draw_chart(figure: FigureBase, period: Period) -> None:
    """Two panels on `figure`: days on top, sessions below, one shared time axis."""
    daily, sessions = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    figure.suptitle(f"Milk pumped, {period.label} (in {period.unit})", fontsize=14)
    _draw_days(daily, period)
    _draw_sessions(sessions, period)
    first, last = _day_number(period.first), _day_number(period.last) + 1
    spare = max(0.0, (MIN_SHOWN_DAYS - (last - first)) / 2)
    daily.set_xlim(first - spare, last + spare)
    _date_axis(sessions, period)


def _draw_days(axes: Axes, period: Period) -> None:
    noon = [_day_number(day.day) + 0.5 for day in period.days]
    bottom = [0.0] * len(period.days)
    for side, colour in SIDE_COLOURS.items():
        heights = [to_unit(_side_ml(day, side), period.unit) for day in period.days]
        if not any(heights):
            continue
        axes.bar(noon, heights, BAR_WIDTH_DAYS, bottom=bottom, color=colour, label=side)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylabel(f"milk per day ({period.unit})")
    axes.set_title("Daily totals by side", loc="left")
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper left", frameon=False, ncols=3)
    axes.set_ylim(0, max(bottom, default=0) * 1.18 or 1)


def _day_number(moment: date | datetime) -> float:
    """Matplotlib's number for a day or a moment (days since its epoch)."""
    return float(mdates.date2num(moment))  # type: ignore[no-untyped-call]


def routine_colour(name: str) -> str:
    """The same colour for a routine in every chart, whatever the period holds: a built-in
    has its own; her routines share the last, told apart by their labels."""
    if name in BUILT_IN_ORDER:
        return ROUTINE_COLOURS[BUILT_IN_ORDER.index(name)]
    return ROUTINE_COLOURS[-1]


def _side_ml(day: DayTotal, side: str) -> float:
    return {"left": day.left_ml, "right": day.right_ml}.get(side, day.unsided_ml)


def _draw_sessions(axes: Axes, period: Period) -> None:
    logged = [item for item in period.sessions if item.logged]
    routines = list(dict.fromkeys(item.routine for item in logged))
    for routine in routines:
        mine = [item for item in logged if item.routine == routine]
        axes.scatter(
            [_day_number(period.wall_clock(item.started_at)) for item in mine],
            [to_unit(item.total_ml, period.unit) for item in mine],
            s=28,
            color=routine_colour(routine),
            label=f"{routine} ({len(mine)})",
            edgecolors="white",
            linewidths=0.5,
            zorder=3,
        )
    axes.set_ylabel(f"milk per session ({period.unit})")
    axes.set_title("Each session, coloured by routine (sessions in brackets)", loc="left")
    axes.grid(alpha=0.3)
    highest = max((to_unit(item.total_ml, period.unit) for item in logged), default=0)
    axes.set_ylim(0, highest * 1.3 or 1)
    if routines:
        axes.legend(loc="upper left", frameon=False, ncols=min(len(routines), 4), scatterpoints=1)


def _date_axis(axes: Axes, period: Period) -> None:
    """A label under the middle of each day's bar (every few days for long periods), and
    faint lines at midnight, so each session sits visibly inside its day."""
    step = max(1, round(len(period.days) / 14))
    labelled = [_day_number(day.day) + 0.5 for day in period.days[::step]]
    axes.xaxis.set_major_locator(FixedLocator(labelled))
    axes.xaxis.set_major_formatter(
        mdates.DateFormatter(  # type: ignore[no-untyped-call]
            "%a %d %b" if step == 1 else "%d %b"
        )
    )
    if len(period.days) <= MIDNIGHT_LINES_UP_TO:
        axes.xaxis.set_minor_locator(mdates.DayLocator())  # type: ignore[no-untyped-call]
        axes.grid(axis="x", which="minor", alpha=0.15)
    axes.tick_params(axis="x", which="major", length=0)
    axes.tick_params(axis="x", labelrotation=45)
    for label in axes.get_xticklabels():
        label.set_horizontalalignment("right")
    axes.set_xlabel("day (your local time)")
