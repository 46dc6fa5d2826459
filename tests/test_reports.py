"""`stats`, `plot` and `report` on real databases: a real PNG and a real PDF, looked at."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from matplotlib import image as mpimg
from PIL import Image

from assistant.cli.main import main
from assistant.demo.history import seed_history
from assistant.report.chart import (
    PNG_DPI,
    PNG_SIZE_IN,
    ROUTINE_COLOURS,
    SIDE_COLOURS,
    routine_colour,
)
from assistant.store.sqlite_store import SessionStore

A4_POINTS = (595, 842)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A thousand sessions (125 days, 8 a day) up to yesterday, in a database file."""
    path = tmp_path_factory.mktemp("thousand") / "s.sqlite3"
    with SessionStore(":memory:") as store:
        seed_history(store, 1000, datetime.now().astimezone(), seed=3)
        store.backup_to(path)
    return path


@pytest.fixture
def one(tmp_path: Path) -> Iterator[Path]:
    """One session, this morning, left 40 and right 35."""
    path = tmp_path / "one.sqlite3"
    start = datetime.now().astimezone().replace(hour=7, minute=0, second=0, microsecond=0)
    with SessionStore(path) as store:
        sid = store.begin_session("mss", start)
        store.log_yield(sid, 1, {"left": 40, "right": 35}, start + timedelta(minutes=20))
        store.end_session(sid, start + timedelta(minutes=22), "completed")
    yield path


def sessions_in_last(db: Path, days: int) -> int:
    """How many sessions started in the last `days` days on this machine's clock."""
    first = date.today() - timedelta(days=days - 1)
    with SessionStore(db) as store:
        return sum(r.started_at.astimezone().date() >= first for r in store.sessions())


def rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def share_of(pixels: np.ndarray, hex_colour: str) -> float:
    """Fraction of pixels within a few levels of `hex_colour` (antialiasing aside)."""
    close = np.abs(pixels[..., :3].astype(int) - np.array(rgb(hex_colour))).max(axis=-1) <= 6
    return float(close.mean())


def inked(pixels: np.ndarray) -> float:
    """Fraction of pixels that are not (near) white."""
    return float((pixels[..., :3].min(axis=-1) < 240).mean())


# -- plot ---------------------------------------------------------------------------------


