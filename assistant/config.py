"""Her settings file: TOML in her user config folder, mapped onto the frozen `Settings`.

Precedence is defaults, then the file, then command-line flags, so a flag tried once never
needs an edit to the file. The keys are `Settings`' own field names (and a `[recognition]`
table for `RecognitionSettings`), so there is one list of settings, not two. A mistake is
reported as one sentence naming the key or flag; nothing past here sees a bad value.
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from assistant.errors import ConfigError
from assistant.settings import RecognitionSettings, Settings
from assistant.user_files import FileProblem, parse_toml, read_text

CONFIG_ENV = "PUMPCOACH_CONFIG"
"""Environment variable naming another settings file (tests, or a second profile)."""
PATH_KEYS = tuple(
    name for name, field in Settings.model_fields.items() if field.annotation == Path | None
)
"""Keys holding paths: `~` is expanded; a relative path is taken from the file's folder.
Read off the settings, so a new path setting is never left unresolved (`whisper_model` was)."""

_RULES = {
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "must be {expected}",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "string_type": "must be text in quotes",
    "path_type": "must be a path in quotes",
    "model_type": "must be a table of settings",
    "model_attributes_type": "must be a table of settings",
}
"""Pydantic's error types as the end of a plain sentence about one key."""


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """$PUMPCOACH_CONFIG if set, else `config.toml` in her user config folder."""
    env = os.environ if environ is None else environ
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser()
    return platformdirs.user_config_path("pumpcoach") / "config.toml"


def read_config(path: Path) -> dict[str, Any]:
    """The file's values as written (paths resolved); {} when there is no file yet."""
    try:
        text = read_text(path, "a settings file")
    except FileProblem as problem:
        if problem.missing:
            return {}
        raise ConfigError(f"Cannot read the settings file {path}: it {problem}.") from None
    try:
        values = parse_toml(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {_lower_first(str(error))}.") from error
    return _resolve_paths(values, path)


def load_settings(
    path: Path,
    overrides: Mapping[str, object] | None = None,
    flags: Mapping[str, str] | None = None,
) -> Settings:
    """Defaults, then the file at `path`, then `overrides` (command-line values by key).

    `flags` names the command-line flag behind each override key, for the error sentence.
    """
    values = read_config(path)
    try:
        settings = Settings.model_validate(values)
    except ValidationError as error:
        raise ConfigError(_sentence(error, lambda key: f"{path}: `{key}`")) from error
    if not overrides:
        return settings
    named = flags or {}
    try:
        return Settings.model_validate({**values, **overrides})
    except ValidationError as error:
        raise ConfigError(_sentence(error, lambda key: named.get(key, f"`{key}`"))) from error


def _resolve_paths(values: dict[str, Any], path: Path) -> dict[str, Any]:
    resolved = dict(values)
    for key in PATH_KEYS:
        if isinstance(resolved.get(key), str):
            try:
                given = Path(resolved[key]).expanduser()
            except RuntimeError as error:  # "~nobody/...": no such user's home
                raise ConfigError(
                    f"{path}: `{key}` starts with a home folder that does not exist "
                    f"({resolved[key]!r})."
                ) from error
            resolved[key] = given if given.is_absolute() else path.parent / given
    return resolved


def _sentence(error: ValidationError, subject: Any) -> str:
    """The first problem as one sentence (how many more there are, if any)."""
    problems = error.errors(include_url=False)
    first = problems[0]
    key = ".".join(str(part) for part in first["loc"])
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    if first["type"] == "extra_forbidden":
        known = _known_keys(first["loc"])
        return f"{subject(key)} is not a setting{more}; the settings are: {known}."
    rule = _range(first["loc"]) if first["type"] in _OUT_OF_RANGE else None
    if rule is None:
        template = _RULES.get(first["type"])
        context = first.get("ctx", {})
        if first["type"] == "value_error":
            rule = str(context.get("error", first["msg"]))
        else:
            rule = _lower_first(first["msg"]) if template is None else template.format(**context)
    return f"{subject(key)} {rule}, not {_shown(first['input'])}{more}."


_OUT_OF_RANGE = {
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "finite_number",
    "int_parsing_size",
}
"""Errors of a number outside its range (inf and nan included): the sentence gives the range."""


def _range(loc: tuple[int | str, ...]) -> str | None:
    """ "must be between 0.02 and 5 seconds", read off the field's own bounds and unit."""
    field = _field(loc)
    if field is None:
        return None
    bounds = {
        name: getattr(rule, name)
        for rule in field.metadata
        for name in ("ge", "le", "lt")
        if hasattr(rule, name)
    }
    low, high = bounds.get("ge"), bounds.get("le", bounds.get("lt"))
    if low is None or high is None:
        return None
    extra = field.json_schema_extra
    unit = f" {extra['unit']}" if isinstance(extra, dict) and "unit" in extra else ""
    if "lt" in bounds:
        return f"must be at least {low:g} and less than {high:g}{unit}"
    return f"must be between {low:g} and {high:g}{unit}"


def _field(loc: tuple[int | str, ...]) -> FieldInfo | None:
    model: type[BaseModel] = Settings
    if len(loc) == 2 and loc[0] == "recognition":
        model, loc = RecognitionSettings, loc[1:]
    return model.model_fields.get(str(loc[0])) if len(loc) == 1 else None


def _known_keys(loc: tuple[int | str, ...]) -> str:
    model = RecognitionSettings if len(loc) > 1 and loc[0] == "recognition" else Settings
    return ", ".join(model.model_fields)


def _shown(value: object) -> str:
    """A value as TOML writes it (inf, not Infinity), cut short if long."""
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, float) and not math.isfinite(value):
        text = str(value)
    else:
        try:
            text = json.dumps(value)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def settings_toml(
    settings: Settings, from_file: Mapping[str, Any], unset: Mapping[str, str] | None = None
) -> str:
    """The settings in effect as TOML that reads back to the same values.

    Each line says whether it came from the file or is a default; a setting with no value
    (None) is a comment naming what is used instead (`unset`), since TOML has no null.
    """
    lines = _toml_lines(settings.model_dump(exclude={"recognition"}), from_file, unset or {})
    recognition = settings.recognition.model_dump()
    lines += ["", "[recognition]"]
    lines += _toml_lines(recognition, from_file.get("recognition", {}), {})
    return "\n".join(lines) + "\n"


def _toml_lines(
    values: Mapping[str, Any], from_file: Mapping[str, Any], unset: Mapping[str, str]
) -> list[str]:
    lines = []
    for key, value in values.items():
        if value is None:
            lines.append(f"# {key} is not set: {unset.get(key, 'none')}")
        else:
            source = "from your file" if key in from_file else "default"
            lines.append(f"{key} = {_toml_value(value)}  # {source}")
    return lines


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _toml_string(str(value))


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes and backslashes escaped, control characters as \\uXXXX."""
    escaped = (
        "\\" + char
        if char in '"\\'
        else f"\\u{ord(char):04x}"
        if ord(char) < 0x20 or ord(char) == 0x7F
        else char
        for char in text
    )
    return '"' + "".join(escaped) + '"'
