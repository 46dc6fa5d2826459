"""Routine files: the built-ins are safe and faithful, and a broken file is one clear sentence."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from assistant.errors import RoutineError
from assistant.routines.loader import (
    BUILTIN_DIR,
    discover,
    find_routine,
    format_location,
    load_routine_file,
)
from assistant.routines.model import Routine
from assistant.session.effects import StepEnded, StepEntered
from assistant.session.machine import CUE_GAP_S
from assistant.session.plan import build_plan
from assistant.session.replies import segment_cue
from tests.fakes import Driver, spoken

BUILT_IN_NAMES = ("blocked-duct", "four-steps", "hands-on", "mss", "warm-up")
SEED_DOCUMENTS = {"massage-while-pumping.txt", "milk-production-four-steps.txt"}
SEEDS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
"""Where the source texts sit when the repo is cloned with shared/ beside it."""

VALID = """\
name = "mine"
title = "Mine"
summary = "A short test routine."
safety = ["Be gentle."]

[[sources]]
title = "T"
credit = "C"
document = "massage-while-pumping.txt"

[[steps]]
id = "first"
title = "First"
cue = "Do the first thing."
duration_s = 60

[[steps]]
id = "second"
title = "Second"
cue = "Do the second thing."
duration_s = 30
side = "each"
"""
"""A small valid routine that the broken-file cases each damage in one place."""


def write(folder: Path, file_name: str, text: str) -> Path:
    path = folder / file_name
    path.write_text(text, encoding="utf-8")
    return path


def builtin(name: str) -> Routine:
    return load_routine_file(BUILTIN_DIR / f"{name}.toml")


def spoken_texts(routine: Routine) -> Iterator[str]:
    """Everything a routine says aloud or shows as its own prose (not the source citations)."""
    yield routine.summary
    yield from routine.safety
    for step in routine.all_steps:
        yield step.cue
        yield from (reminder.text for reminder in step.reminders)


# --- the built-ins ------------------------------------------------------------------------


def test_the_package_ships_exactly_the_five_built_ins() -> None:
    """Each built-in routine is a TOML file in the package folder, named after the routine."""
    assert tuple(sorted(p.stem for p in BUILTIN_DIR.glob("*.toml"))) == BUILT_IN_NAMES


@pytest.mark.parametrize("name", BUILT_IN_NAMES)
def test_every_built_in_loads_and_validates(name: str) -> None:
    """A built-in passes the schema and its name matches its file."""
    routine = builtin(name)
    assert routine.name == name
    assert routine.title and routine.summary and routine.when
    assert "\n" not in routine.summary


@pytest.mark.parametrize("name", BUILT_IN_NAMES)
@pytest.mark.parametrize(
    ("topic", "words"),
    [
        ("gentleness", ("gentl",)),
        ("never painful", ("hurt", "pain")),
        ("the nipple", ("nipple",)),
        ("a lactation consultant", ("lactation consultant",)),
    ],
)
def test_every_built_in_has_the_basic_safety_cues(
    name: str, topic: str, words: tuple[str, ...]
) -> None:
    """Safety cues say: be gentle, it must not hurt, leave the nipple alone, ask a consultant."""
    safety = " ".join(builtin(name).safety).lower()
    assert any(word in safety for word in words), f"{name} safety never mentions {topic}"


@pytest.mark.parametrize("name", BUILT_IN_NAMES)
def test_every_built_in_credits_a_known_seed_document(name: str) -> None:
    """Each routine is built from at least one of the two seed files; a source with no file
    is published guidance it keeps to, cited by title."""
    sources = builtin(name).sources
    documents = {source.document for source in sources} - {None}
    assert documents and documents <= SEED_DOCUMENTS


@pytest.mark.parametrize("name", BUILT_IN_NAMES)
def test_every_spoken_line_is_short_and_easy_for_speech(name: str) -> None:
    """Cues are one to three sentences with no digits, brackets or symbols TTS stumbles on."""
    for text in spoken_texts(builtin(name)):
        sentences = [s for s in re.split(r"[.!?]+", text) if s.strip()]
        assert 1 <= len(sentences) <= 3, text
        assert not re.search(r"[0-9()\[\]{}/&%#*<>@=+_~|\\]", text), text


@pytest.mark.parametrize("name", BUILT_IN_NAMES)
def test_no_reminder_repeats_what_the_machine_already_says(name: str) -> None:
    """Halfway and thirty-seconds-left are automatic, so reminders never duplicate them."""
    for step in builtin(name).all_steps:
        for reminder in step.reminders:
            text = reminder.text.lower()
            assert "halfway" not in text and "seconds left" not in text


def test_mss_pumps_massages_strokes_shakes_twice_then_pumps_again() -> None:
    """Massage-Stroke-Shake: two rounds of pump, massage, stroke, shake, then back to pumping."""
    routine = builtin("mss")
    assert routine.cycles == 2
    assert [step.id for step in routine.steps] == ["pump", "massage", "stroke", "shake"]
    assert [step.id for step in routine.final_steps] == ["pump-again"]
    assert [s.step_id for s in build_plan(routine).segments] == [
        "pump",
        "massage",
        "stroke",
        "shake",
        "pump",
        "massage",
        "stroke",
        "shake",
        "pump-again",
    ]
    assert 300 <= routine.steps[0].duration_s <= 420
    assert all(step.side == "both" for step in routine.all_steps)
    assert "la leche league" in " ".join(s.credit for s in routine.sources).lower()


def test_four_steps_is_done_one_breast_at_a_time() -> None:
    """The four steps are a per-breast routine: the whole list for one breast, then the other."""
    routine = builtin("four-steps")
    assert routine.sides == "each"
    assert len(routine.steps) == 4


@pytest.mark.parametrize(("name", "step_id"), [("hands-on", "knead"), ("warm-up", "palm-press")])
def test_one_breast_steps_switch_sides(name: str, step_id: str) -> None:
    """Kneading and the palm press are done on each breast in turn."""
    step = next(s for s in builtin(name).steps if s.id == step_id)
    assert step.side == "each"


def test_the_blocked_duct_routine_names_no_product() -> None:
    """The vibrator is described, never advertised: no brand and no web address."""
    routine = builtin("blocked-duct")
    text = " ".join([*spoken_texts(routine), *(s.credit for s in routine.sources)]).lower()
    assert "billy" not in text and "www" not in text and "http" not in text


def test_the_blocked_duct_routine_keeps_to_current_clinical_guidance() -> None:
    """ABM Clinical Protocol #36 (2022): light strokes toward the armpit, no deep or firm
    massage, a clinician for fever, redness or a lump that stays; the leaflet's vibrator
    tip stays. Every cue is short."""
    routine = builtin("blocked-duct")
    cues = [step.cue.lower() for step in routine.steps]
    said = " ".join(spoken_texts(routine)).lower()
    assert any("armpit" in cue and "light" in cue for cue in cues)
    assert "vibrator" in said
    assert not any(word in cue for cue in cues for word in ("firm", "deep", "hard", "nipple"))
    for warning in ("fever", "redness", "doctor"):
        assert warning in " ".join(routine.safety).lower() and warning in cues[-1]
    assert any("Protocol #36" in source.title for source in routine.sources)
    assert all(len(cue.split()) <= 25 for cue in cues)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(words: list[str], length: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def test_no_spoken_line_copies_eight_words_from_the_sources() -> None:
    """Every cue, reminder, safety line and summary is in our own words, not the seeds'."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"source texts not found at {SEEDS_DIR}; they live in the shared folder")
    seed_runs: set[tuple[str, ...]] = set()
    for document in SEED_DOCUMENTS:
        seed_runs |= _runs(_words((SEEDS_DIR / document).read_text(encoding="utf-8")), 8)
    copied = [
        (name, text)
        for name in BUILT_IN_NAMES
        for text in spoken_texts(builtin(name))
        if _runs(_words(text), 8) & seed_runs
    ]
    assert copied == []