def test_plot_draws_a_real_png_of_a_thousand_sessions(
    thousand: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1000 x 700 pixels, far from blank, with both sides' and three routines' colours."""
    out = tmp_path / "chart.png"
    code, said, err = run(capsys, "plot", "--db", str(thousand), "--out", str(out))
    assert code == 0, err
    count = sessions_in_last(thousand, 30)
    assert said.startswith("Chart of ") and f"({count} sessions) saved to" in said
    assert 200 < count < 250  # about 29 days of 8 (today has none)
    with Image.open(out) as picture:
        assert picture.format == "PNG"
        assert picture.size == (PNG_SIZE_IN[0] * PNG_DPI, PNG_SIZE_IN[1] * PNG_DPI)
        pixels = np.asarray(picture.convert("RGB"))
        assert len(picture.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50
    for colour in (*SIDE_COLOURS.values(), *ROUTINE_COLOURS[:3]):
        assert share_of(pixels, colour) > 0.0005, colour
    assert 0.1 < inked(pixels) < 0.9
    assert mpimg.imread(out).shape == (700, 1000, 4)  # matplotlib reads it back too


@pytest.mark.parametrize(
    ("name", "written"), [("c.jpg", "JPEG"), ("c.JPEG", "JPEG"), ("c.png", "PNG"), ("c.svg", None)]
)
def test_plot_writes_the_format_its_name_says(
    name: str, written: str | None, one: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--out c.jpg` wrote a PNG under a .jpg name."""
    out = tmp_path / name
    code, _, err = run(capsys, "plot", "--db", str(one), "--out", str(out))
    assert code == 0, err
    if written is None:
        assert out.read_text().lstrip().startswith("<?xml") and "<svg" in out.read_text()
    else:
        with Image.open(out) as picture:
            assert picture.format == written


@pytest.mark.parametrize("name", ["c.gif", "c.pdf", "chart"])
def test_plot_refuses_an_image_it_cannot_write(
    name: str, one: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    code, _, err = run(capsys, "plot", "--db", str(one), "--out", str(out))
    assert code == 2 and "plot writes images ending in .png, .jpg, .jpeg, .svg" in err
    assert not out.exists()


def test_a_routine_has_its_own_colour_whatever_else_the_period_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Colours went by order of first use, so warm-up was green in a fortnight's report and
    pink in a month's chart."""
    db = tmp_path / "warm.sqlite3"
    start = datetime.now().astimezone().replace(hour=7, minute=0, second=0, microsecond=0)
    with SessionStore(db) as store:
        sid = store.begin_session("warm-up", start)
        store.log_yield(sid, 1, {"total": 80}, start + timedelta(minutes=20))
        store.end_session(sid, start + timedelta(minutes=22), "completed")
    out = tmp_path / "chart.png"
    assert run(capsys, "plot", "--db", str(db), "--out", str(out))[0] == 0
    pixels = np.asarray(Image.open(out).convert("RGB"))
    assert share_of(pixels, routine_colour("warm-up")) * pixels[..., 0].size > 25  # dot, key
    assert share_of(pixels, routine_colour("mss")) * pixels[..., 0].size < 5
    assert routine_colour("warm-up") != routine_colour("mss")


def test_plot_of_one_session_shows_its_day(
    one: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A newcomer's chart starts at her first day: one stacked bar, one dot."""
    out = tmp_path / "one.png"
    assert run(capsys, "plot", "--db", str(one), "--out", str(out), "--unit", "oz")[0] == 0
    pixels = np.asarray(Image.open(out).convert("RGB"))
    assert share_of(pixels, SIDE_COLOURS["left"]) > 0.01
    assert share_of(pixels, SIDE_COLOURS["right"]) > 0.01
    assert share_of(pixels, SIDE_COLOURS["no side given"]) < 0.002  # text antialiasing only


@pytest.mark.parametrize("command", ["plot", "report"])
def test_nothing_to_draw_is_one_sentence_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """An empty log: exit code 2, a sentence naming the period, nothing written."""
    out = tmp_path / f"nothing.{'png' if command == 'plot' else 'pdf'}"
    SessionStore(tmp_path / "new.db").close()
    code, _, err = run(capsys, command, "--db", str(tmp_path / "new.db"), "--out", str(out))
    assert code == 2 and "No sessions were logged in " in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(("command", "suffix"), [("plot", "png"), ("report", "pdf")])
@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("missing/x", "its folder does not exist"),
        ("a-file/x", "part of its folder path is a file"),
        ("a-folder", "it is a folder"),
    ],
)
def test_an_unwritable_output_is_one_sentence(
    one: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    suffix: str,
    where: str,
    reason: str,
) -> None:
    """A folder that does not exist, a file where a folder should be, a folder where the file
    should be: exit code 2, "Cannot write ..." and why, in one line."""
    (tmp_path / "a-file").write_text("x")
    (tmp_path / f"a-folder.{suffix}").mkdir()
    out = tmp_path / f"{where}.{suffix}"
    code, _, err = run(capsys, command, "--db", str(one), "--out", str(out))
    assert code == 2 and err.startswith("pumpcoach: Cannot write the ")
    assert err.endswith(f": {reason}.\n") and err.count("\n") == 1


# -- report -------------------------------------------------------------------------------


def pdf_pages(path: Path) -> list[tuple[tuple[float, float], str, np.ndarray]]:
    """Each page's size in points, its text, and its picture at 72 dpi."""
    document = pdfium.PdfDocument(path)
    pages = []
    for page in document:
        text = page.get_textpage().get_text_range()
        picture = np.asarray(page.render(scale=1).to_pil().convert("RGB"))
        pages.append((page.get_size(), text, picture))
    document.close()
    return pages


def test_the_report_is_two_a4_pages_with_the_days_the_routines_and_the_chart(
    thousand: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Page 1: period, headline numbers, every day; page 2: routines compared and the chart."""
    out = tmp_path / "report.pdf"
    code, said, err = run(capsys, "report", "--db", str(thousand), "--out", str(out))
    assert code == 0, err
    count = sessions_in_last(thousand, 14)
    assert f"({count} sessions) saved to" in said
    (size1, text1, picture1), (size2, text2, picture2) = pdf_pages(out)
    assert tuple(round(v) for v in size1) == A4_POINTS == tuple(round(v) for v in size2)
    for words in ("Pumping log", "Period:", f"Sessions: {count} in all", "Daily total:", "Left ",
                  "Routines used", "all days", "no side given"):  # fmt: skip
        assert words in text1, words
    yesterday = datetime.now().astimezone() - timedelta(days=1)
    assert f"{yesterday:%a} {yesterday.day} {yesterday:%b}" in text1
    assert "Routines compared" in text2 and "mss" in text2 and "four-steps" in text2
    assert 0.02 < inked(picture1) < 0.6 and 0.1 < inked(picture2) < 0.9
    for colour in SIDE_COLOURS.values():
        assert share_of(picture2, colour) > 0.001, colour


def test_the_report_gives_each_mean_its_spread_and_her_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A consultant reads a mean with its SD, and what she wrote about a session."""
    db = tmp_path / "noted.sqlite3"
    start = datetime.now().astimezone().replace(hour=7, minute=0, second=0, microsecond=0)
    with SessionStore(db) as store:
        for day, (ml, note) in enumerate([(80, ""), (100, "tried a warm compress"), (90, "")]):
            began = start - timedelta(days=day + 1)
            sid = store.begin_session("mss", began, note)
            store.log_yield(sid, 1, {"total": ml}, began + timedelta(minutes=20))
            store.end_session(sid, began + timedelta(minutes=22), "completed")
    out = tmp_path / "report.pdf"
    assert run(capsys, "report", "--db", str(db), "--out", str(out))[0] == 0
    pages = pdf_pages(out)
    assert "Daily total: 90 ml on average (SD 10), from 80 to 100" in pages[0][1]
    assert len(pages) == 3 and "Her notes" in pages[2][1]
    assert "tried a warm compress" in pages[2][1]


def test_a_report_of_one_session_says_not_enough_instead_of_a_mean(
    one: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One day, one session: the period is that day, and no mean pretends otherwise."""
    out = tmp_path / "one.pdf"
    assert run(capsys, "report", "--db", str(one), "--out", str(out))[0] == 0
    (_, text1, _), (_, text2, _) = pdf_pages(out)
    today = datetime.now().astimezone()
    assert f"Period: {today.day} {today:%b %Y} (1 day)." in text1
    assert "not enough days logged yet" in text1
    assert "not enough sessions yet" in text2


@pytest.mark.parametrize("days", ["0", "32", "-3"])
def test_a_report_covers_one_to_31_days(
    one: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], days: str
) -> None:
    """Longer than a page of days is refused in one sentence."""
    code, _, err = run(
        capsys, "report", "--db", str(one), "--out", str(tmp_path / "r.pdf"), "--days", days
    )
    assert code == 2 and f"--days takes a number of days between 1 and 31, not {days}." in err


# -- stats --------------------------------------------------------------------------------


def test_stats_of_a_thousand_sessions_show_every_section(
    thousand: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Days, trend, balance, time of day and routines, each with counts and spreads."""
    code, out, _ = run(capsys, "stats", "--db", str(thousand))
    assert code == 0
    for words in ("Daily totals", "Last 7 full days:", "The 7 days before:", "Left and right:",
                  "By time of day", "By routine", "morning", "mss", "hands-on", "four-steps",
                  "spread is one standard deviation"):  # fmt: skip
        assert words in out, words
    assert "not enough" not in out


def test_stats_of_one_session_do_not_overclaim(
    one: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One session: counted, but "not enough sessions yet" wherever a mean would go."""
    code, out, _ = run(capsys, "stats", "--db", str(one), "--days", "3")
    assert code == 0
    assert "not enough sessions yet" in out
    assert "7-day trend: not enough days logged yet" in out
    assert "Left and right: not enough sessions with sides logged yet." in out


def test_stats_of_an_empty_log_say_how_to_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    SessionStore(tmp_path / "new.db").close()
    code, out, _ = run(capsys, "stats", "--db", str(tmp_path / "new.db"))
    assert code == 0 and "No sessions in the last 14 days. Start one with" in out


# -- the newcomer's first day -------------------------------------------------------------


def test_three_typed_sessions_then_table_stats_plot_and_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's "done when": log three sessions by typed commands, then look at them."""
    db = str(tmp_path / "mine.sqlite3")
    scripts = [
        "5 stop\n6 yes\n8 log left forty right thirty five\n10 finish\n",
        "5 stop\n6 yes\n8 log ninety\n10 finish\n",
        "5 stop\n6 yes\n8 sixty on the left\n9 fifty on the right\n10 finish\n",
    ]
    for number, script in enumerate(scripts):
        commands = tmp_path / f"cmds{number}.txt"
        commands.write_text(script)
        code, out, err = run(capsys, "run", "--routine", "mss", "--commands", str(commands),
                             "--db", db)  # fmt: skip
        assert code == 0, err
    assert "Today so far: 275 millilitres." in out  # the third session's goodbye
    code, out, _ = run(capsys, "history", "--db", db)
    assert code == 0 and sum(" mss " in line for line in out.splitlines()) == 3
    assert run(capsys, "stats", "--db", db)[0] == 0
    png = tmp_path / "mine.png"
    assert run(capsys, "plot", "--db", db, "--out", str(png))[0] == 0
    assert Image.open(png).size == (1000, 700)
    _, out, _ = run(capsys, "history", "--db", db, "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [float(row["total_ml"]) for row in rows] == [75.0, 90.0, 110.0]


def test_a_warm_up_led_into_pumping_is_kept_but_not_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The warm-up offers the pumping routine instead of asking for milk; the warm-up is kept
    in her history, marked, and left out of her figures."""
    db = str(tmp_path / "mine.sqlite3")
    commands = tmp_path / "cmds.txt"
    commands.write_text("5 stop\n6 yes\n8 start\n12 stop\n13 yes\n15 log sixty\n17 finish\n")
    code, out, err = run(capsys, "run", "--routine", "warm-up", "--commands", str(commands),
                         "--db", db)  # fmt: skip
    assert code == 0, err
    assert "You're ready to pump. Say start to begin Massage-Stroke-Shake" in out
    assert "Starting Massage-Stroke-Shake" in out
    _, out, _ = run(capsys, "history", "--db", db, "--json")
    assert [(s["routine"], s["pumping"], s["total_ml"]) for s in json.loads(out)] == [
        ("warm-up", False, 0),
        ("mss", True, 60.0),
    ]
    _, out, _ = run(capsys, "history", "--db", db)
    assert "before pumping" in out
    _, out, _ = run(capsys, "stats", "--db", db, "--days", "3")
    today = next(line for line in out.splitlines() if date.today().isoformat() in line)
    assert today.split("│")[2].strip() == "1"  # sessions that day
    assert "warm-up" not in out
