"""`pumpcoach history`: the table, filters, the JSON contract, CSV, and fixing a session."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.cli.common import since_day
from assistant.cli.history_edits import corrected
from assistant.cli.main import main
from assistant.cli.shown_words import amounts_text
from assistant.errors import UsageError
from assistant.store.sqlite_store import SessionStore

CONTRACT_KEYS = {"routine", "started_at", "ended_at", "yields_ml", "total_ml"}


def local(*parts: int) -> datetime:
    """A moment on the test machine's own clock (the CLI shows her local time)."""
    return datetime(*parts).astimezone()  # type: ignore[arg-type]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Three sessions: sides, a total only, and one with nothing logged."""
    path = tmp_path / "s.sqlite3"
    with SessionStore(path) as store:
        for start, routine, amounts in (
            (local(2024, 5, 6, 7, 10), "mss", {"left": 40.0, "right": 35.0}),
            (local(2024, 5, 7, 10, 5), "hands-on", {"total": 90.0}),
            (local(2024, 5, 8, 13, 0), "mss", None),
        ):
            sid = store.begin_session(routine, start)
            if amounts is not None:
                store.log_yield(sid, 1, amounts, start + timedelta(minutes=20))
            store.end_session(sid, start + timedelta(minutes=24), "completed")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_table_shows_day_time_routine_minutes_and_each_side(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One row a session, with its id for --edit; sides not said are a dash."""
    code, out, _ = run(capsys, "history", "--db", str(db))
    assert code == 0
    lines = [line for line in out.splitlines() if "2024-05" in line]
    cells = [[cell.strip() for cell in line.strip("│ ").split("│")] for line in lines]
    assert cells == [
        ["1", "2024-05-06", "07:10", "mss", "24", "40", "35", "75"],
        ["2", "2024-05-07", "10:05", "hands-on", "24", "—", "—", "90"],
        ["3", "2024-05-08", "13:00", "mss", "24", "—", "—", "not logged"],
    ]
    assert "amounts in ml" in out


def test_the_table_can_show_ounces(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--unit oz converts what is shown; nothing stored changes."""
    _, out, _ = run(capsys, "history", "--db", str(db), "--unit", "oz")
    assert "amounts in oz" in out
    row = next(line for line in out.splitlines() if "2024-05-06" in line)
    assert [c.strip() for c in row.strip("│ ").split("│")][-3:] == ["1.4", "1.2", "2.5"]


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ([], [1, 2, 3]),
        (["--since", "2024-05-07"], [2, 3]),
        (["--since", "2024-05-09"], []),
        (["--routine", "mss"], [1, 3]),
        (["--routine", "mss", "--since", "2024-05-07"], [3]),
        (["--routine", "warm-up"], []),
    ],
)
def test_filters_apply_to_every_output(
    db: Path, capsys: pytest.CaptureFixture[str], filters: list[str], ids: list[int]
) -> None:
    """--since and --routine narrow the JSON, the CSV and the table alike."""
    _, out, _ = run(capsys, "history", "--db", str(db), "--json", *filters)
    assert [session["id"] for session in json.loads(out)] == ids
    _, out, _ = run(capsys, "history", "--db", str(db), "--csv", *filters)
    assert [int(row["id"]) for row in csv.DictReader(io.StringIO(out))] == ids
    _, out, _ = run(capsys, "history", "--db", str(db), *filters)
    assert ("No sessions match." in out) == (not ids)


