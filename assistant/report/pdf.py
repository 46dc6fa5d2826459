"""A two-page PDF for her lactation consultant or doctor.

Page 1: the period, the headline numbers and a table of every day (sessions, each side,
total). Page 2: the routines she used, compared honestly, and the chart. Numbers a reader
could over-read (a mean of two sessions) are replaced by "not enough sessions yet".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import cast

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure, FigureBase, SubFigure

from assistant.errors import ReportError
from assistant.insight.groups import Balance, Group, balance, by_routine
from assistant.insight.spread import Spread, spread
from assistant.private_files import private_output, why_not
from assistant.report.chart import draw_chart
from assistant.report.period import MAX_REPORT_DAYS, Period
from assistant.units import DASH, Unit, number

A4_IN = (8.27, 11.69)
ROW = 0.02
"""Height of a table row, as a fraction of the page."""
VERDICTS = {
    "more": "more than the others",
    "less": "less than the others",
    "similar": "no clear difference",
    "not enough": "too few to compare",
}


def save_pdf(period: Period, path: Path, made_on: date) -> None:
    """Write the report for `period` to `path` (made on `made_on`, as the footer says),
    readable by her alone (see `private_files`)."""
    if len(period.days) > MAX_REPORT_DAYS:
        raise ReportError(f"A report covers at most {MAX_REPORT_DAYS} days; ask for fewer.")
    title = f"Pumping log, {period.label}"
    metadata = {"Title": title, "Creator": "Pump Coach"}
    try:
        with private_output(path) as out, PdfPages(out, metadata=metadata) as pdf:
            pdf.savefig(_days_page(period, title, made_on))
            pdf.savefig(_routines_page(period))
            if any(item.notes for item in period.sessions):
                pdf.savefig(_notes_page(period))
    except OSError as error:
        raise ReportError(f"Cannot write the report to {path}: {why_not(error)}.") from error


def _days_page(period: Period, title: str, made_on: date) -> Figure:
    page = Figure(figsize=A4_IN)
    page.text(0.07, 0.955, title, fontsize=17, weight="bold")
    made = f"{made_on.day} {made_on:%B %Y}"
    page.text(0.07, 0.932, f"Amounts in {period.unit}. Made with Pump Coach on {made}.", fontsize=9)
    for line, text in enumerate(_headlines(period)):
        page.text(0.07, 0.895 - line * 0.024, text, fontsize=10.5)
    rows = [_day_row(period, index) for index in range(len(period.days))]
    rows.append(_all_days_row(period))
    header = ["day", "sessions", "left", "right", "no side given", f"total ({period.unit})"]
    _table(page, 0.76, header, rows, bold_last=True)
    return page


def _headlines(period: Period) -> list[str]:
    """The few numbers a consultant asks first, each in one line."""
    unit = period.unit
    per_day = spread([day.sessions for day in period.days])
    totals = spread([day.total_ml for day in period.days if day.logged])
    count = len(period.days)
    lines = [f"Period: {period.label} ({count} day{'s' if count != 1 else ''})."]
    lines.append(
        f"Sessions: {len(period.sessions)} in all, {per_day.mean:.1f} a day on average "
        f"(SD {per_day.sd:.1f})."
        if per_day.mean is not None and per_day.sd is not None
        else f"Sessions: {len(period.sessions)} in all."
    )
    lines.append(_daily_total_line(totals, unit))
    lines.append(_balance_line(balance(period.sessions)))
    used = ", ".join(f"{g.name} ({g.sessions.count})" for g in by_routine(period.sessions))
    lines.append(f"Routines used (sessions): {used or 'none logged'}.")
    return lines


def _daily_total_line(totals: Spread, unit: Unit) -> str:
    """The mean with its spread (one SD) and range, as every mean in the report is."""
    match totals:
        case Spread(
            mean=float() as mean, sd=float() as sd, low=float() as low, high=float() as high
        ):
            return (
                f"Daily total: {number(mean, unit)} {unit} on average (SD {number(sd, unit)}), "
                f"from {number(low, unit)} to {number(high, unit)} "
                f"({totals.count} days with a yield logged)."
            )
    return "Daily total: not enough days logged yet for an average."


def _balance_line(sides: Balance) -> str:
    share = sides.left_share
    if share is None:
        return "Left and right: not enough sessions with sides logged yet."
    only_total = f"; {sides.unsided_sessions} logged a total only" if sides.unsided_sessions else ""
    return (
        f"Left {share:.0%}, right {1 - share:.0%} of milk logged by side "
        f"({sides.sided_sessions} sessions{only_total})."
    )


def _day_row(period: Period, index: int) -> list[str]:
    day = period.days[index]
    when = f"{day.day:%a} {day.day.day} {day.day:%b}"
    if not day.sessions:
        return [when, "0", "", "", "", ""]
    unit = period.unit
    amounts = (day.left_ml, day.right_ml, day.unsided_ml, day.total_ml)
    cells = [number(ml, unit) if day.logged else "not logged" for ml in amounts]
    return [when, str(day.sessions), *cells]


def _all_days_row(period: Period) -> list[str]:
    days, unit = period.days, period.unit
    sums = [
        sum(getattr(day, name) for day in days)
        for name in ("left_ml", "right_ml", "unsided_ml", "total_ml")
    ]
    return ["all days", str(sum(day.sessions for day in days)), *(number(s, unit) for s in sums)]


def _routines_page(period: Period) -> Figure:
    page = Figure(figsize=A4_IN, layout="constrained")
    page.get_layout_engine().set(w_pad=0.45, h_pad=0.3)  # type: ignore[union-attr, call-arg]
    top, bottom = cast("Sequence[SubFigure]", page.subfigures(2, 1, height_ratios=(1, 4)))
    top.text(0.07, 0.85, "Routines compared (milk per session)", fontsize=13, weight="bold")
    unit = period.unit
    header = ["routine", "sessions", f"mean ({unit})", f"spread, SD ({unit})", "range", "vs others"]
    rows = [_routine_row(group, unit) for group in by_routine(period.sessions)]
    rows = rows or [["none logged", "0", "", "", "", ""]]
    _table(top, 0.74, header, rows, row=0.1, widths=(0.15, 0.1, 0.13, 0.16, 0.14, 0.32))
    draw_chart(bottom, period)
    return page


def _notes_page(period: Period) -> Figure:
    """Her notes, session by session: what she tried or noticed, for the consultant."""
    page = Figure(figsize=A4_IN)
    page.text(0.07, 0.955, "Her notes", fontsize=13, weight="bold")
    rows = [
        [f"{period.wall_clock(item.started_at):%a %d %b %H:%M}", item.routine, line]
        for item in period.sessions
        for line in item.notes.splitlines()
        if line.strip()
    ]
    _table(page, 0.92, ["session", "routine", "note"], rows, widths=(0.2, 0.15, 0.65))
    return page


def _routine_row(group: Group, unit: Unit) -> list[str]:
    found = group.sessions
    if found.mean is None or found.sd is None or found.low is None or found.high is None:
        return [group.name, str(found.count), "not enough sessions yet", "", "", ""]
    return [
        group.name,
        str(found.count),
        number(found.mean, unit),
        number(found.sd, unit),
        f"{number(found.low, unit)}{DASH}{number(found.high, unit)}",
        VERDICTS[group.versus_rest],
    ]


def _table(
    figure: FigureBase,
    top: float,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    bold_last: bool = False,
    row: float = ROW,
    widths: Sequence[float] | None = None,
) -> None:
    """A plain ruled table whose top edge sits at `top` (a fraction of the figure)."""
    height = row * (len(rows) + 1)
    axes = figure.add_axes((0.07, top - height, 0.86, height))
    axes.axis("off")
    table = axes.table(
        cellText=rows, colLabels=header, colWidths=widths, loc="upper center", cellLoc="right"
    )
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    for (line, column), cell in table.get_celld().items():
        cell.set_height(1 / (len(rows) + 1))
        cell.set_edgecolor("#bbbbbb")
        if column == 0:
            cell.set_text_props(ha="left")
        if line == 0 or (bold_last and line == len(rows)):
            cell.set_text_props(weight="bold")
            cell.set_facecolor("#eeeeee")
