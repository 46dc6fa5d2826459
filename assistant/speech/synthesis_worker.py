"""The one thread a speaker renders its cues on, so the session never waits on speech.

The voice is opened on that thread (pyttsx3's engine must stay on the thread that made it),
and the jobs run in the order submitted.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass

from assistant.audio.pcm import Audio
from assistant.speech.coach_voices import open_voice
from assistant.speech.pyttsx3_tts import unavailable
from assistant.speech.speaker import VoiceSettings

INIT_TIMEOUT_S = 15.0
"""Longest wait for the voice to start on the worker thread."""


@dataclass(frozen=True, slots=True)
class _Job:
    text: str
    settings: VoiceSettings
    future: Future[Audio]


class SynthesisWorker:
    """One thread owning the coach's voice; jobs run in the order submitted."""

    def __init__(self, voice: str | None = None, name: str = "pumpcoach-tts") -> None:
        """Start the thread and `voice` (a coach voice or a pyttsx3 voice id; None: the
        best installed); AudioError if it cannot start."""
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        ready: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._run, args=(voice, ready), name=name, daemon=True
        )
        self._thread.start()
        try:
            ready.result(timeout=INIT_TIMEOUT_S)
        except TimeoutError as error:
            raise unavailable("the engine did not start") from error

    def _run(self, voice: str | None, ready: Future[None]) -> None:
        try:
            synth = open_voice(voice)
        except BaseException as error:
            ready.set_exception(error)
            return
        ready.set_result(None)
        try:
            while (job := self._jobs.get()) is not None:
                if not job.future.set_running_or_notify_cancel():
                    continue
                try:
                    audio = synth.synthesize(job.text, job.settings.rate_wpm, job.settings.volume)
                except BaseException as error:
                    job.future.set_exception(error)
                else:
                    job.future.set_result(audio)
        finally:
            synth.close()

    def submit(self, text: str, settings: VoiceSettings) -> Future[Audio]:
        """Queue `text`; the future holds its `Audio` (or the error) once rendered."""
        future: Future[Audio] = Future()
        self._jobs.put(_Job(text, settings, future))
        return future

    def cancel_pending(self) -> None:
        """Cancel every job not yet started (the one rendering now still finishes)."""
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is None:
                self._jobs.put(None)
                return
            job.future.cancel()

    def close(self, timeout_s: float = 5.0) -> None:
        """Finish queued jobs, then stop the thread (waiting at most `timeout_s`)."""
        self._jobs.put(None)
        self._thread.join(timeout_s)
