"""Where she starts and stops speaking, over a breast pump that never stops.

prototype
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from assistant.audio.pcm import FRAME_S, Samples
from assistant.audio.source import Frame
from assistant.hearing.features import BANDS, SILENT_DB, Vector, band_energies_db
from assistant.settings import RecognitionSettings


@dataclass(frozen=True)
class SpeechStart:
    t: float
    preroll: list[Samples]


@dataclass(frozen=True)
class SpeechEnd:
    t: float
    decided_t: float
    dropped: bool


Event = SpeechStart | SpeechEnd

HISTORY = 400
FLOOR_WINDOW_S = 3.0
MIN_LAG, MAX_LAG = 18, 125
ENVELOPE_S = 6.0
PERIOD_EVERY = 10
PERIOD_HOLD = 500
WARMUP = 50
JITTER = 3
ABS_FLOOR_DB = -75.0


class Endpointer:
    def __init__(self, settings: RecognitionSettings) -> None:
        self._settings = settings
        self._hangover = max(1, round(settings.hangover_s / FRAME_S))
        self._preroll = round(settings.preroll_s / FRAME_S)
        self.onset_frames = 3
        self.reset_all()

    def reset_all(self) -> None:
        self._history = np.full((HISTORY, BANDS), SILENT_DB)
        self._envelope = np.zeros(HISTORY)
        self._speech = np.zeros(HISTORY)
        self._period_seen = 0
        self._n = 0
        self.period: float | None = None
        self.periodicity = 0.0
        self.score = 0.0
        self.excess = np.zeros(BANDS)
        self.reset()

    def reset(self) -> None:
        self._recent: deque[Frame] = deque(maxlen=self._preroll + 40)
        self._scores: deque[float] = deque(maxlen=self._preroll + 40)
        self._in_speech = False
        self._start_t = 0.0
        self._last_speech_end = 0.0
        self._quiet = 0
        self._deaf = False

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    def _floor(self) -> Vector:
        n = self._n
        period = self.period
        if period is None:
            span = min(n, round(FLOOR_WINDOW_S / FRAME_S))
            if span == 0:
                return np.full(BANDS, SILENT_DB)
            rows = (n - 1 - np.arange(span)) % HISTORY
            return np.asarray(self._history[rows].min(axis=0))
        cycles = max(2, int(FLOOR_WINDOW_S / FRAME_S / period))
        lags = np.rint(period * np.arange(1, cycles + 1)).astype(int)
        offsets = lags[:, None] + np.arange(-JITTER, JITTER + 1)[None, :]
        offsets = offsets[lags + JITTER <= n]
        if len(offsets) == 0:
            return np.full(BANDS, SILENT_DB)
        rows = (n - offsets) % HISTORY
        return np.asarray(self._history[rows].max(axis=1).min(axis=0))

    def _estimate_period(self) -> None:
        length = min(self._n, round(ENVELOPE_S / FRAME_S))
        if length < 3 * MIN_LAG + 10:
            return
        rows = (self._n - length + np.arange(length)) % HISTORY
        env = self._envelope[rows]
        speech = self._speech[rows] > 0
        top = min(MAX_LAG, length - 2 * MIN_LAG)
        lags = np.arange(MIN_LAG, top + 1)
        ends = np.arange(length - 1, top - 1, -2)
        later = ends[None, :]
        earlier = later - lags[:, None]
        diff = np.abs(env[later] - env[earlier])
        bad = speech[later] | speech[earlier]
        if (~bad).sum(axis=1).min() < 20:
            bad[:] = False
        diff[bad] = np.inf
        diff.sort(axis=1)
        counts = (~bad).sum(axis=1)
        d = diff[np.arange(len(lags)), counts // 2]
        d_min = float(d.min())
        ref = float(np.median(d))
        self.periodicity = 1.0 - d_min / ref if ref > 0 else 0.0
        if self.periodicity < 0.6:
            if self._n - self._period_seen > PERIOD_HOLD:
                self.period = None
            return
        d = np.convolve(d, np.ones(5) / 5, mode="same")
        d[:2] = d[-2:] = np.inf
        d_min = float(d.min())
        level = d_min + 0.2 * (ref - d_min)
        i = int(np.argmax(d <= level))
        while i + 1 < len(d) and d[i + 1] < d[i]:
            i += 1
        half = (i + MIN_LAG) // 2 - MIN_LAG
        if half >= 3:
            j = half - 3 + int(np.argmin(d[half - 3 : half + 4]))
            if d[j] <= d_min + 0.4 * (ref - d_min):
                i = j
        rim = d[i] + 0.3 * (ref - d[i])
        left = i
        while left > 0 and d[left - 1] <= rim:
            left -= 1
        right = i
        while right + 1 < len(d) and d[right + 1] <= rim:
            right += 1
        self.period = float(lags[left] + lags[right]) / 2
        self._period_seen = self._n

    def push(self, frame: Frame) -> list[Event]:
        energies = band_energies_db(frame.samples)
        floor = self._floor()
        floor = np.maximum(floor, ABS_FLOOR_DB)
        self.excess = energies - floor
        self.score = self._score(self.excess)
        self._history[self._n % HISTORY] = energies
        self._envelope[self._n % HISTORY] = float(np.mean(energies))
        self._n += 1
        self._recent.append(frame)
        self._scores.append(self.score)
        events = self._step(frame)
        self._speech[(self._n - 1) % HISTORY] = float(self._in_speech or self._deaf)
        if self._n % PERIOD_EVERY == 0:
            self._estimate_period()
        return events

    def _score(self, excess: Vector) -> float:
        top = np.sort(excess)[-4:]
        return float(np.mean(top))

    def _step(self, frame: Frame) -> list[Event]:
        s = self._settings
        end_t = frame.t + FRAME_S
        events: list[Event] = []
        if self._in_speech:
            if self.score >= s.offset_db:
                self._last_speech_end = end_t
                self._quiet = 0
            else:
                self._quiet += 1
            if end_t - self._start_t > s.max_speech_s:
                events.append(SpeechEnd(end_t, end_t, True))
                self._in_speech = False
                self._deaf = True
                self._quiet = 0
            elif self._quiet >= self._hangover:
                length = self._last_speech_end - self._start_t
                dropped = length < s.min_speech_s
                events.append(SpeechEnd(self._last_speech_end, end_t, dropped))
                self._in_speech = False
            return events
        if self._deaf:
            self._quiet = self._quiet + 1 if self.score < s.offset_db else 0
            if self._quiet >= self._hangover:
                self._deaf = False
            return events
        scores = list(self._scores)
        if (
            self._n >= WARMUP
            and len(scores) >= self.onset_frames
            and all(x >= s.onset_db for x in scores[-self.onset_frames :])
        ):
            back = self.onset_frames
            while (
                back < len(scores)
                and back < self.onset_frames + 10
                and scores[-back - 1] >= s.offset_db
            ):
                back += 1
            start_index = len(scores) - back
            frames = list(self._recent)
            first = max(0, start_index - self._preroll)
            self._start_t = frames[start_index].t
            self._speech[(self._n - 1 - np.arange(back)) % HISTORY] = 1.0
            events.append(SpeechStart(self._start_t, [f.samples for f in frames[first:]]))
            self._in_speech = True
            self._last_speech_end = end_t
            self._quiet = 0
        return events
