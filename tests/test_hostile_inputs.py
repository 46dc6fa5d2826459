"""Hostile inputs: whatever she (or a stray file) hands Pump Coach, the answer is a result or one
sentence, never a traceback.

Four kinds are fuzzed, each with a fixed number of generated examples (`max_examples`, run
derandomized so CI sees the same inputs every time): commands files, routine files, settings
files and command lines. Together they are FUZZ_EXAMPLES inputs. The tables beside them pin the
inputs issue 18 reported, each of which raised a traceback, hung or ate memory before.
"""

from __future__ import annotations

import contextlib
import io
import math
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.cli.main import main
from assistant.config import CONFIG_ENV, load_settings, settings_toml
from assistant.errors import CommandsFileError, ConfigError, RoutineError
from assistant.routines.loader import discover, load_routine_file
from assistant.runtime.script import LATEST_S, read_commands
from assistant.session.plan import build_plan
from assistant.settings import RecognitionSettings, Settings
from assistant.store.sqlite_store import SessionStore

EXAMPLES = {"commands files": 2000, "routine files": 2000, "settings files": 2000, "argv": 2000}
"""Generated inputs per kind; `run` is fuzzed apart with RUN_EXAMPLES more."""
RUN_EXAMPLES = 200
FUZZ_EXAMPLES = sum(EXAMPLES.values()) + RUN_EXAMPLES
"""8,200 generated inputs in all."""


def fuzzed(kind: str) -> settings:
    """The same examples every run (CI must not turn red on a new random draw), no deadline
    (a slow first example is the import, not a hang)."""
    return settings(
        max_examples=EXAMPLES[kind],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- the pieces of hostile text ------------------------------------------------------------

NASTY_TEXT = st.text(
    st.one_of(
        st.sampled_from(list("[]/\\\"'#=.,-_ \t\n\r{}")),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
    ),
    max_size=30,
)
"""Brackets (rich markup), backslashes, quotes, control characters, any Unicode."""

NASTY_NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.integers(-(2**80), 2**80),
    st.sampled_from([0, -1, 2**63, 10**300, 10**4000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.inf, -math.inf, math.nan, 1e308, -1e308, 5e-324]),
)


def nested(depth: int) -> Any:
    return [nested(depth - 1)] if depth else 1


NASTY_VALUES = st.one_of(
    NASTY_NUMBERS,
    NASTY_TEXT,
    st.booleans(),
    st.lists(st.one_of(NASTY_NUMBERS, NASTY_TEXT), max_size=3),
    st.integers(1, 12).map(nested),
)


def toml_value(value: Any) -> str:
    """A value written as TOML (inline tables and arrays), however odd the value is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    assert isinstance(value, dict)
    pairs = ", ".join(
        f"{toml_string(str(key))} = {toml_value(item)}" for key, item in value.items()
    )
    return "{ " + pairs + " }"


def toml_string(text: str) -> str:
    escaped = (
        "\\" + char
        if char in '"\\'
        else f"\\u{ord(char):04x}"
        if ord(char) < 0x20 or ord(char) == 0x7F
        else char
        for char in text
    )
    return '"' + "".join(escaped) + '"'


def toml_document(values: dict[str, Any]) -> str:
    return "".join(f"{toml_string(key)} = {toml_value(value)}\n" for key, value in values.items())


def one_sentence(message: str) -> None:
    """What every error must be: one line, no traceback, no pydantic report."""
    assert message and "\n" not in message, message
    assert "Traceback" not in message and "validation error" not in message, message


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the whole module: hypothesis reruns a test in it, file by file."""
    return tmp_path_factory.mktemp("hostile")


# -- commands files ------------------------------------------------------------------------

COMMAND_LINES = st.lists(
    st.tuples(
        st.one_of(NASTY_NUMBERS.map(str), st.sampled_from(["", "12.5", "1_0", "0x10", "-0"])),
        NASTY_TEXT,
    ).map(lambda pair: f"{pair[0]} {pair[1]}"),
    max_size=8,
).map("\n".join)