# --- broken files -------------------------------------------------------------------------

Edit = Callable[[str], str]


def _replace(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return edit


@pytest.mark.parametrize(
    ("file_name", "edit", "expected"),
    [
        pytest.param(
            "mine.toml",
            lambda _: 'name = "mine"\ntitle =\n',
            ("not valid TOML", "line 2"),
            id="bad-toml",
        ),
        pytest.param(
            "mine.toml",
            _replace('summary = "A short test routine."\n', ""),
            ("summary: is missing",),
            id="missing-field",
        ),
        pytest.param(
            "mine.toml",
            _replace("duration_s = 60", "duration_s = -5"),
            ("steps[0].duration_s: must be at least 5 (got -5)",),
            id="negative-duration",
        ),
        pytest.param(
            "mine.toml",
            _replace('side = "each"', 'side = "middle"'),
            ("steps[1].side: must be", '"middle"'),
            id="unknown-side",
        ),
        pytest.param(
            "mine.toml",
            _replace(
                "duration_s = 60\n",
                'duration_s = 60\nreminders = [{ after_s = 90, text = "Late." }]\n',
            ),
            ("steps[0]", "reminder at 90 s"),
            id="reminder-after-the-step-ends",
        ),
        pytest.param(
            "mine.toml",
            _replace('id = "second"', 'id = "first"'),
            ("step id 'first' is used twice",),
            id="duplicate-step-id",
        ),
        pytest.param(
            "other.toml",
            lambda text: text,
            ("other.toml", 'name: is "mine"'),
            id="name-not-matching-file",
        ),
        pytest.param(
            "mine.toml",
            lambda text: 'colour = "pink"\n' + text,
            ("colour: is not a field",),
            id="unknown-extra-key",
        ),
        pytest.param(
            "mine.toml",
            _replace("duration_s = 30\n", 'duration_s = 30\nspeed = "fast"\n'),
            ("steps[1].speed: is not a field",),
            id="unknown-key-in-a-step",
        ),
        pytest.param(
            "mine.toml",
            _replace('name = "mine"', 'name = "My Routine"'),
            ("name: must be lowercase",),
            id="name-not-a-slug",
        ),
        pytest.param("mine.toml", lambda _: "# nothing yet\n", ("empty",), id="empty-file"),
        pytest.param(
            "mine.toml",
            lambda text: text + "deep = " + "[" * 2000 + "]" * 2000 + "\n",
            ("not valid TOML, its tables and arrays nest more than 8 deep",),
            id="nested-deeper-than-python-recurses",
        ),
        pytest.param(
            "mine.toml",
            lambda text: text + "deep = " + "[" * 9 + "]" * 9 + "\n",
            ("nest more than 8 deep",),
            id="nested-deeper-than-a-routine-needs",
        ),
        pytest.param(
            "mine.toml",
            _replace("duration_s = 60", "duration_s = " + "9" * 5000),
            ("not valid TOML, it holds a number with too many digits",),
            id="an-integer-of-5000-digits",
        ),
        pytest.param(
            "mine.toml",
            _replace("duration_s = 60", "duration_s = " + "9" * 4000),
            ("steps[0].duration_s: must be at most 3600 (got 9999999999",),
            id="an-integer-of-4000-digits",
        ),
        pytest.param(
            "mine.toml",
            _replace(
                "duration_s = 60\n",
                'duration_s = 60\nreminders = [{ after_s = nan, text = "Now." }]\n',
            ),
            ("steps[0].reminders[0].after_s: must be a number (got nan)",),
            id="a-reminder-at-nan-seconds",
        ),
        pytest.param(
            "mine.toml",
            _replace('title = "First"', 'title = "First\\u001b[2J"'),
            ("steps[0].title: must be words without control characters",),
            id="an-escape-sequence-in-a-title",
        ),
        pytest.param(
            "mine.toml",
            _replace('cue = "Do the first thing."', 'cue = "Do\\u0000 it."'),
            ("steps[0].cue: must be words without control characters",),
            id="a-nul-in-a-cue",
        ),
        pytest.param(
            "mine.toml",
            _replace("duration_s = 60\n", "duration_s = 3600\nrepetitions = 5\n"),
            ("a routine may last at most 4 hours",),
            id="a-routine-of-five-hours",
        ),
        pytest.param(
            "mine.toml",
            lambda text: (
                text
                + "".join(
                    f'[[final_steps]]\nid = "s{n}"\ntitle = "S"\ncue = "C."\nduration_s = 5\n'
                    for n in range(31)
                )
            ),
            ("final_steps: must have at most 30 entries",),
            id="thirty-one-final-steps",
        ),
    ],
)
def test_a_broken_file_is_one_sentence_naming_the_file_and_field(
    tmp_path: Path, file_name: str, edit: Edit, expected: tuple[str, ...]
) -> None:
    """A bad routine file raises RoutineError: one line, the file's name, then what is wrong."""
    path = write(tmp_path, file_name, edit(VALID))
    with pytest.raises(RoutineError) as caught:
        load_routine_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message and "validation error" not in message
    for part in expected:
        assert part in message


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """Some Windows editors start UTF-8 with a byte-order mark; it is not part of the TOML."""
    path = tmp_path / "mine.toml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert load_routine_file(path).name == "mine"


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("/dev/zero", "is not a regular file (a device or a pipe), so it is not a routine file"),
        ("fifo.toml", "is not a regular file (a device or a pipe), so it is not a routine file"),
        ("folder.toml", "is a folder, not a routine file"),
        ("huge.toml", "is too large: a routine file may be at most 1 MB"),
        (
            "latin1.toml",
            "is not UTF-8 text (the byte at offset 12, on line 1, is 0xe9); "
            "save it as UTF-8 in your text editor",
        ),
    ],
)
def test_a_file_that_is_no_routine_file_is_refused_without_reading_it_all(
    tmp_path: Path, where: str, expected: str
) -> None:
    """/dev/zero was read until memory ran out; a FIFO would wait for a writer for ever; text
    that is not UTF-8 names where it goes wrong."""
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "huge.toml").write_text("# " + "x" * 1_000_000 + "\n")
    (tmp_path / "latin1.toml").write_bytes('title = "Caf\u00e9"\n'.encode("latin-1"))
    path = Path(where) if where.startswith("/") else tmp_path / where
    with pytest.raises(RoutineError) as caught:
        load_routine_file(path)
    assert str(caught.value) == f"{path}: {expected}"


