"""`pumpcoach report --out FILE.pdf`: two pages for her lactation consultant or doctor."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from assistant.cli.common import (
    add_days_option,
    add_db_option,
    add_unit_option,
    load_period,
    settings_from,
)
from assistant.report.period import MAX_REPORT_DAYS


def register(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="write a PDF report for your lactation consultant or doctor",
        description="Write a two-page PDF: the period covered, daily totals per side, "
        "sessions per day, the routines used and how they compare, and the chart.",
    )
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="PDF to write")
    add_days_option(report, default=14, most=MAX_REPORT_DAYS)
    add_unit_option(report)
    add_db_option(report)
    report.set_defaults(handler=write_report)


def write_report(args: argparse.Namespace) -> int:
    from assistant.report.pdf import save_pdf  # matplotlib loads only when a report is made

    period = load_period(settings_from(args), args.days, most=MAX_REPORT_DAYS)
    save_pdf(period, args.out, made_on=date.today())
    print(f"Report for {period.label} ({len(period.sessions)} sessions) saved to {args.out}")
    return 0
