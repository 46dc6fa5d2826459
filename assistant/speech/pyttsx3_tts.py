"""Text to speech with pyttsx3: the system's own voices on macOS and Windows, espeak-ng on
Linux, and the voice used wherever no other is installed.

pyttsx3 caches one engine per driver for the whole process and the engine is not
thread-safe, so every synthesis is serialised by a process-wide lock (each speaker uses it
from its own `SynthesisWorker` thread). Speech is rendered to a temporary WAV
(`save_to_file`) and read back; nothing is played here.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.pcm import Audio, read_wav
from assistant.errors import AudioError
from assistant.speech.speaker import VoiceSettings

log = logging.getLogger(__name__)


ENGLISH_VOICES = ("gmw/en", "en", "gmw/en-us", "en-us")
"""espeak-ng voice ids tried in order when no voice is named."""
ESPEAK_RATE_HZ = 22050
"""Sample rate of espeak-ng's output."""
RENDER_TIMEOUT_S = 30.0
"""Longest wait for one cue's audio file to be complete."""

_ENGINE_LOCK = threading.Lock()


def _quiet_print(*args: object, **_kwargs: object) -> None:
    log.debug(" ".join(str(a) for a in args))


def _quiet_espeak_driver(pyttsx3: Any) -> None:
    """Keep pyttsx3's espeak driver off stdout and out of the root logger.

    It prints "Audio saved to ..." on stdout (which carries JSON) and calls
    `logging.debug()`, which installs a root handler and so disables any later
    `logging.basicConfig()`. Shadowing `print` and `logging` in that one module fixes
    both for every thread (redirect_stdout would swap sys.stdout process-wide). It is
    done before the engine starts, because the driver logs while starting.
    """
    if pyttsx3.engine.default_engine_by_sys_platform() != "espeak":
        return
    import pyttsx3.drivers.espeak as driver  # loads libespeak-ng; raises if it is missing

    driver.print = _quiet_print
    driver.logging = logging.getLogger("pyttsx3.drivers.espeak")


def unavailable(reason: object) -> AudioError:
    return AudioError(f"Text-to-speech is not available ({reason}); cues will be printed instead.")


class Pyttsx3Speech:
    """Owns the pyttsx3 engine; use it from one thread (see `SynthesisWorker`)."""

    def __init__(self, voice: str | None = None) -> None:
        """Start the engine and choose `voice` (None: an English voice when espeak is used)."""
        self._finished = threading.Event()
        self._completed = False
        try:
            import pyttsx3

            with _ENGINE_LOCK:
                _quiet_espeak_driver(pyttsx3)
                self._engine: Any = pyttsx3.init()
                self._driver = str(self._engine.driver_name)
                self._sync = _espeak_sync() if self._driver == "espeak" else None
                _prepare(self._engine, self._sync)
                self._voice = self._choose_voice(voice)
                self._token = self._engine.connect("finished-utterance", self._on_finished)
        except AudioError:
            raise
        except Exception as error:  # any driver failure: missing library, no voices, ...
            raise unavailable(error) from error
        self._scratch = tempfile.TemporaryDirectory(  # removed at exit even without close()
            prefix="pumpcoach-tts-", ignore_cleanup_errors=True
        )
        self._dir = Path(self._scratch.name)
        self._count = 0

    def _on_finished(self, name: object = None, completed: bool = True, **_: object) -> None:
        self._completed = completed
        self._finished.set()

    @property
    def voice(self) -> str | None:
        """The voice id in use (None: the platform's default voice)."""
        return self._voice

    def _choose_voice(self, voice: str | None) -> str | None:
        if voice is None and self._driver != "espeak":
            return None
        voices = self._engine.getProperty("voices")
        ids = {str(v.id) for v in voices}
        if voice is not None:
            # espeak-ng takes a variant after the voice: "gmw/en-us+f3" is a woman's voice.
            name, plus, variant = voice.partition("+")
            by_language = {str(lang).lower(): str(v.id) for v in voices for lang in v.languages}
            chosen = name if name in ids else by_language.get(name.lower())
            if chosen is None or (plus and self._driver != "espeak"):
                msg = f"The text-to-speech voice {voice!r} is not installed."
                raise AudioError(msg)
            return f"{chosen}{plus}{variant}"
        for candidate in ENGLISH_VOICES:
            if candidate in ids:
                return candidate
        return None

    def synthesize(self, text: str, rate_wpm: int, volume: float) -> Audio:
        """Speech for `text` at `rate_wpm` words per minute and `volume` (0.0-1.0)."""
        settings = VoiceSettings(rate_wpm, volume)
        if not text.strip():
            return Audio(np.zeros(0, dtype=np.int16), ESPEAK_RATE_HZ)
        self._count += 1
        path = self._dir / f"cue-{self._count}.wav"
        try:
            with _ENGINE_LOCK:
                if not self._render(text, settings, path):
                    log.debug("Text-to-speech cancelled a cue by itself; rendering it again.")
                    if not self._render(text, settings, path):
                        msg = "Text-to-speech stopped before the cue was complete."
                        raise AudioError(msg)
            return _read_wav(path)
        except AudioError:
            raise
        except Exception as error:
            msg = f"Text-to-speech failed on a cue ({error})."
            raise AudioError(msg) from error
        finally:
            path.unlink(missing_ok=True)

    def _render(self, text: str, settings: VoiceSettings, path: Path) -> bool:
        """Write `text` as a WAV at `path`; False if the engine cancelled it part-way.

        With espeak-ng, pyttsx3 returns from runAndWait() before the file is written when
        its loop ends early (the synth callback runs on espeak's own thread), and its
        stop() cancels the synthesis if espeak is still busy with a parameter change; so
        espeak's queue is settled before and after, and completion is awaited.
        """
        self._finished.clear()
        self._completed = False
        if self._voice is not None:
            self._engine.setProperty("voice", self._voice)
        self._engine.setProperty("rate", settings.rate_wpm)
        self._engine.setProperty("volume", settings.volume)
        if self._sync is not None:
            self._sync()
        self._engine.save_to_file(text, str(path))
        self._engine.runAndWait()
        if self._sync is None:
            return True
        if not self._finished.wait(RENDER_TIMEOUT_S):
            msg = f"Text-to-speech did not finish a cue within {RENDER_TIMEOUT_S:g} s."
            raise AudioError(msg)
        self._sync()
        return self._completed

    def close(self) -> None:
        """Remove the scratch folder; the engine itself lives as long as the process."""
        with _ENGINE_LOCK:
            self._engine.disconnect(self._token)
        self._scratch.cleanup()


def _espeak_sync() -> Callable[[], object] | None:
    """espeak_Synchronize: returns once espeak's command queue is idle."""
    module = sys.modules.get("pyttsx3.drivers._espeak")
    sync = getattr(module, "Synchronize", None)
    return sync if callable(sync) else None


def _prepare(engine: Any, sync: Callable[[], object] | None) -> None:
    """Once per engine: leave its command queue idle.

    A fresh pyttsx3 proxy holds commands until its loop first runs; running an empty loop
    once makes later property changes apply at once, before synthesis starts. (Running it
    again would repeat the previous cue, so it happens only once.)
    """
    if getattr(engine, "_pumpcoach_ready", False):
        return
    if sync is not None:
        sync()  # the driver's own start-up parameter changes; see Pyttsx3Speech._render
    engine.runAndWait()
    engine._pumpcoach_ready = True


def _read_wav(path: Path) -> Audio:
    try:
        return read_wav(path)
    except AudioError as error:
        raise AudioError(f"Text-to-speech produced no readable audio ({error}).") from error