COMMANDS_BYTES = st.one_of(
    st.binary(max_size=200),
    st.tuples(
        st.sampled_from([b"", b"\xef\xbb\xbf"]),
        COMMAND_LINES,
        st.sampled_from(["utf-8", "utf-16", "utf-32", "latin-1", "cp1252", "shift_jis"]),
    ).map(lambda parts: parts[0] + parts[1].encode(parts[2], errors="replace")),
)


@fuzzed("commands files")
@given(content=COMMANDS_BYTES)
def test_any_commands_file_gives_lines_or_one_sentence(folder: Path, content: bytes) -> None:
    """Random bytes, any encoding, any BOM: timed lines within a day, or CommandsFileError."""
    path = folder / "commands.txt"
    path.write_bytes(content)
    try:
        lines = read_commands(path)
    except CommandsFileError as error:
        one_sentence(str(error))
        return
    assert all(0 <= line.t <= LATEST_S and line.text == line.text.strip() for line in lines)
    assert all(line.text for line in lines)


# -- routine files -------------------------------------------------------------------------


WORDS = st.lists(
    st.one_of(
        st.sampled_from(["[", "]", "[short]", "[/]", "[b]", "[/b]", "[link=x]", "\\", '"', " "]),
        st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
    ),
    min_size=1,
    max_size=12,
).map("".join)
"""Words a routine may hold: markup-like brackets, backslashes and quotes among any printable
Unicode."""


ONE_IN_TEN = st.sampled_from([*[False] * 9, True])
"""Hostile one time in ten (an integer strategy would favour its bounds)."""


def routine_values(draw: Any) -> dict[str, Any]:
    """A routine close enough to valid that many load (and are then planned and shown) and the
    rest fail on one field or two; each value is hostile one time in ten."""

    def maybe(good: Any) -> Any:
        return draw(NASTY_VALUES) if draw(ONE_IN_TEN) else good

    def words() -> str:
        return str(draw(NASTY_TEXT if draw(ONE_IN_TEN) else WORDS))

    def step(number: int) -> dict[str, Any]:
        values = {
            "id": maybe(f"s{number}"),
            "title": words()[:40],
            "cue": words(),
            "duration_s": maybe(draw(st.integers(5, 3600))),
            "side": maybe(draw(st.sampled_from(["both", "each", "left", "right"]))),
        }
        if draw(st.booleans()):
            values["repetitions"] = maybe(draw(st.integers(1, 3)))
        if draw(st.booleans()):
            values["reminders"] = [{"after_s": maybe(2.5), "text": words()}]
        return values

    values: dict[str, Any] = {
        "name": maybe("mine"),
        "title": words(),
        "summary": words(),
        "when": words(),
        "cycles": maybe(draw(st.integers(1, 3))),
        "safety": [words()],
        "sources": [{"title": words(), "credit": words()}],
        "steps": [step(n) for n in range(0 if draw(ONE_IN_TEN) else draw(st.integers(1, 4)))],
    }
    if draw(ONE_IN_TEN):
        values[draw(st.sampled_from([*values, "extra"]))] = draw(NASTY_VALUES)
    return values


ROUTINE_DOCUMENTS = st.composite(lambda draw: toml_document(routine_values(draw)).encode())()
ROUTINE_FILES = st.one_of(
    *[ROUTINE_DOCUMENTS] * 3,  # three in six: mostly routines nearly valid, so fields are checked
    st.binary(max_size=200),
    NASTY_TEXT.map(lambda text: text.encode("utf-8", errors="replace")),
    st.integers(1, 3000).map(lambda depth: ("a = " + "[" * depth + "]" * depth).encode()),
)


@fuzzed("routine files")
@given(content=ROUTINE_FILES)
def test_any_routine_file_gives_a_routine_or_one_sentence(folder: Path, content: bytes) -> None:
    """A routine that loads can be planned, and `show` and `routines` print its words as
    written, whatever brackets they hold; anything else is one RoutineError sentence naming
    the file, and `routines` still lists the built-ins beside it."""
    path = folder / "routines" / "mine.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    try:
        routine = load_routine_file(path)
    except RoutineError as error:
        one_sentence(str(error))
        assert str(error).startswith(f"{path}: ")
        listed, skipped = discover(path.parent)
        assert "mss" in [found.name for found in listed] and len(skipped) == 1
        return
    assert build_plan(routine, 10).total_s <= 10 * 4 * 3600
    for argv in (["show", str(path)], ["routines", "--routines-dir", str(path.parent)]):
        code, out, err = run_main(argv)
        assert code == 0 and err == "", (argv, err)
        assert routine.title in out, (argv, routine.title, out)


