"""The `pumpcoach` command line, run as a user would: real routines, real SQLite files."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from assistant.cli.live_view import LiveView
from assistant.cli.main import build_parser, main
from assistant.routines.loader import find_routine
from assistant.session.plan import build_plan
from assistant.session.snapshot import Snapshot
from assistant.store.sqlite_store import SessionStore

SCRIPT = """\
# a whole session, typed in advance
5 pause
20 resume
30 next
40 say that again
50 where am i
60 how much time is left
70 skip
80 skip
90 skip
100 skip
110 skip
120 skip
130 skip
140 skip
150 honey can you bring me some water
160 log left forty right thirty five
170 finish
"""


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def events_of(out: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def commands_file(tmp_path: Path) -> Path:
    path = tmp_path / "commands.txt"
    path.write_text(SCRIPT)
    return path


def test_a_scripted_session_runs_from_start_to_a_logged_yield(
    tmp_path: Path, commands_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`run --events-json` walks the routine on the virtual clock and stores the yield."""
    db = tmp_path / "log.sqlite3"
    code, out, err = run_cli(
        capsys,
        "run",
        "--routine",
        "mss",
        "--commands",
        str(commands_file),
        "--db",
        str(db),
        "--events-json",
    )
    assert code == 0, err
    events = events_of(out)
    types = [e["type"] for e in events]
    assert types[0] == "session_started" and types[-1] == "session_saved"
    intents = [e["intent"] for e in events if e["type"] == "command"]
    assert intents[:6] == ["pause", "resume", "next", "repeat", "status", "time_left"]
    assert {
        "t": 150.0,
        "type": "unrecognized",
        "text": "honey can you bring me some water",
    } in events
    logged = [e for e in events if e["type"] == "yield_logged"]
    assert logged == [
        {
            "t": 160.0,
            "type": "yield_logged",
            "entry": 1,
            "amounts_ml": {"left": 40.0, "right": 35.0},
            "total_ml": 75.0,
        }
    ]
    assert any(e["type"] == "cue" and e["text"].startswith("Logged 75 millilitres") for e in events)
    assert events[-1]["total_ml"] == 75.0 and events[-1]["outcome"] == "completed"
    assert all(isinstance(e["t"], float | int) for e in events)

    code, out, err = run_cli(capsys, "history", "--db", str(db), "--json")
    assert code == 0, err
    [session] = json.loads(out)
    assert session["routine"] == "mss"
    assert session["yields_ml"] == {"left": 40.0, "right": 35.0}
    assert session["total_ml"] == 75.0
    assert session["started_at"] < session["ended_at"]


