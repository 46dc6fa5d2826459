"""Her exports are hers alone: every file Pump Coach writes is created 0600 and every folder it
creates 0700, whatever the umask; a file she names as output is replaced whole, never written
into or chmod-ed; and what it cannot replace is refused before anything changes."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.private_files import (
    SCRATCH_PREFIX,
    private_folder,
    private_output,
    why_not,
)
from assistant.speech.coach_voices import VOICES
from assistant.store.sqlite_store import SessionStore

AS_ROOT = os.geteuid() == 0
SOME_VOICE = next((voice.id for voice in VOICES if voice.installed()), None)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scratch_left(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(SCRATCH_PREFIX)]


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which a plain `open(..., "w")` makes a file everyone can read."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """One logged session this morning, with a note (so the report has its notes page)."""
    path = tmp_path / "log.sqlite3"
    start = datetime.now().astimezone().replace(hour=7, minute=0, second=0, microsecond=0)
    with SessionStore(path) as store:
        sid = store.begin_session("mss", start)
        store.log_yield(sid, 1, {"left": 40, "right": 35}, start + timedelta(minutes=20))
        store.add_note(sid, "left side sore")
        store.end_session(sid, start + timedelta(minutes=22), "completed")
    return path


def foreign_file(folder: Path, name: str) -> Path:
    """Someone's file at `name`, readable by all, with a second name (a hard link) that shows
    whether its own content or mode was ever touched."""
    path = folder / name
    path.write_bytes(b"not Pump Coach's")
    path.chmod(0o644)
    os.link(path, folder / f"{name}.other-name")
    return path


# -- the module ---------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o000, 0o002, 0o022, 0o077])
def test_a_new_file_is_hers_alone_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    """0600 is set when the file is made, so no umask can leave it readable by others."""
    before = os.umask(umask)
    try:
        with private_output(tmp_path / "out.bin") as out:
            out.write(b"data")
    finally:
        os.umask(before)
    assert mode(tmp_path / "out.bin") == 0o600
    assert (tmp_path / "out.bin").read_bytes() == b"data"


def test_missing_folders_are_made_0700_and_an_existing_one_is_left_as_it_is(
    tmp_path: Path, umask_022: None
) -> None:
    """Only the folders it makes are private; a shared folder on the way is not its to change."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    private_folder(shared / "a" / "b")
    assert mode(shared) == 0o755
    assert mode(shared / "a") == 0o700 and mode(shared / "a" / "b") == 0o700
    private_folder(shared / "a" / "b")  # already there: nothing to do
    assert mode(shared / "a" / "b") == 0o700


@pytest.mark.parametrize("target", ["file", "file/below"])
def test_a_folder_path_through_a_file_is_refused(tmp_path: Path, target: str) -> None:
    """A file where a folder should be is an error, not a folder made somewhere else."""
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        private_folder(tmp_path / target)


def test_her_earlier_file_is_replaced_whole_never_written_into(
    tmp_path: Path, umask_022: None
) -> None:
    """A file she names is replaced by a new private one: its old content and mode are left on
    the old file (seen through its other name), and the new one is 0600."""
    old = foreign_file(tmp_path, "report.pdf")
    with private_output(old) as out:
        out.write(b"new")
    assert old.read_bytes() == b"new" and mode(old) == 0o600
    other = tmp_path / "report.pdf.other-name"
    assert other.read_bytes() == b"not Pump Coach's" and mode(other) == 0o644


def test_a_link_she_names_keeps_pointing_at_its_file(tmp_path: Path) -> None:
    """Her symbolic link stays a link; the file it points to gets the new content."""
    (tmp_path / "real.png").write_bytes(b"old")
    (tmp_path / "link.png").symlink_to("real.png")
    with private_output(tmp_path / "link.png") as out:
        out.write(b"new")
    assert (tmp_path / "link.png").is_symlink()
    assert (tmp_path / "real.png").read_bytes() == b"new" and mode(tmp_path / "real.png") == 0o600


def test_a_write_that_fails_midway_leaves_her_file_and_no_scratch(tmp_path: Path) -> None:
    """A full disk while writing: her old file is as it was and the scratch file is gone."""
    old = foreign_file(tmp_path, "chart.png")
    before = sha256(old)
    with pytest.raises(OSError) as caught, private_output(old) as out:
        out.write(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert why_not(caught.value) == "the disk is full"
    assert sha256(old) == before and mode(old) == 0o644
    assert scratch_left(tmp_path) == []


def _folder(path: Path) -> None:
    path.mkdir()


def _pipe(path: Path) -> None:
    os.mkfifo(path)


def _read_only(path: Path) -> None:
    path.write_bytes(b"hers, read-only")
    path.chmod(0o444)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_folder, "it is a folder"),
        (_pipe, "it is not a regular file"),
        pytest.param(
            _read_only,
            "permission denied",
            marks=pytest.mark.skipif(AS_ROOT, reason="root may write any file"),
        ),
    ],
)
def test_what_she_could_not_overwrite_is_refused_untouched(
    tmp_path: Path, make: Callable[[Path], None], reason: str
) -> None:
    """A folder, a pipe or device, or a file she may not write is refused before a scratch
    file is made, and its mode is what it was."""
    path = tmp_path / "out"
    make(path)
    before = path.lstat()
    with pytest.raises(OSError) as caught, private_output(path):
        pytest.fail("nothing may be written")
    assert why_not(caught.value) == reason
    after = path.lstat()
    assert (after.st_mode, after.st_ino, after.st_mtime_ns) == (
        before.st_mode,
        before.st_ino,
        before.st_mtime_ns,
    )
    assert scratch_left(tmp_path) == []


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (errno.ENOENT, "its folder does not exist"),
        (errno.ENOTDIR, "part of its folder path is a file"),
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "the disk is read-only"),
        (errno.EIO, os.strerror(errno.EIO)),
    ],
)
def test_why_a_file_could_not_be_written_reads_as_the_end_of_a_sentence(
    number: int, reason: str
) -> None:
    """Known causes in plain words; anything else as the system words it."""
    assert why_not(OSError(number, os.strerror(number))) == reason


