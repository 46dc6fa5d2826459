"""What hears the benchmark's audio: ours (the real `hear` path) and a naive build.

The naive build is what a quick first version would be: pocketsphinx's own voice-activity
endpointer, one closed JSGF grammar generated from the command grammar, and the parser as
the word table. No noise tracking, no confidence, no rejection beyond the grammar.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.audio.pcm import FRAME_S, SAMPLE_RATE, Audio
from assistant.audio.source import frames_of
from assistant.grammar import parse
from assistant.grammar.jsgf import to_jsgf
from assistant.hearing.echo import EchoRemoval, Played
from assistant.hearing.echo_speex import SpeexEchoCanceller
from assistant.hearing.engines import build
from assistant.hearing.gate import MicGate, never_speaking
from assistant.hearing.listener import Heard, Listener
from assistant.hearing.models import EngineChoice
from assistant.hearing.recognizer import Recognizer
from assistant.runtime.recording import with_trailing_silence
from assistant.settings import Settings

NAIVE_MAX_UTTERANCE_S = 15.0
"""The naive build cuts an utterance that never ends here, so a benchmark run stays finite."""


class System(Protocol):
    """Something that hears a recording and decides commands in it."""

    name: str

    def hear(self, audio: Audio) -> list[Heard]: ...

    def close(self) -> None: ...


class Ours:
    """The assistant's own hearing: endpointer, recognizer, parser, exactly as `hear` runs it."""

    def __init__(self, choice: EngineChoice, settings: Settings) -> None:
        self._recognizer: Recognizer = build(choice, settings, os.environ)
        self.name = f"ours ({self._recognizer.name})"
        self._settings = settings.recognition

    def hear(self, audio: Audio, played: Played | None = None) -> list[Heard]:
        """Every command decided, each when one core running the listener would have decided
        it: a frame is handled when it has arrived and the frames before it are done, and
        takes the CPU time it took here. So a decode during the hangover is free only if it
        finishes before the hangover does, and a slow frame delays the ones after it.

        `played`: what the coach's speaker played meanwhile, for the echo canceller."""
        echo = None if played is None else EchoRemoval(SpeexEchoCanceller(), played)
        listener = Listener(self._recognizer, self._settings, MicGate(never_speaking, 0.0), echo)
        heard: list[Heard] = []
        busy_until = 0.0
        for frame in with_trailing_silence(frames_of(audio)):
            before = time.process_time()
            found = listener.push(frame)
            spent = time.process_time() - before
            busy_until = max(busy_until, frame.t + FRAME_S) + spent
            if found is not None and found.command is not None:
                heard.append(dataclasses.replace(found, decided_s=busy_until))
        return heard

    def close(self) -> None:
        self._recognizer.close()


class NaiveBaseline:
    """pocketsphinx's VAD endpointer + the whole command grammar as one JSGF + the parser."""

    name = "naive"

    def __init__(self) -> None:
        from pocketsphinx import Decoder

        self._folder = Path(tempfile.mkdtemp(prefix="pumpcoach-naive-"))
        grammar = self._folder / "commands.gram"
        grammar.write_text(to_jsgf(), encoding="utf-8")
        self._decoder: Any = Decoder(jsgf=str(grammar), loglevel="FATAL")

    def hear(self, audio: Audio) -> list[Heard]:
        from pocketsphinx import Endpointer

        endpointer: Any = Endpointer(sample_rate=SAMPLE_RATE)
        size = endpointer.frame_bytes // 2
        samples = np.concatenate([audio.samples, np.zeros(SAMPLE_RATE, dtype=np.int16)])
        heard: list[Heard] = []
        start = None
        for at in range(0, len(samples) - size + 1, size):
            was_speaking = endpointer.in_speech
            speech = endpointer.process(samples[at : at + size].astype("<i2").tobytes())
            if speech is None:
                continue
            if not was_speaking:
                self._decoder.start_utt()
                start = endpointer.speech_start
            self._decoder.process_raw(speech, False, False)
            now = (at + size) / SAMPLE_RATE
            too_long = start is not None and now - start > NAIVE_MAX_UTTERANCE_S
            if not endpointer.in_speech or too_long:
                before = time.process_time()
                self._decoder.end_utt()
                end = endpointer.speech_end if not endpointer.in_speech else now
                spent = time.process_time() - before  # deciding takes time (its decode only:
                # charged for every frame as ours is, at 2x real time it would never catch up)
                heard += self._decided(start or 0.0, end, now + spent)
                if too_long:
                    self._decoder.start_utt()
                    start = now
        if endpointer.in_speech:
            self._decoder.end_utt()
        return heard

    def _decided(self, start: float, end: float, now: float) -> list[Heard]:
        hypothesis = self._decoder.hyp()
        text = (
            ""
            if hypothesis is None
            else " ".join(w for w in hypothesis.hypstr.split() if w[0] not in "<[(")
        )
        command = parse(text) if text else None
        if command is None:
            return []
        return [Heard(command.model_copy(update={"text": text}), text, start, end, now, 1.0)]

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


if __name__ == "__main__":  # the naive build on one file, for the benchmark's memory probe
    import sys

    from assistant.audio.pcm import read_wav

    naive = NaiveBaseline()
    for found in naive.hear(read_wav(Path(sys.argv[1]))):
        print(found.text)
    naive.close()