@pytest.mark.parametrize(
    ("answer", "yields"),
    [
        ("sixty five", {"total": 65.0}),
        ("about seventy", {"total": 70.0}),
        ("a hundred and ten", {"total": 110.0}),
        ("around two ounces", {"total": 59.15}),
        ("forty and thirty five", {"left": 40.0, "right": 35.0}),
    ],
)
def test_asked_how_much_she_answers_with_the_amount_alone(
    answer: str, yields: dict[str, float], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """She stopped, and the coach asked how much milk she got: the amount alone answers."""
    commands = tmp_path / "commands.txt"
    commands.write_text(f"5 stop\n6 yes\n9 {answer}\n12 finish\n")
    db = tmp_path / "db.sqlite3"
    code, out, err = run_cli(
        capsys, "run", "--routine", "mss", "--commands", str(commands), "--db", str(db)
    )
    assert code == 0, err
    assert f"you: {answer}\n" in out, out
    code, out, err = run_cli(capsys, "history", "--db", str(db), "--json")
    [session] = json.loads(out)
    assert session["yields_ml"] == yields


def test_without_commands_the_routine_runs_itself_and_the_session_is_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty commands file still walks every step on its own, then saves the session."""
    empty = tmp_path / "none.txt"
    empty.write_text("")
    code, out, _ = run_cli(
        capsys,
        "run",
        "--routine",
        "warm-up",
        "--commands",
        str(empty),
        "--db",
        str(tmp_path / "db.sqlite3"),
        "--events-json",
    )
    assert code == 0
    events = events_of(out)
    entered = [(e["step_id"], e["side"]) for e in events if e["type"] == "step_entered"]
    plan = build_plan(find_routine("warm-up", None))
    assert entered == [(s.step_id, s.side) for s in plan.segments]
    assert {"left", "right"} <= {side for _, side in entered}
    assert [e["how"] for e in events if e["type"] == "step_ended"] == ["done"] * len(entered)
    assert events[-1]["type"] == "session_saved"
    assert events[-1]["total_ml"] == 0


def test_the_human_transcript_shows_cues_and_commands(
    tmp_path: Path, commands_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(
        capsys,
        "run",
        "--routine",
        "mss",
        "--commands",
        str(commands_file),
        "--db",
        str(tmp_path / "db.sqlite3"),
    )
    assert code == 0
    assert " 2:40  you: log left forty right thirty five" in out
    assert "(not a command)" in out
    assert "Saved session 1 (completed): 75 ml" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("twelve next\n", "commands.txt:1: expected `SECONDS TEXT`"),
        ("5 next\n-3 pause\n", "commands.txt:2: expected `SECONDS TEXT`"),
        ("5\n", "commands.txt:1: expected `SECONDS TEXT`"),
        ("1e300 next\n", "commands.txt:1: expected `SECONDS TEXT` with SECONDS from 0 to 86400"),
        ("5 pause\ninf resume\n", "commands.txt:2: expected `SECONDS TEXT` with SECONDS from 0"),
        (
            b"5 pause\n\xff\xfe next\n",
            "commands.txt is not UTF-8 text (the byte at offset 8, on line 2, is 0xff)",
        ),
        ("#" * 1_000_001, "commands.txt is too large: a commands file may be at most 1 MB."),
    ],
)
def test_a_bad_commands_file_is_one_clear_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    """Bytes that are not UTF-8 raised UnicodeDecodeError; a line at 1e300 s ticked for ever."""
    path = tmp_path / "commands.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = run_cli(
        capsys, "run", "--routine", "mss", "--commands", str(path), "--db", str(tmp_path / "d.db")
    )
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_a_commands_file_may_start_with_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Notepad's UTF-8 starts with a byte-order mark, which made line 1 a bad line."""
    path = tmp_path / "commands.txt"
    path.write_bytes(b"\xef\xbb\xbf5 pause\n10 resume\n")
    code, out, err = run_cli(
        capsys, "run", "--routine", "mss", "--commands", str(path), "--db", str(tmp_path / "d.db")
    )
    assert code == 0, err
    assert "you: pause" in out and "you: resume" in out


@pytest.mark.parametrize("flag", ["--commands", "--routine", "--config"])
@pytest.mark.parametrize("where", ["/dev/zero", "fifo", "folder"])
def test_a_device_a_pipe_or_a_folder_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, where: str
) -> None:
    """`--commands /dev/zero` (or --routine, --config) read until memory ran out."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    commands = tmp_path / "commands.txt"
    commands.write_text("5 pause\n")
    given = where if where.startswith("/") else str(tmp_path / where)
    files = {"--commands": str(commands), "--routine": "mss"} | {flag: given}
    config = ["--config", given] if flag == "--config" else []
    argv = ["run", "--routine", files["--routine"], "--commands", files["--commands"]]
    code, out, err = run_cli(capsys, *config, *argv, "--db", str(tmp_path / "d.db"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and given in err
    assert "is not a regular file" in err or "is a folder" in err
    assert not (tmp_path / "d.db").exists()


BRACKETED = """name = "evening"
title = "Evening [short] [/]"
summary = "Quick [bold]one[/bold], [red]."
when = "before bed [b"
safety = ["Gently [/i] now."]
[[sources]]
title = "[T]"
credit = "C\\\\"
[[steps]]
id = "first"
title = "First [1/2]"
cue = "Do [this]."
duration_s = 60
"""
"""Square brackets everywhere rich would read markup: a closing tag with nothing open raised
MarkupError, and "Evening [short]" was shown as "Evening "."""


def test_square_brackets_in_a_routine_are_shown_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`routines` and `show` print a routine's words exactly, whatever brackets they hold."""
    monkeypatch.setenv("COLUMNS", "250")  # so that no table cell wraps
    (tmp_path / "evening.toml").write_text(BRACKETED)
    code, out, err = run_cli(capsys, "routines", "--routines-dir", str(tmp_path))
    assert code == 0 and err == ""
    assert "Evening [short] [/]" in out and "Quick [bold]one[/bold]," in out
    code, out, err = run_cli(capsys, "show", str(tmp_path / "evening.toml"))
    assert code == 0 and err == ""
    for words in ("Evening [short] [/]", "[red].", "before bed [b", "[/i]", "[1/2]", "[this]"):
        assert words in out
    assert "C\\ — [T]" in out