# -- settings files ------------------------------------------------------------------------

SETTING_KEYS = st.sampled_from([*Settings.model_fields, "recognition", "nonsense", ""])
RECOGNITION_KEYS = st.sampled_from([*RecognitionSettings.model_fields, "nonsense"])

SETTINGS_FILES = st.one_of(
    st.dictionaries(SETTING_KEYS, NASTY_VALUES, max_size=4).map(toml_document),
    st.tuples(
        st.dictionaries(SETTING_KEYS, NASTY_VALUES, max_size=2),
        st.dictionaries(RECOGNITION_KEYS, NASTY_VALUES, max_size=4),
    ).map(lambda parts: toml_document(parts[0]) + "[recognition]\n" + toml_document(parts[1])),
    NASTY_TEXT,
    st.integers(1, 3000).map(lambda depth: "a = " + "[" * depth + "]" * depth),
)


@fuzzed("settings files")
@given(text=SETTINGS_FILES)
def test_any_settings_file_gives_finite_settings_or_one_sentence(folder: Path, text: str) -> None:
    """Settings that load hold only finite numbers and read back from `pumpcoach config`'s
    TOML unchanged; anything else is one ConfigError sentence naming the file."""
    path = folder / "config.toml"
    path.write_bytes(text.encode("utf-8", errors="replace"))
    try:
        loaded = load_settings(path)
    except ConfigError as error:
        one_sentence(str(error))
        assert str(path) in str(error)
        return
    numbers = [*loaded.model_dump().values(), *loaded.recognition.model_dump().values()]
    assert all(math.isfinite(value) for value in numbers if isinstance(value, int | float))
    shown = tomllib.loads(settings_toml(loaded, {}))
    assert Settings.model_validate(shown) == loaded


# -- command lines -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def places(folder: Path) -> Iterator[dict[str, str]]:
    """An empty database, a settings file, a quick commands file and a folder; her own data
    and config folders point into the temporary folder, so nothing of a real user's is read."""
    db = folder / "empty.sqlite3"
    SessionStore(db).close()
    quick = folder / "quick.txt"
    quick.write_text("1 stop\n2 yes\n")
    config = folder / "settings.toml"
    config.write_text('unit = "oz"\n')
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(folder / "data"))
        patch.setenv("XDG_CONFIG_HOME", str(folder / "config"))
        patch.setenv(CONFIG_ENV, str(folder / "none.toml"))
        yield {"db": str(db), "quick": str(quick), "config": str(config), "folder": str(folder)}


# fmt: off
TYPED = [
    "0", "-1", "1", "10", "11", "31", "3660", "3661", "9999999", "1000000000",
    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e308", "inf",
    "-inf", "nan", "0001-01-01", "9999-12-31", "1970-01-01", "2024-02-30", "7d", "0d",
    "9999999d", "99999999999999999999999d", "", " ", "[/]", "[bold]", "\\", "/dev/zero",
    "/dev/null", "/nonexistent/x", "ml", "oz", "mss", "hands-on", "-", "--", "-y",
]
# fmt: on
"""Values a tired hand (or a script gone wrong) types: limits and one past them, dates, markup."""
NEAR_LIMITS = st.builds(
    lambda power, step, sign: str(sign * (2**power + step)),
    st.sampled_from([0, 7, 8, 15, 16, 31, 32, 53, 63, 64, 100]),
    st.integers(-1, 1),
    st.sampled_from([1, 1, -1]),
)
"""Whole numbers at and either side of the powers of two where integer types end (SQLite's
2**63 among them) and where a double stops counting in ones (2**53)."""
TOKENS = st.one_of(
    st.sampled_from(TYPED),
    NEAR_LIMITS,
    st.integers(-(2**70), 2**70).map(str),
    st.dates().map(str),
    st.integers(-10, 10**8).map(lambda days: f"{days}d"),
    st.floats().map(repr),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\0")),
)
"""A value on the command line: typed ones, numbers near limits, any date from year 1 to 9999,
any number of days back, any float, any text (argv never holds a NUL)."""