def test_json_is_the_contract_in_millilitres_whatever_her_unit(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`history --json` keeps the DESIGN.md shape and ml amounts even when she uses oz."""
    config = tmp_path / "config.toml"
    config.write_text('unit = "oz"\n')
    _, out, _ = run(capsys, "--config", str(config), "history", "--db", str(db), "--json")
    sessions = json.loads(out)
    assert all(set(session) >= CONTRACT_KEYS for session in sessions)
    assert [s["yields_ml"] for s in sessions] == [{"left": 40, "right": 35}, {"total": 90}, {}]
    assert [s["total_ml"] for s in sessions] == [75, 90, 0]
    started = local(2024, 5, 6, 7, 10).astimezone(UTC)
    assert sessions[0]["started_at"] == started.isoformat(timespec="microseconds")


def test_csv_opens_as_a_spreadsheet_with_plain_numbers(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header, one row a session, numbers a spreadsheet can sum, blanks for "not said"."""
    _, out, _ = run(capsys, "history", "--db", str(db), "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "id", "date", "time", "routine", "outcome", "minutes",
        "left_ml", "right_ml", "no_side_ml", "total_ml",
        "started_at_utc", "ended_at_utc", "notes",
    ]  # fmt: skip
    assert [(r["left_ml"], r["right_ml"], r["no_side_ml"], r["total_ml"]) for r in rows] == [
        ("40.0", "35.0", "0.0", "75.0"),
        ("", "", "90.0", "90.0"),
        ("", "", "", ""),
    ]
    assert [r["date"] for r in rows] == ["2024-05-06", "2024-05-07", "2024-05-08"]
    assert float(rows[0]["minutes"]) == 24.0
    assert out.endswith("\r\n")  # RFC 4180 line ends, as spreadsheets expect


def test_csv_in_ounces_names_the_unit_and_converts_back_exactly(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Columns say `_oz`; the values times 29.5735 give the stored millilitres."""
    _, out, _ = run(capsys, "history", "--db", str(db), "--csv", "--unit", "oz")
    first = next(csv.DictReader(io.StringIO(out)))
    assert round(float(first["total_oz"]) * 29.5735, 2) == 75.0


def test_an_empty_log_says_how_to_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No sessions: a sentence, an empty JSON array, and a CSV with only its header."""
    db = str(tmp_path / "new.db")
    SessionStore(db).close()
    assert (
        "No sessions yet. Start one with: pumpcoach start" in run(capsys, "history", "--db", db)[1]
    )
    assert json.loads(run(capsys, "history", "--db", db, "--json")[1]) == []
    assert run(capsys, "history", "--db", db, "--csv")[1].count("\n") == 1


# -- fixing a session ---------------------------------------------------------------------


def answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def test_an_edit_asks_first_and_then_changes_the_yield(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before and after are shown; "y" changes it; the old amount is in the undo log."""
    answer(monkeypatch, "y\n")
    code, out, _ = run(capsys, "history", "--db", str(db), "--edit", "1", "--left", "45")
    assert code == 0
    question = (
        "Change session 1 (2024-05-06 07:10, mss) from left 40, right 35 ml (75 in all) "
        "to left 45, right 35 ml (80 in all)? [y/N] "
    )
    assert question in out
    with SessionStore(db) as store:
        assert store.session(1).yields_ml == {"left": 45, "right": 35}
        assert [entry.action for entry in store.undo_log()] == ["edited"]


@pytest.mark.parametrize(
    ("given", "said", "changed"),
    [
        (("--total", "600"), "That's more than a breast gives in a session. Change session", True),
        (("--left", "300"), "That's more than a breast gives in a session. Change session", True),
        (
            ("--total", "9000"),
            "9000 ml is more than anyone pumps in a session; nothing changed.",
            False,
        ),
        (("--total", "0"), "Change session 1 (", True),
    ],
)
def test_an_edit_obeys_the_limits_a_session_does(
    db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    given: tuple[str, str],
    said: str,
    changed: bool,
) -> None:
    """An amount past what a breast gives is asked with a warning; an absurd one refused."""
    answer(monkeypatch, "y\n")
    code, out, err = run(capsys, "history", "--db", str(db), "--edit", "1", *given)
    assert said in out + err
    assert (code == 0) == changed
    with SessionStore(db) as store:
        assert (store.session(1).total_ml != 75) == changed


@pytest.mark.parametrize("reply", ["n\n", "\n", "", "nope\n"])
def test_anything_but_yes_changes_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, reply: str
) -> None:
    """No, an empty line or the end of input: "Nothing changed.", exit code 1."""
    answer(monkeypatch, reply)
    code, out, _ = run(capsys, "history", "--db", str(db), "--edit", "2", "--total", "80")
    assert code == 1 and out.endswith("Nothing changed.\n")
    with SessionStore(db) as store:
        assert store.session(2).total_ml == 90 and store.undo_log() == []


def test_yes_skips_the_question_and_amounts_can_be_in_ounces(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--yes does not read the terminal; "3oz" is converted to millilitres for the store."""
    code, out, _ = run(capsys, "history", "--db", str(db), "--edit", "2", "--total", "3oz", "-y")
    assert code == 0 and "[y/N]" not in out
    with SessionStore(db) as store:
        assert store.session(2).yields_ml == {"total": 88.72}


def test_delete_keeps_a_copy_and_restore_brings_it_back(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleted after a "yes"; gone from history; back, unchanged, with --restore."""
    _, before, _ = run(capsys, "history", "--db", str(db), "--json")
    answer(monkeypatch, "yes\n")
    code, out, _ = run(capsys, "history", "--db", str(db), "--delete", "1")
    assert code == 0 and "Delete session 1: 2024-05-06 07:10, mss" in out
    assert "pumpcoach history --restore 1" in out
    ids = [s["id"] for s in json.loads(run(capsys, "history", "--db", str(db), "--json")[1])]
    assert ids == [2, 3]
    code, out, _ = run(capsys, "history", "--db", str(db), "--restore", "1")
    assert code == 0 and out.startswith("Restored session 1: ")
    assert run(capsys, "history", "--db", str(db), "--json")[1] == before


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["--edit", "1"], "Give the new amounts for --edit"),
        (["--left", "40"], "--left, --right and --total give new amounts for --edit ID."),
        (["--delete", "1", "--total", "4"], "give new amounts for --edit ID"),
        (["--edit", "1", "--left", "forty"], "--left: 'forty' is not an amount like 45"),
        (["--edit", "9", "--left", "40", "--yes"], "There is no session 9"),
        (["--delete", "9"], "There is no session 9"),
        (["--restore", "2"], "Session 2 was not deleted"),
        (["--since", "last week"], "--since takes a day from 1970-01-01 to today"),
        (["--since", "0001-01-01"], "--since takes a day from 1970-01-01 to today"),
        (["--since", "9999999d"], "or a number of days from 1d to 3660d, not '9999999d'."),
        (["--since", "9999-12-31"], "--since takes a day from 1970-01-01 to today"),
        (["--edit", "9223372036854775808", "--total", "5", "--yes"], "--edit takes a session"),
        (["--delete", "9223372036854775808", "--yes"], "number from 1 to 9223372036854775807"),
        (["--restore", "9223372036854775808"], "--restore takes a session number from 1"),
        (["--delete", "-5", "--yes"], "--delete takes a session number from 1"),
        (["--edit", "0", "--total", "5", "--yes"], "--edit takes a session number from 1"),
    ],
)
def test_mistakes_are_one_sentence_and_change_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], sentence: str
) -> None:
    """Exit code 2, one line on stderr, the log untouched."""
    code, _, err = run(capsys, "history", "--db", str(db), *argv)
    assert code == 2 and sentence in err and err.count("\n") == 1
    with SessionStore(db) as store:
        assert store.undo_log() == [] and len(store.sessions()) == 3


@pytest.mark.parametrize(
    ("current", "given", "new"),
    [
        ({"left": 40, "right": 35}, {"left": 45}, {"left": 45, "right": 35}),
        ({"left": 40, "right": 35}, {"total": 80}, {"total": 80}),
        ({"total": 90}, {"left": 50}, {"left": 50}),
        ({"total": 90}, {"left": 50, "right": 40}, {"left": 50, "right": 40}),
        ({"left": 40}, {"right": 30, "total": 75}, {"left": 40, "right": 30, "total": 75}),
        ({}, {"total": 60}, {"total": 60}),
    ],
)
def test_a_side_given_keeps_the_other_side_and_a_total_alone_replaces_all(
    current: dict[str, float], given: dict[str, float], new: dict[str, float]
) -> None:
    """The rule for --edit amounts."""
    assert corrected(current, given) == new  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amounts", "total", "unit", "text"),
    [
        ({}, 0, "ml", "nothing logged"),
        ({"total": 90}, 90, "ml", "90 ml"),
        ({"left": 40, "right": 35}, 75, "ml", "left 40, right 35 ml (75 in all)"),
        ({"left": 44.36}, 44.36, "oz", "left 1.5 oz (1.5 in all)"),
    ],
)
def test_amounts_are_described_in_her_unit(
    amounts: dict[str, float], total: float, unit: str, text: str
) -> None:
    assert amounts_text(amounts, total, unit) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-05-01", date(2024, 5, 1)),
        (" 2024-05-01 ", date(2024, 5, 1)),
        ("1d", date(2024, 5, 20)),
        ("7d", date(2024, 5, 14)),
        ("30d", date(2024, 4, 21)),
    ],
)
def test_since_takes_a_date_or_a_number_of_days(text: str, day: date) -> None:
    """7d is the last seven days, today included."""
    assert since_day(text, date(2024, 5, 20)) == day


@given(st.text(max_size=12))
def test_since_never_crashes_on_what_she_types(text: str) -> None:
    """Any text gives a date or a UsageError sentence."""
    try:
        assert isinstance(since_day(text, date(2024, 5, 20)), date)
    except UsageError as error:
        assert str(error).startswith("--since takes a day from 1970-01-01 to today")


def test_a_reader_that_stops_early_ends_the_export_quietly(tmp_path: Path) -> None:
    """`history --csv | head -1`: the reader goes away after one line, and no traceback is
    left on her terminal."""
    db = tmp_path / "many.db"
    start = local(2024, 5, 6, 7, 10)
    with SessionStore(db) as store:
        for day in range(2000):
            sid = store.begin_session("mss", start + timedelta(hours=day))
            store.end_session(sid, start + timedelta(hours=day, minutes=20), "completed")
    app = subprocess.Popen(
        [sys.executable, "-m", "assistant", "history", "--db", str(db), "--csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert app.stdout is not None and app.stderr is not None
    assert app.stdout.readline().startswith(b"id,date")
    app.stdout.close()
    err = app.stderr.read().decode()
    assert app.wait(timeout=60) == 0, err
    assert "Traceback" not in err and err == ""


@pytest.mark.parametrize(
    "argv",
    [
        ("history",),
        ("history", "--json"),
        ("stats",),
        ("plot", "--out", "chart.png"),
        ("report", "--out", "report.pdf"),
        ("history", "--edit", "1", "--total", "60", "-y"),
    ],
)
def test_reading_a_database_that_is_not_there_says_so_and_makes_nothing(
    argv: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped --db used to make its folders and an empty database, which then looked
    like her log was lost."""
    missing = tmp_path / "typo" / "sessions.db"
    code, _, err = run(capsys, *argv, "--db", str(missing))
    assert code == 2
    assert f"There is no session database at {missing}" in err
    assert not (tmp_path / "typo").exists()


def test_her_notes_are_in_the_table_when_any_session_has_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "noted.db"
    with SessionStore(db) as store:
        for note in ("", "tried a warm compress"):
            sid = store.begin_session("mss", local(2024, 5, 6, 7, 10), note)
            store.end_session(sid, local(2024, 5, 6, 7, 30), "completed")
    out = run(capsys, "history", "--db", str(db))[1]
    assert "Notes:\n  2: tried a warm compress" in out


def test_a_routine_name_with_brackets_is_shown_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Square brackets in a routine's name are her words, not rich markup."""
    path = tmp_path / "s.sqlite3"
    with SessionStore(path) as store:
        store.begin_session("eve[/b]", local(2024, 5, 6, 7, 10))
    code, out, err = run(capsys, "history", "--db", str(path))
    assert code == 0 and "eve[/b]" in out and "Traceback" not in err
