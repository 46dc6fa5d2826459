"""festival's HTS voices (Debian `festival`, `festvox-us-slt-hts`): recorded speech modelled
statistically, far nearer a person than espeak-ng's rules.

festival is kept running and fed one Scheme line per cue: started afresh for each cue (as
`text2wave` does) it spends half a second loading before every reply. Its stdout is not
flushed when it is a pipe, so each cue ends with a marker written to stderr.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from assistant.audio.pcm import Audio, read_wav
from assistant.errors import AudioError
from assistant.speech.tts import at_volume, silence

NATURAL_WPM = 160
"""The HTS voices' own pace, in words per minute; other rates scale it."""
START_TIMEOUT_S = 15.0
RENDER_TIMEOUT_S = 30.0
FAILED = b"SIOD ERROR"


class FestivalSpeech:
    """A running festival with one HTS voice loaded (e.g. `cmu_us_slt_arctic_hts`)."""

    def __init__(self, voice: str) -> None:
        if shutil.which("festival") is None:
            raise AudioError("festival is not installed; run scripts/setup.sh to install it.")
        self._voice = voice
        self._count = 0
        self._scratch = tempfile.TemporaryDirectory(prefix="pumpcoach-festival-")
        self._process = subprocess.Popen(
            ["festival"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            self._run(f"(voice_{voice})", START_TIMEOUT_S)
        except AudioError:
            self.close()
            raise AudioError(f"The festival voice {voice!r} is not installed.") from None

    def synthesize(self, text: str, rate_wpm: int, volume: float) -> Audio:
        words = " ".join(text.split())
        if not words:
            return silence(16000)
        self._count += 1
        path = Path(self._scratch.name) / f"cue-{self._count}.wav"
        speed = rate_wpm / NATURAL_WPM
        params = f"{self._voice}::hts_engine_params"
        self._run(
            f'(set! hts_engine_params (cons (list "-r" {speed:.3f}) {params}))'
            f" (utt.save.wave (utt.synth (Utterance Text {_scheme_string(words)}))"
            f" {_scheme_string(str(path))} 'riff)",
            RENDER_TIMEOUT_S,
        )
        try:
            return at_volume(read_wav(path), volume)
        finally:
            path.unlink(missing_ok=True)

    def _run(self, expression: str, timeout_s: float) -> None:
        """Evaluate `expression`, then wait for festival to say it is done."""
        marker = f"pumpcoach-done-{self._count}".encode()
        line = f'{expression}\n(format stderr "%s\\n" "{marker.decode()}")\n'
        try:
            assert self._process.stdin is not None
            self._process.stdin.write(line.encode())
            self._process.stdin.flush()
        except OSError as error:
            raise AudioError(f"festival stopped ({error}).") from error
        said = self._read_until(marker, timeout_s)
        if FAILED in said:
            detail = said.split(FAILED, 1)[1].split(b"\n", 1)[0].decode(errors="replace")
            raise AudioError(f"festival could not say it ({detail.strip(': ')}).")

    def _read_until(self, marker: bytes, timeout_s: float) -> bytes:
        assert self._process.stderr is not None
        stream = self._process.stderr.fileno()
        said, deadline = b"", time.monotonic() + timeout_s
        while marker not in said:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AudioError(f"festival did not answer within {timeout_s:g} s.")
            ready, _, _ = select.select([stream], [], [], left)
            chunk = os.read(stream, 65536) if ready else b""
            if ready and not chunk:
                raise AudioError("festival stopped.")
            said += chunk
        return said

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stderr):
            if pipe is not None:
                pipe.close()
        self._scratch.cleanup()


def _scheme_string(text: str) -> str:
    """`text` as a Scheme string literal: backslashes and quotes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