COMMANDS: dict[str, list[str]] = {
    "history": ["--since", "--routine", "--unit"],
    "history-edit": ["--left", "--right", "--total", "--yes", "--unit"],
    "stats": ["--days", "--unit"],
    "plot": ["--days", "--unit", "--out"],
    "report": ["--days", "--unit", "--out"],
    "show": ["--routines-dir"],
    "routines": ["--routines-dir"],
    "config": [],
    "hear": ["--json", "--all", "--engine", "--model"],
}  # fmt: skip
"""Each command's options; every one of them also gets --db and --config pointed at the
temporary folder, and hostile values in their place."""
HISTORY_MODES: dict[str, list[str | None]] = {
    "history": [None, "--json", "--csv"],
    "history-edit": ["--edit", "--delete", "--restore"],
}
"""`history` lists, or changes one session: its modes exclude each other, so each line gets
one at most, with the options that go with it, and most lines get past argparse."""

FLAGS_WITHOUT_VALUE = {"--json", "--csv", "--yes", "--all"}
DAY_LIMITS = ["0001-01-01", "9999-12-31", "1969-12-31", "1970-01-01", "0d", "3660d", "3661d"]
"""The ends of the calendar and of what --since takes."""
WHOLE_NUMBERS = st.one_of(NEAR_LIMITS, NEAR_LIMITS, TOKENS)
FLAG_VALUES = {
    "--edit": WHOLE_NUMBERS,
    "--delete": WHOLE_NUMBERS,
    "--restore": WHOLE_NUMBERS,
    "--days": WHOLE_NUMBERS,
    "--since": st.one_of(st.sampled_from(DAY_LIMITS), st.dates().map(str), TOKENS),
    "--unit": st.one_of(st.sampled_from(["ml", "oz"]), TOKENS),
    "--engine": st.one_of(st.sampled_from(["vosk", "pocketsphinx"]), TOKENS),
}
"""Values that hit what each flag means more often than any token would: numbers near the
ends of integer types for ids and day counts, any date for --since, a real choice for a flag
with choices half the time (or argparse refuses the line before anything else is tried)."""


@st.composite
def command_lines(draw: Any, places: dict[str, str]) -> list[str]:
    command = draw(st.sampled_from(sorted(COMMANDS)))
    argv: list[str] = []
    if draw(st.booleans()):
        settings_file = [places["config"], places["config"], places["config"], places["folder"]]
        argv += ["--config", draw(st.sampled_from(settings_file))]
    argv.append(command.removesuffix("-edit"))
    if command == "show":
        argv.append(draw(st.one_of(TOKENS, st.sampled_from(["mss", places["folder"]]))))
    if command == "hear":  # never a real recording: that would load an engine
        argv.append(draw(st.sampled_from(["/nonexistent/her.wav", places["folder"]])))
    if command in ("history", "history-edit", "stats", "plot", "report"):
        argv += ["--db", places["db"]]
    mode = draw(st.sampled_from(HISTORY_MODES[command])) if command in HISTORY_MODES else None
    if mode is not None:
        argv.append(mode)
        if mode not in FLAGS_WITHOUT_VALUE:
            argv.append(draw(FLAG_VALUES[mode]))
    options = COMMANDS[command] or ["--db"]
    if mode in ("--delete", "--restore"):  # new amounts go with --edit alone
        options = ["--yes", "--unit"]
    for flag in draw(st.lists(st.sampled_from(options), max_size=3, unique=True)):
        argv.append(flag)
        if flag not in FLAGS_WITHOUT_VALUE:
            argv.append(draw(FLAG_VALUES.get(flag, TOKENS)))
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(0, len(argv))), draw(TOKENS))
    return argv


