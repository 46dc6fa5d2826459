"""Her settings file: TOML onto the frozen Settings, flags over it, one sentence per mistake."""

from __future__ import annotations

import json
import math
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from assistant.cli.main import main
from assistant.config import CONFIG_ENV, default_config_path, load_settings, settings_toml
from assistant.errors import ConfigError
from assistant.settings import RecognitionSettings, Settings
from assistant.store.sqlite_store import SessionStore


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    """A missing settings file is not an error: every value is its default."""
    assert load_settings(tmp_path / "absent.toml") == Settings()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('unit = "oz"', {"unit": "oz"}),
        ("rate_wpm = 140\nvolume = 0.5", {"rate_wpm": 140, "volume": 0.5}),
        ("volume = 1", {"volume": 1.0}),
        ('default_routine = "hands-on"', {"default_routine": "hands-on"}),
        ('input_device = "USB"', {"input_device": "USB"}),
        ('voice = "gmw/en-us"', {"voice": "gmw/en-us"}),
    ],
)
def test_values_in_the_file_replace_the_defaults(
    tmp_path: Path, text: str, expected: dict[str, object]
) -> None:
    """Top-level keys are Settings' own field names."""
    assert load_settings(write(tmp_path, text)) == Settings.model_validate(expected)


def test_recognition_thresholds_come_from_their_own_table(tmp_path: Path) -> None:
    """`[recognition]` sets RecognitionSettings; unset thresholds keep their defaults."""
    loaded = load_settings(write(tmp_path, "[recognition]\nonset_db = 7.5\ngate_tail_s = 0.6\n"))
    assert loaded.recognition.onset_db == 7.5 and loaded.recognition.gate_tail_s == 0.6
    assert loaded.recognition.offset_db == RecognitionSettings().offset_db


def test_paths_expand_home_and_are_read_from_the_files_folder(tmp_path: Path) -> None:
    """`~` is her home; a relative path is next to the settings file, not the working folder."""
    loaded = load_settings(write(tmp_path, 'db_path = "logs/mine.db"\nroutines_dir = "~/r"\n'))
    assert loaded.db_path == tmp_path / "logs" / "mine.db"
    assert loaded.routines_dir == Path.home() / "r"


@pytest.mark.parametrize("key", ["db_path", "routines_dir", "vosk_model", "whisper_model"])
def test_every_path_setting_is_read_from_the_files_folder(tmp_path: Path, key: str) -> None:
    """`whisper_model = "models/w"` was taken from the working folder."""
    loaded = load_settings(write(tmp_path, f'{key} = "here/there"\n'))
    assert getattr(loaded, key) == tmp_path / "here" / "there"


def test_command_line_values_override_the_file(tmp_path: Path) -> None:
    """Defaults, then the file, then the flags."""
    path = write(tmp_path, 'unit = "oz"\nrate_wpm = 140\n')
    loaded = load_settings(path, {"rate_wpm": 200})
    assert (loaded.unit, loaded.rate_wpm) == ("oz", 200)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("rate_wpm = 400", "`rate_wpm` must be between 80 and 300 words a minute, not 400."),
        ("rate_wpm = 10", "`rate_wpm` must be between 80 and 300 words a minute, not 10."),
        ("rate_wpm = 150.5", "`rate_wpm` must be a whole number, not 150.5."),
        ('rate_wpm = "fast"', '`rate_wpm` must be a whole number, not "fast".'),
        ("volume = 2", "`volume` must be between 0 and 1, not 2."),
        ('unit = "OZ"', "`unit` must be 'ml' or 'oz', not \"OZ\"."),
        ("unit = 3", "`unit` must be 'ml' or 'oz', not 3."),
        ("default_routine = 5", "`default_routine` must be text in quotes, not 5."),
        ("[recognition]\nonset_db = -1", "`recognition.onset_db` must be between 0.1 and 40 dB"),
        ("[recognition]\nmin_confidence = 2", "`recognition.min_confidence` must be between 0"),
        ('recognition = "loud"', "`recognition` must be a table of settings"),
        ("colour = 1", "`colour` is not a setting; the settings are: rate_wpm, volume,"),
        ("[recognition]\nloud = 1", "`recognition.loud` is not a setting; the settings are: onset"),
        ("volume = 2\nrate_wpm = 400", "(and 1 more)"),
    ],
)
def test_a_bad_value_is_one_sentence_naming_the_key(
    tmp_path: Path, text: str, sentence: str
) -> None:
    """The file's path, the key, what it must be and what it was: one line, no traceback."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert sentence in message and message.startswith(str(path))
    assert "\n" not in message and message.endswith(".")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('unit = "oz', "(at end of document)"),
        ("unit = oz", "(at line 1, column 8)"),
        ("[recognition\n", "(at line 1, column 13)"),
    ],
)
def test_broken_toml_says_where(tmp_path: Path, text: str, where: str) -> None:
    """A syntax error names the file and where in it the mistake is."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(f"{path} is not valid TOML: ") and where in message


