"""One frozen settings model: the only configuration anything past the CLI ever sees."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    """What can be tuned, with units in each field's docstring."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rate_wpm: int = Field(default=165, ge=80, le=300)
    """Speaking rate of the cues, in words per minute."""
    volume: float = Field(default=0.9, ge=0.0, le=1.0)
    """Loudness of the cues, 0.0 (silent) to 1.0 (full)."""
    voice: str | None = None
    """Text-to-speech voice id (e.g. an espeak-ng voice like `gmw/en-us`); None: English default."""
    default_routine: str = "mss"
    """Routine `pumpcoach start` uses when none is named."""
    db_path: Path | None = None
    """Session database; None: `pumpcoach.sqlite3` in her user data folder."""
    routines_dir: Path | None = None
    """Folder of her own routine files; None: `routines/` in her user config folder."""