def test_a_broken_file_named_with_brackets_is_listed_as_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The skipped file's sentence was printed as markup: the path `a[/x].toml` holds a closing
    tag, and raised MarkupError."""
    (tmp_path / "a[").mkdir()
    (tmp_path / "a[" / "x].toml").write_text("name = 1\n")
    code, out, err = run_cli(capsys, "routines", "--routines-dir", str(tmp_path / "a["))
    assert code == 0 and err == ""
    assert "Skipped: " in out and "a[/x].toml" in out.replace("\n", "")


def test_the_live_view_shows_a_bracketed_title_as_written() -> None:
    """`start` with a routine titled with a closing tag raised MarkupError on the first frame:
    a blank screen, and the session was gone."""
    screen = io.StringIO()
    view = LiveView(Console(file=screen, force_terminal=True, width=120), hint="type [/] help")
    frame = Snapshot(
        routine="Evening [/short]",
        phase="running",
        step="Step 1 of 2: [b]Pump",
        step_left_s=5,
        step_duration_s=10,
        routine_left_s=20,
        last_heard="",
        last_said="",
        logged_ml=0,
        question=None,
    )
    view.on_frame(1.0, frame)
    view.close()
    assert "Pump Coach · Evening [/short]" in screen.getvalue()
    assert "type [/] help" in screen.getvalue()


def test_an_unknown_routine_names_the_ones_there_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.txt"
    path.write_text("")
    code, _, err = run_cli(
        capsys, "run", "--routine", "nope", "--commands", str(path), "--db", str(tmp_path / "d.db")
    )
    assert code == 2
    assert "nope" in err and "mss" in err
    assert err.count("\n") == 1


def test_a_broken_routine_file_names_the_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "mine.toml"
    broken.write_text('name = "mine"\ntitle = "Mine"\n')
    code, _, err = run_cli(capsys, "show", str(broken))
    assert code == 2
    assert "mine.toml" in err and "summary" in err
    assert "Traceback" not in err


def test_routines_lists_every_built_in(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run_cli(capsys, "routines", "--routines-dir", str(tmp_path))
    assert code == 0
    for name in ("mss", "hands-on", "four-steps", "warm-up", "blocked-duct"):
        assert name in out


def test_show_prints_steps_safety_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "show", "mss")
    assert code == 0
    assert "Safety" in out and "Sources" in out and "La Leche League" in out


@pytest.mark.parametrize("name", ["mss", "hands-on", "four-steps", "warm-up", "blocked-duct"])
def test_show_lists_every_step_the_session_runs(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`show mss` listed 4 steps while the session said "Step 1 of 5" and ran "Pump again"."""
    code, out, _ = run_cli(capsys, "show", name)
    assert code == 0
    routine = find_routine(name, None)
    shown = re.findall(r"^  (\d+)\. (.+?) \(", out, flags=re.MULTILINE)
    assert shown == [(str(i), s.title) for i, s in enumerate(routine.all_steps, start=1)]


def test_history_of_an_empty_database_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    SessionStore(tmp_path / "new.db").close()
    code, out, _ = run_cli(capsys, "history", "--db", str(tmp_path / "new.db"))
    assert code == 0 and "No sessions yet" in out
    code, out, _ = run_cli(capsys, "history", "--db", str(tmp_path / "new.db"), "--json")
    assert json.loads(out) == []


def _subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(action.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", _subcommands())
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`pumpcoach COMMAND --help` describes the command and exits cleanly."""
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert f"pumpcoach {command}" in out and len(out.splitlines()) > 3


@pytest.mark.slow
def test_the_console_script_and_python_dash_m_both_work(tmp_path: Path) -> None:
    """`python -m assistant` runs the same CLI as the installed `pumpcoach` script."""
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "routines", "--routines-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "four-steps" in result.stdout
    script = Path(sys.executable).with_name("pumpcoach")
    if script.exists():
        result = subprocess.run(
            [str(script), "--version"], capture_output=True, text=True, timeout=60
        )
        assert result.stdout.startswith("pumpcoach ")


def test_pumpcoach_alone_prints_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys)
    assert code == 0 and err == ""
    assert out.startswith("usage: pumpcoach") and "start" in out and "history" in out


@pytest.mark.parametrize("cycles", ["0", "-1", "11", "1000000000", "two"])
def test_a_round_count_is_checked_before_a_session_is_opened(
    cycles: str, tmp_path: Path, commands_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--cycles 0 ended in a traceback and left a session with no end in her history."""
    db = tmp_path / "db.sqlite3"
    argv = ["run", "--routine", "mss", "--commands", str(commands_file), "--db", str(db)]
    with pytest.raises(SystemExit) as exited:
        run_cli(capsys, *argv, "--cycles", cycles)
    assert exited.value.code == 2
    assert "give a whole number of rounds from 1 to 10" in capsys.readouterr().err
    assert not db.exists()


def test_unit_on_run_says_and_shows_ounces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commands = tmp_path / "commands.txt"
    commands.write_text("5 stop\n6 yes\n8 log 2 oz\n12 finish\n")
    db = str(tmp_path / "db.sqlite3")
    argv = ["run", "--routine", "mss", "--commands", str(commands), "--db", db, "--unit", "oz"]
    code, out, err = run_cli(capsys, *argv)
    assert code == 0, err
    assert "coach: Logged 2 ounces." in out
    assert "Saved session 1 (stopped_early): 2 oz" in out
