"""`pumpcoach routines` and `pumpcoach show NAME`."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.cli.common import add_routines_dir_option, routines_dir, settings_from
from assistant.routines.loader import discover, find_routine
from assistant.routines.model import Routine
from assistant.session.plan import build_plan
from assistant.session.replies import duration


def register(commands: Any) -> None:
    listing = commands.add_parser(
        "routines",
        help="list the routines you can start",
        description="List built-in routines and your own (TOML files in your routines folder).",
    )
    add_routines_dir_option(listing)
    listing.set_defaults(handler=list_routines)

    show = commands.add_parser(
        "show", help="print one routine's steps and cues", description="Print a routine in full."
    )
    show.add_argument("name", metavar="NAME_OR_FILE", help="routine name or TOML file")
    add_routines_dir_option(show)
    show.set_defaults(handler=show_routine)


def list_routines(args: argparse.Namespace) -> int:
    folder = routines_dir(settings_from(args))
    routines, errors = discover(folder)
    caption = Text(f"Add your own as TOML files in {folder}")
    table = Table(title="Routines", caption=caption)
    for column in ("name", "title", "when", "minutes", "summary"):
        table.add_column(column)
    for routine in routines:
        minutes = f"{routine.total_s / 60:.0f}"
        title, when, summary = (
            Text(text) for text in (routine.title, routine.when, routine.summary)
        )
        table.add_row(routine.name, title, when, minutes, summary)
    console = Console()
    console.print(table)
    for error in errors:
        console.print(Text(f"Skipped: {error}", style="yellow"))
    return 0


def show_routine(args: argparse.Namespace) -> int:
    routine = find_routine(args.name, routines_dir(settings_from(args)))
    Console().print(_describe(routine))
    return 0


def _describe(routine: Routine) -> Text:
    """Every step the session will run, in its words: the steps of each round, then those
    done once after the last round, numbered as the session numbers them. Built as Text, never
    markup, so a routine's words ("Evening [short]") are shown exactly as written."""
    plan = build_plan(routine)
    breasts = "each breast in turn" if routine.sides == "each" else "both breasts"
    length = duration(60 * round(plan.total_s / 60))
    rounds = "1 round" if routine.cycles == 1 else f"{routine.cycles} rounds"
    lines = [
        Text.assemble((routine.title, "bold"), f" ({routine.name}) — {routine.summary}"),
        Text(f"When: {routine.when or 'any time'}. About {length}, {rounds}, {breasts}."),
        Text(""),
        Text("Safety", style="bold"),
        *[Text(f"  • {line}") for line in routine.safety],
        Text(""),
        Text("Steps", style="bold"),
    ]
    for number, step in enumerate(routine.all_steps, start=1):
        extra = f", {step.repetitions} times" if step.repetitions > 1 else ""
        side = {"each": ", each side", "left": ", left", "right": ", right"}.get(step.side, "")
        once = ", once, after the last round" if step in routine.final_steps else ""
        how = f"{duration(step.duration_s)}{side}{extra}{once}"
        lines.append(Text(f"  {number}. {step.title} ({how})"))
        lines.append(Text(f"     {step.cue}"))
        lines += [Text(f"     at {duration(r.after_s)}: {r.text}") for r in step.reminders]
    if routine.leads_to:
        then = f"Then: say start, and {routine.leads_to} begins (milk is logged there)."
        lines += [Text(""), Text(then)]
    credits = [Text(f"  • {s.credit} — {s.title}") for s in routine.sources]
    lines += [Text(""), Text("Sources", style="bold"), *credits]
    return Text("\n").join(lines)