def test_an_unreadable_file_is_one_sentence(tmp_path: Path) -> None:
    """A folder where the file should be (or bytes that are not text) is a ConfigError."""
    (tmp_path / "config.toml").mkdir()
    with pytest.raises(ConfigError, match="Cannot read the settings file"):
        load_settings(tmp_path / "config.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(binary)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        (
            "[recognition]\nhangover_s = inf",
            "`recognition.hangover_s` must be between 0.02 and 5 seconds, not inf.",
        ),
        (
            "[recognition]\npreroll_s = 1e308",
            "`recognition.preroll_s` must be between 0 and 2 seconds, not 1e+308.",
        ),
        ("[recognition]\ntrail_s = inf", "`recognition.trail_s` must be between 0 and 5 seconds"),
        ("[recognition]\nonset_db = inf", "`recognition.onset_db` must be between 0.1 and 40 dB"),
        (
            "[recognition]\noffset_db = nan",
            "`recognition.offset_db` must be between 0.1 and 40 dB, not nan.",
        ),
        (
            "[recognition]\nmax_speech_s = -inf",
            "`recognition.max_speech_s` must be between 1 and 60 seconds, not -inf.",
        ),
        ("[recognition]\ndenoise_smoothing = 1", "must be at least 0 and less than 1, not 1."),
        ("[recognition]\nask_margin = 1e308", "`recognition.ask_margin` must be between 0 and 50"),
        ("volume = nan", "`volume` must be between 0 and 1, not nan."),
        ("rate_wpm = " + "9" * 100, "words a minute, not " + "9" * 37 + "...."),
        ('db_path = "a\\u0000b"', "`db_path` must be a path without a NUL character"),
        ('voice = "\\u001b[2J"', "`voice` must be text without control characters"),
    ],
)
def test_every_number_has_a_finite_range_stated_in_the_sentence(
    tmp_path: Path, text: str, sentence: str
) -> None:
    """inf or 1e308 for hangover_s overflowed inside `hear`, and onset_db = inf left the
    recognizer deaf without a word: every number has a range, and the sentence states it."""
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text))
    message = str(caught.value)
    assert sentence in message and "\n" not in message and len(message) < 200


def test_every_number_setting_has_both_bounds_and_refuses_infinity() -> None:
    """So a new number setting cannot be added without a range."""
    for model in (Settings, RecognitionSettings):
        for name, field in model.model_fields.items():
            if field.annotation in (int, float):
                bounds = {type(rule).__name__ for rule in field.metadata}
                assert "Ge" in bounds and bounds & {"Le", "Lt"}, name
                with pytest.raises(ValidationError):
                    model.model_validate({name: math.inf})


def fifo_at(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: Path("/dev/zero"), "it is not a regular file (a device or a pipe)"),
        (lambda p: p.mkdir() or p, "it is a folder, not a settings file."),
        (fifo_at, "it is not a regular file"),
        (lambda p: p.write_text("#" * 1_000_001) and p, "a settings file may be at most 1 MB."),
        (
            lambda p: p.write_text("a = " + "[" * 2000 + "]" * 2000) and p,
            "is not valid TOML: its tables and arrays nest more than 8 deep.",
        ),
        (lambda p: p.write_text("rate_wpm = " + "9" * 5000) and p, "too many digits"),
    ],
)
def test_a_file_that_is_no_settings_file_is_one_sentence(
    tmp_path: Path, make: Any, reason: str
) -> None:
    """/dev/zero was read until memory ran out; nesting 2,000 deep raised RecursionError."""
    path = make(tmp_path / "config.toml")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(path) in str(caught.value) and reason in str(caught.value)


def test_a_byte_order_mark_is_not_part_of_the_settings(tmp_path: Path) -> None:
    """Notepad's UTF-8 starts with a byte-order mark; the file reads as if it had none."""
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbfunit = "oz"\n')
    assert load_settings(path).unit == "oz"