# -- each export, through the command she runs ---------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


EXPORTS = [
    pytest.param(["plot", "--out", "{out}"], "chart.png", id="plot png"),
    pytest.param(["plot", "--out", "{out}"], "chart.svg", id="plot svg"),
    pytest.param(["report", "--out", "{out}"], "report.pdf", id="report pdf"),
]


@pytest.mark.parametrize(("argv", "name"), EXPORTS)
def test_each_export_is_made_0600(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    umask_022: None,
    argv: list[str],
    name: str,
) -> None:
    """A chart or report of her log is readable by her alone, though the umask allows more."""
    out = tmp_path / name
    code, err = run(capsys, *[a.format(out=out) for a in argv], "--db", str(db))
    assert code == 0, err
    assert mode(out) == 0o600 and out.stat().st_size > 1000
    assert scratch_left(tmp_path) == []


@pytest.mark.parametrize(("argv", "name"), EXPORTS)
def test_an_export_over_an_existing_file_replaces_it_and_leaves_the_old_one_alone(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    umask_022: None,
    argv: list[str],
    name: str,
) -> None:
    """Writing over a file (the commands' convention) gives a new 0600 file at that name; the
    old file itself is never written or chmod-ed (its other name keeps content and mode)."""
    out = foreign_file(tmp_path, name)
    before = sha256(out)
    code, err = run(capsys, *[a.format(out=out) for a in argv], "--db", str(db))
    assert code == 0, err
    assert mode(out) == 0o600 and sha256(out) != before
    other = tmp_path / f"{name}.other-name"
    assert mode(other) == 0o644 and sha256(other) == before


@pytest.mark.parametrize(("argv", "name"), EXPORTS)
@pytest.mark.parametrize(
    ("make", "said"), [(_folder, "it is a folder"), (_pipe, "it is not a regular file")]
)
def test_an_export_onto_a_folder_or_pipe_is_one_sentence_and_changes_nothing(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    name: str,
    make: Callable[[Path], None],
    said: str,
) -> None:
    """Refused with exit code 2 and one sentence; the folder or pipe keeps its mode."""
    out = tmp_path / name
    make(out)
    before = out.lstat().st_mode
    code, err = run(capsys, *[a.format(out=out) for a in argv], "--db", str(db))
    assert code == 2 and err.endswith(f"{said}.\n") and err.count("\n") == 1
    assert out.lstat().st_mode == before
    assert scratch_left(tmp_path) == []


@pytest.mark.skipif(SOME_VOICE is None, reason="no voice installed")
def test_voice_samples_are_0600_in_folders_it_made_0700(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], umask_022: None
) -> None:
    """`voices --out` makes its folders 0700 and each WAV 0600; a folder it found is left."""
    assert SOME_VOICE is not None
    tmp_path.chmod(0o755)
    out = tmp_path / "samples" / "voices"
    code, err = run(capsys, "voices", "--out", str(out), SOME_VOICE)
    assert code == 0, err
    assert mode(tmp_path) == 0o755
    assert mode(tmp_path / "samples") == 0o700 and mode(out) == 0o700
    assert mode(out / f"{SOME_VOICE}.wav") == 0o600


@pytest.mark.skipif(SOME_VOICE is None, reason="no voice installed")
def test_choosing_a_voice_makes_her_settings_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], umask_022: None
) -> None:
    """A settings folder made by `voices --use` is 0700 (her routines go there too), and the
    settings file 0600."""
    assert SOME_VOICE is not None
    config = tmp_path / "pumpcoach" / "config.toml"
    code, err = run(capsys, "--config", str(config), "voices", "--use", SOME_VOICE)
    assert code == 0, err
    assert mode(config.parent) == 0o700 and mode(config) == 0o600


def pumpcoach(*argv: str) -> subprocess.CompletedProcess[str]:
    """`pumpcoach ARGV` in a process of its own (it inherits the umask), as sessions that speak
    are run in tests: pyttsx3 keeps voice settings across sessions in one process."""
    done = subprocess.run(
        [sys.executable, "-m", "assistant", *argv], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.slow
def test_the_cues_she_asks_to_keep_are_0600(tmp_path: Path, umask_022: None) -> None:
    """`run --speak-to OUT.wav` writes the session's cues readable by her alone."""
    commands = tmp_path / "commands.txt"
    commands.write_text("5 stop\n6 yes\n9 log 40\n12 finish\n")
    cues = tmp_path / "cues.wav"
    db = tmp_path / "s.db"
    pumpcoach(
        *("run", "--routine", "mss", "--commands", str(commands)),
        *("--db", str(db), "--speak-to", str(cues)),
    )
    assert mode(cues) == 0o600 and cues.stat().st_size > 10_000
    assert mode(db) == 0o600


def test_cues_onto_a_folder_are_refused_before_the_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found out at the start, in one sentence, not after she has pumped for half an hour."""
    commands = tmp_path / "commands.txt"
    commands.write_text("5 stop\n6 yes\n")
    (tmp_path / "cues").mkdir()
    db = tmp_path / "s.db"
    code, err = run(
        capsys,
        *("run", "--routine", "mss", "--commands", str(commands)),
        *("--db", str(db), "--speak-to", str(tmp_path / "cues")),
    )
    assert code == 2 and "Cannot write the speech recording" in err
    assert err.endswith("it is a folder.\n")
