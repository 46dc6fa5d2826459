"""Finding and reading routine files: built-ins shipped here, plus her own folder.

Every problem comes back as one `RoutineError` sentence that names the file and the field,
because the person fixing a routine file is a tired parent with a text editor, not a developer
reading a pydantic report. Nothing is read at import time; only paths are computed.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from assistant.errors import RoutineError
from assistant.routines.model import Routine
from assistant.user_files import FileProblem, parse_toml, read_text

BUILTIN_DIR: Path = Path(__file__).parent
"""The folder of the routine TOML files that ship with the package."""

_SUFFIX = ".toml"


def default_user_dir() -> Path:
    """Where her own routines live unless she says otherwise (per-OS config folder)."""
    return platformdirs.user_config_path("pumpcoach") / "routines"


# --- one file -----------------------------------------------------------------------------


def load_routine_file(path: Path) -> Routine:
    """Read, parse and check one routine file, or raise one clear `RoutineError` sentence."""
    data = _parse_toml(path, _read_text(path))
    if not data:
        raise RoutineError(f"{path}: the file is empty, so there is no routine in it")
    routine = _validate(path, data)
    _check_name_matches_file(path, routine)
    return routine


def _read_text(path: Path) -> str:
    """The file's text; a missing, unreadable, huge or binary file is her mistake, not a crash."""
    try:
        return read_text(path, "a routine file")
    except FileProblem as problem:
        reason = "no such routine file" if problem.missing else str(problem)
        raise RoutineError(f"{path}: {reason}") from None


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    """TOML to a dict; the message carries the line and column, or says what is too big."""
    try:
        return parse_toml(text)
    except tomllib.TOMLDecodeError as error:
        raise RoutineError(f"{path}: not valid TOML, {_lower_first(str(error))}") from None


def _validate(path: Path, data: dict[str, Any]) -> Routine:
    """Check the data against the schema, reporting the first problem as one sentence."""
    try:
        return Routine.model_validate(data)
    except ValidationError as error:
        problems = error.errors(include_url=False)
        more = len(problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise RoutineError(f"{path}: {describe_problem(problems[0])}{tail}") from None


def _check_name_matches_file(path: Path, routine: Routine) -> None:
    """Name and file stem must agree, so what she types always finds what she saved."""
    if routine.name != path.stem:
        raise RoutineError(
            f'{path}: name: is "{routine.name}" but the file is called {path.name}; '
            "the two must match"
        )


# --- pydantic errors as plain sentences ---------------------------------------------------


def describe_problem(problem: ErrorDetails) -> str:
    """`steps[2].duration_s: must be at least 5 (got 0)` from one pydantic error."""
    where = format_location(problem["loc"])
    what = _explain(problem)
    return f"{where}: {what}" if where else what


def format_location(loc: Iterable[int | str]) -> str:
    """Pydantic's ("steps", 2, "duration_s") as the `steps[2].duration_s` she sees in TOML."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _explain(problem: ErrorDetails) -> str:
    """The problem in words, with the offending value when showing it helps."""
    kind = problem["type"]
    ctx: dict[str, Any] = dict(problem.get("ctx") or {})
    got = f" (got {_show(problem['input'])})"
    if kind == "missing":
        return "is missing"
    if kind == "extra_forbidden":
        return "is not a field a routine file can have; check the spelling"
    if kind in _BOUNDS:
        return _BOUNDS[kind].format(**ctx) + got
    if kind == "literal_error":
        return f"must be {ctx['expected']}{got}"
    if kind == "string_pattern_mismatch":
        return f"must be lowercase letters and digits joined by hyphens, like blocked-duct{got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} entry"
    if kind == "value_error":
        return str(ctx.get("error", problem["msg"]))
    if kind == "finite_number":
        return f"must be a number{got}"
    return _lower_first(problem["msg"]) + got


_BOUNDS: dict[str, str] = {
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "string_too_long": "must be at most {max_length} characters",
    "too_long": "must have at most {max_length} entries",
}
"""Pydantic's range and length errors, as sentences filled from the error's context."""


def _show(value: Any) -> str:
    """A value as it would look in the TOML file, cut short if long."""
    # A string as TOML spells it, so a newline or escape in it stays on the one line.
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- finding routines ---------------------------------------------------------------------


def discover(user_dir: Path | None) -> tuple[list[Routine], list[RoutineError]]:
    """Built-ins plus her own files; a broken file is reported, never hides the rest.

    A routine of hers with a built-in's name replaces the built-in: she customised it.
    """
    by_name: dict[str, Routine] = {}
    errors: list[RoutineError] = []
    for folder in _folders(user_dir, errors):
        for path in sorted(folder.glob(f"*{_SUFFIX}")):
            try:
                routine = load_routine_file(path)
            except RoutineError as error:
                errors.append(error)
            else:
                by_name[routine.name] = routine
    return sorted(by_name.values(), key=lambda r: r.name), errors


def _folders(user_dir: Path | None, errors: list[RoutineError]) -> list[Path]:
    """Folders to read, built-ins first so hers win; a missing user folder is just empty."""
    folders = [BUILTIN_DIR]
    if user_dir is None or not user_dir.exists():
        return folders
    if not user_dir.is_dir():
        errors.append(RoutineError(f"{user_dir}: is a file, not a folder of routines"))
        return folders
    return [*folders, user_dir]


def find_routine(name_or_path: str, user_dir: Path | None) -> Routine:
    """A routine by file path (anything with a slash or ending in .toml) or by name."""
    if _looks_like_path(name_or_path):
        return load_routine_file(Path(name_or_path).expanduser())
    name = name_or_path.strip().lower()
    routines, _ = discover(user_dir)
    for routine in routines:
        if routine.name == name:
            return routine
    _raise_own_file_error(name, user_dir)
    available = ", ".join(r.name for r in routines)
    raise RoutineError(f'There is no routine called "{name_or_path}"; choose one of: {available}')


def _looks_like_path(text: str) -> bool:
    separators = {"/", os.sep, os.altsep or "/"}
    return text.endswith(_SUFFIX) or any(sep in text for sep in separators)


def _raise_own_file_error(name: str, user_dir: Path | None) -> None:
    """If she asked for her own routine and its file is broken, say what is wrong with it."""
    if user_dir is None:
        return
    candidate = user_dir / f"{name}{_SUFFIX}"
    if candidate.is_file():
        load_routine_file(candidate)