def run_main(argv: list[str]) -> tuple[int, str, str]:
    """The real entry point, with nothing to read on stdin and a wide screen (so no table cell
    wraps); argparse's own exit (2, or 0 for --help) counts as an exit code. Returns the code
    and what was printed on stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(sys, "stdin", io.StringIO(""))
        patch.setenv("COLUMNS", "1000")
        try:
            code = main(argv)
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@fuzzed("argv")
@given(data=st.data())
def test_any_command_line_exits_0_or_2_without_a_traceback(
    places: dict[str, str], data: st.DataObject
) -> None:
    """history, stats, plot, report, show, routines, config and hear with hostile values."""
    argv = data.draw(command_lines(places))
    code, _, err = run_main(argv)
    assert code in (0, 2), (argv, err)
    assert "Traceback" not in err, (argv, err)


RUN_OPTIONS = ["--cycles", "--unit", "--note", "--rate", "--volume", "--routine", "--commands"]


@settings(
    max_examples=RUN_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_scripted_run_with_hostile_options_exits_0_or_2(
    places: dict[str, str], data: st.DataObject
) -> None:
    """`run` on the virtual clock (no microphone, no speakers), from a commands file that
    stops at once, with hostile --cycles, --rate, --volume, --routine and --commands."""
    argv = ["run", "--db", str(Path(places["folder"]) / "runs.sqlite3")]
    chosen = data.draw(st.dictionaries(st.sampled_from(RUN_OPTIONS), TOKENS, max_size=3))
    chosen.setdefault("--routine", "mss")
    chosen.setdefault("--commands", places["quick"])
    for flag, value in chosen.items():
        argv += [flag, value]
    code, _, err = run_main(argv)
    assert code in (0, 2), (argv, err)
    assert "Traceback" not in err, (argv, err)


# -- the inputs issue 18 reported ----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["history", "--since", "0001-01-01"], "--since takes a day from 1970-01-01 to today"),
        (["history", "--since", "9999999d"], "or a number of days from 1d to 3660d"),
        (["stats", "--days", "9999999"], "--days takes a number of days between 1 and 3660"),
        (["plot", "--days", "9999999", "--out", "x.png"], "between 1 and 3660, not 9999999."),
        (["report", "--days", "0", "--out", "x.pdf"], "--days takes a number of days between"),
        (["history", "--edit", "9223372036854775808", "--total", "5"], "from 1 to 9223372036"),
        (["history", "--delete", "9223372036854775808", "--yes"], "--delete takes a session"),
        (["history", "--restore", "9223372036854775808"], "--restore takes a session number"),
    ],
)
def test_dates_and_ids_out_of_range_are_one_sentence_stating_the_limit(
    places: dict[str, str], argv: list[str], sentence: str
) -> None:
    """Each raised ValueError or OverflowError from deep in datetime or SQLite."""
    code, _, err = run_main([*argv, "--db", places["db"]])
    assert code == 2 and sentence in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--routine", "mss", "--commands", "/dev/zero"],
        ["run", "--routine", "/dev/zero", "--commands", "QUICK"],
        ["--config", "/dev/zero", "run", "--routine", "mss", "--commands", "QUICK"],
        ["run", "--routine", "mss", "--commands", "QUICK", "--cycles", "1000000000"],
    ],
)
def test_nothing_is_read_or_built_without_limit(places: dict[str, str], argv: list[str]) -> None:
    """/dev/zero was read until MemoryError; a billion rounds were unrolled into memory."""
    db = Path(places["folder"]) / "never.sqlite3"
    given = [places["quick"] if word == "QUICK" else word for word in argv]
    code, _, err = run_main([*given, "--db", str(db)])
    last = err.splitlines()[-1]
    assert code == 2 and "Traceback" not in err and last.startswith("pumpcoach")
    assert "at most 1 MB" in last or "not a regular file" in last or "from 1 to 10" in last
    assert not db.exists()


def test_the_fuzz_generates_at_least_eight_thousand_inputs() -> None:
    """The figure issue 18's note quotes (with ~2,000 WAV headers fuzzed elsewhere)."""
    assert FUZZ_EXAMPLES >= 8000