def test_a_deeply_nested_file_never_hides_the_other_routines(tmp_path: Path) -> None:
    """A file nested 2,000 deep raised RecursionError, and `routines` listed nothing at all."""
    write(tmp_path, "mine.toml", VALID)
    write(tmp_path, "deep.toml", "a = " + "[" * 2000 + "]" * 2000 + "\n")
    routines, errors = discover(tmp_path)
    assert [r.name for r in routines] == sorted([*BUILT_IN_NAMES, "mine"])
    assert [str(error) for error in errors] == [
        f"{tmp_path / 'deep.toml'}: not valid TOML, its tables and arrays nest more than 8 deep"
    ]


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    """Loading a path that does not exist names it, rather than raising FileNotFoundError."""
    with pytest.raises(RoutineError, match=r"nowhere\.toml: no such routine file"):
        load_routine_file(tmp_path / "nowhere.toml")


def test_the_valid_example_really_is_valid(tmp_path: Path) -> None:
    """The broken-file cases start from a routine that loads, so each fails for its own reason."""
    routine = load_routine_file(write(tmp_path, "mine.toml", VALID))
    assert [step.id for step in routine.steps] == ["first", "second"]


@pytest.mark.parametrize(
    ("loc", "shown"),
    [
        (("summary",), "summary"),
        (("steps", 2, "duration_s"), "steps[2].duration_s"),
        (("steps", 0, "reminders", 1, "after_s"), "steps[0].reminders[1].after_s"),
        ((), ""),
    ],
)
def test_error_locations_read_like_the_toml(loc: tuple[int | str, ...], shown: str) -> None:
    """Pydantic's location tuples become dotted, indexed paths."""
    assert format_location(loc) == shown