def test_a_bad_flag_names_the_flag(tmp_path: Path) -> None:
    """When a flag is the bad value, the sentence names the flag as she typed it."""
    with pytest.raises(ConfigError, match=r"^--rate must be between 80 and 300 .*, not 1000\.$"):
        load_settings(tmp_path / "none.toml", {"rate_wpm": 1000}, {"rate_wpm": "--rate"})


KEYS = sorted(Settings.model_fields)
TOML_VALUES = st.one_of(
    st.integers(-1000, 1000),
    st.floats(-10, 1000, allow_nan=False),
    st.booleans(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=10),
    st.lists(st.integers(-5, 5), max_size=2),
)


def toml_value(value: object) -> str:
    """JSON's spelling of these values is also TOML's."""
    return repr(value) if isinstance(value, float) else json.dumps(value, ensure_ascii=False)


@settings(max_examples=150, deadline=None)
@given(key=st.sampled_from([*KEYS, "nonsense"]), value=TOML_VALUES)
def test_any_value_for_any_key_gives_settings_or_a_sentence_naming_it(
    key: str, value: object
) -> None:
    """Whatever she writes, the result is Settings or one ConfigError sentence naming that key."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        path.write_text(f"{key} = {toml_value(value)}\n", encoding="utf-8")
        try:
            load_settings(path)
        except ConfigError as error:
            message = str(error)
            assert f"`{key}" in message and message.endswith(".") and "\n" not in message


@settings(max_examples=60, deadline=None)
@given(
    unit=st.sampled_from(["ml", "oz"]),
    rate=st.integers(80, 300),
    volume=st.floats(0, 1, allow_nan=False),
    onset=st.floats(0.1, 30, allow_nan=False),
    routine=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
)
def test_the_values_shown_read_back_as_the_same_settings(
    unit: str, rate: int, volume: float, onset: float, routine: str
) -> None:
    """`pumpcoach config` prints TOML that, pasted into the file, gives the same settings."""
    given_settings = Settings.model_validate(
        {
            "unit": unit,
            "rate_wpm": rate,
            "volume": volume,
            "default_routine": routine,
            "recognition": {"onset_db": onset},
        }
    )
    text = settings_toml(given_settings, {"unit": unit})
    assert Settings.model_validate(tomllib.loads(text)) == given_settings
    assert f'unit = "{unit}"  # from your file' in text


def test_the_config_file_lives_in_her_config_folder_unless_the_environment_says(
    tmp_path: Path,
) -> None:
    """$PUMPCOACH_CONFIG wins; otherwise config.toml in the platform's user config folder."""
    assert default_config_path({CONFIG_ENV: str(tmp_path / "x.toml")}) == tmp_path / "x.toml"
    default = default_config_path({})
    assert default.name == "config.toml" and default.parent.name == "pumpcoach"


# -- the command --------------------------------------------------------------------------


def test_config_shows_the_path_and_every_value_in_effect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The output names the file and says which values came from it."""
    path = write(tmp_path, 'unit = "oz"\n[recognition]\nonset_db = 8.0\n')
    code = main(["--config", str(path), "config"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"# Settings file: {path}\n" in out
    assert 'unit = "oz"  # from your file' in out and "rate_wpm = 165  # default" in out
    assert "onset_db = 8.0  # from your file" in out
    assert "# db_path is not set: " in out


def test_config_says_when_there_is_no_file_yet(capsys: pytest.CaptureFixture[str]) -> None:
    """With no file the defaults are shown, and the path is marked as not created yet."""
    assert main(["config"]) == 0
    assert "(not created yet)" in capsys.readouterr().out


def test_a_bad_settings_file_stops_any_command_with_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exit code 2 and the sentence on stderr, for `config` and for every other command."""
    path = write(tmp_path, "volume = 3\n")
    monkeypatch.setenv(CONFIG_ENV, str(path))
    for argv in (["config"], ["history", "--db", str(tmp_path / "s.db")]):
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert captured.err == f"pumpcoach: {path}: `volume` must be between 0 and 1, not 3.\n"
        assert "Traceback" not in captured.err


def test_the_unit_in_the_file_is_used_and_the_flag_overrides_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """unit = "oz" shows ounces; --unit ml on the command line shows millilitres."""
    path = write(tmp_path, 'unit = "oz"\n')
    db = str(tmp_path / "s.db")
    SessionStore(db).close()
    main(["--config", str(path), "history", "--db", db, "--csv"])
    assert "total_oz" in capsys.readouterr().out
    main(["--config", str(path), "history", "--db", db, "--csv", "--unit", "ml"])
    assert "total_ml" in capsys.readouterr().out
