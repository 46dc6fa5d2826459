"""`pumpcoach plot --out FILE.png`: her days stacked by side, her sessions by routine."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from assistant.cli.common import (
    add_days_option,
    add_db_option,
    add_unit_option,
    load_period,
    settings_from,
)


def register(commands: Any) -> None:
    plot = commands.add_parser(
        "plot",
        help="draw a chart of your log to a PNG file",
        description="Draw daily totals stacked by side (left, right, no side given) and each "
        "session's yield coloured by routine, into a PNG image.",
    )
    plot.add_argument("--out", type=Path, required=True, metavar="FILE.png", help="image to write")
    add_days_option(plot, default=30)
    add_unit_option(plot)
    add_db_option(plot)
    plot.set_defaults(handler=draw_plot)


def draw_plot(args: argparse.Namespace) -> int:
    from assistant.report.chart import save_png  # matplotlib loads only when a chart is drawn

    period = load_period(settings_from(args), args.days)
    save_png(period, args.out)
    print(f"Chart of {period.label} ({len(period.sessions)} sessions) saved to {args.out}")
    return 0