# --- discovering and finding ----------------------------------------------------------------


@pytest.mark.parametrize("user_dir", [None, Path("/nonexistent/pumpcoach/routines")])
def test_without_a_user_folder_only_the_built_ins_are_found(user_dir: Path | None) -> None:
    """No folder, or one not created yet, is not an error: she just has no routines of her own."""
    routines, errors = discover(user_dir)
    assert tuple(r.name for r in routines) == BUILT_IN_NAMES
    assert errors == []


def test_a_user_routine_is_discovered_alongside_the_built_ins(tmp_path: Path) -> None:
    """Her own TOML files join the built-ins, sorted by name."""
    write(tmp_path, "mine.toml", VALID)
    routines, errors = discover(tmp_path)
    assert [r.name for r in routines] == sorted([*BUILT_IN_NAMES, "mine"])
    assert errors == []


def test_a_user_routine_overrides_the_built_in_of_the_same_name(tmp_path: Path) -> None:
    """When she saves her own mss.toml, hers is the mss she gets."""
    write(tmp_path, "mss.toml", VALID.replace('"mine"', '"mss"').replace('"Mine"', '"My MSS"'))
    routines, errors = discover(tmp_path)
    assert [r.name for r in routines] == list(BUILT_IN_NAMES) and errors == []
    assert next(r for r in routines if r.name == "mss").title == "My MSS"
    assert find_routine("mss", tmp_path).title == "My MSS"


