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
from assistant.errors import UsageError

IMAGE_ENDINGS = (".png", ".jpg", ".jpeg", ".svg")
"""What `--out` may end in (`report.chart.IMAGE_FORMATS`, named here so that a wrong name
is refused before matplotlib loads)."""


def register(commands: Any) -> None:
    plot = commands.add_parser(
        "plot",
        help="draw a chart of your log to an image (PNG, JPEG or SVG)",
        description="Draw daily totals stacked by side (left, right, no side given) and each "
        "session's yield coloured by routine, into a PNG, JPEG or SVG image.",
    )
    plot.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.png",
        help="image to write (.png, .jpg, .svg)",
    )
    add_days_option(plot, default=30)
    add_unit_option(plot)
    add_db_option(plot)
    plot.set_defaults(handler=draw_plot)


def draw_plot(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() not in IMAGE_ENDINGS:
        raise UsageError(
            f"--out {args.out}: plot writes images ending in {', '.join(IMAGE_ENDINGS)}."
        )
    from assistant.report.chart import save_chart  # matplotlib loads only when a chart is drawn

    period = load_period(settings_from(args), args.days)
    save_chart(period, args.out)
    print(f"Chart of {period.label} ({len(period.sessions)} sessions) saved to {args.out}")
    return 0