def test_a_broken_user_file_is_reported_while_the_others_still_load(tmp_path: Path) -> None:
    """One bad file lands in the error list; her good files and the built-ins are unaffected."""
    write(tmp_path, "mine.toml", VALID)
    write(tmp_path, "broken.toml", 'name = "broken"\n')
    routines, errors = discover(tmp_path)
    assert [r.name for r in routines] == sorted([*BUILT_IN_NAMES, "mine"])
    assert len(errors) == 1
    assert "broken.toml" in str(errors[0]) and "is missing" in str(errors[0])


def test_asking_for_a_broken_user_routine_by_name_says_what_is_wrong(tmp_path: Path) -> None:
    """Naming her own broken routine gives that file's problem, not "no such routine"."""
    write(tmp_path, "broken.toml", 'name = "broken"\n')
    with pytest.raises(RoutineError, match=r"broken\.toml: title: is missing"):
        find_routine("broken", tmp_path)


@pytest.mark.parametrize(
    ("ask", "expected"),
    [
        pytest.param("mss", "mss", id="built-in-by-name"),
        pytest.param("MSS", "mss", id="name-in-capitals"),
        pytest.param("mine", "mine", id="own-by-name"),
        pytest.param("{dir}/mine.toml", "mine", id="by-path"),
        pytest.param(str(BUILTIN_DIR / "warm-up.toml"), "warm-up", id="built-in-by-path"),
    ],
)
def test_find_routine_takes_a_name_or_a_path(tmp_path: Path, ask: str, expected: str) -> None:
    """A name is looked up among all routines; anything path-like is loaded as a file."""
    user_dir = tmp_path / "routines"
    user_dir.mkdir()
    write(user_dir, "mine.toml", VALID)
    assert find_routine(ask.format(dir=user_dir), user_dir).name == expected


def test_a_path_that_does_not_exist_is_not_mistaken_for_a_name(tmp_path: Path) -> None:
    """`something.toml` that is not there says the file is missing."""
    with pytest.raises(RoutineError, match="no such routine file"):
        find_routine(str(tmp_path / "gone.toml"), None)


def test_an_unknown_name_lists_the_available_routines(tmp_path: Path) -> None:
    """The error for an unknown name says which names she can use, in one sentence."""
    write(tmp_path, "mine.toml", VALID)
    with pytest.raises(RoutineError) as caught:
        find_routine("nope", tmp_path)
    message = str(caught.value)
    assert '"nope"' in message and "\n" not in message
    for name in [*BUILT_IN_NAMES, "mine"]:
        assert name in message


@pytest.mark.parametrize("name", BUILT_IN_NAMES)
def test_flanges_go_back_on_only_after_a_cue_took_them_off(name: str) -> None:
    """ "Flanges back on" after a cue that never said to take them off confuses her."""
    plan = build_plan(find_routine(name, None))
    off = False
    for segment in plan.segments:
        cue = segment.cue.lower()
        if "flanges back on" in cue:
            assert off, f"{segment.step_id}: {segment.cue}"
        if "flanges back on" in cue or "flanges on" in cue:
            off = False
        if "flanges away" in cue or "flanges off" in cue:
            off = True


@pytest.mark.parametrize("name", BUILT_IN_NAMES)
def test_no_two_reminders_crowd_each_other(name: str) -> None:
    """In four-steps, "Halfway through this step." and a tip both fell at 0:30."""
    plan = build_plan(find_routine(name, None))
    driver = Driver(plan=plan)
    driver.say(0, "start")
    reminders: list[tuple[int, float]] = []
    t = 0.0
    while driver.state.phase == "running":
        t += 0.5
        produced = driver.tick(t)
        if not any(isinstance(e, StepEntered | StepEnded) for e in produced):
            reminders += [(driver.state.index, t) for _ in spoken(produced)]
    for (step_a, a), (step_b, b) in pairwise(reminders):
        assert step_a != step_b or b - a >= CUE_GAP_S, (step_a, a, b)


def test_a_step_done_again_is_not_read_in_full_again() -> None:
    """Three 20-second "New position" steps read the whole instruction three times."""
    plan = build_plan(find_routine("four-steps", None))
    said = [segment_cue(plan, s) for s in plan.segments if s.step_id == "new-position"]
    assert len(said) == 6  # three on each side
    firsts = [text for text in said if ", 1 of 3." in text]
    again = [text for text in said if ", 1 of 3." not in text]
    assert all(len(text) < len(firsts[0]) / 2 for text in again), said
