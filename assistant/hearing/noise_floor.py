"""The noise a frame is measured against: what the pump did at this point of its cycle.

- The pump's period is found in the loudness envelope of the last 6 s by a median
  average-magnitude-difference function (the median shrugs off speech in the window; frames
  taken for speech are left out too), then tracked within -20 %/+25 % of itself.
- For each of the last few cycles (up to 3 s back) a lag is kept aligned to this frame's phase:
  the last 1.5 cycles of (3-frame smoothed) band energies are matched against the same stretch
  k cycles earlier, so the lags follow the pump's slow speed wander.
- A frame's floor, per band, is the median over the three nearest speech-free cycles of the
  maximum over +-1 frame (wider for a lag not aligned lately) around the same phase. The
  suction swell and the valve click are in the floor, because they were there one cycle ago.
- With no cycle known (a quiet room, the first seconds) the floor is the maximum of the last
  2.5 s of non-speech frames: less sensitive, not fooled.
- Frames of earlier "utterances" that recur at the same phase cycle after cycle are the pump,
  and are used as floor.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import FRAME_S
from assistant.hearing.features import BANDS, SILENT_DB, Vector

Index = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

HISTORY = 400
"""Frames of band energies kept (8 s): the envelope window plus the longest lag."""
ENVELOPE_FRAMES = 300
"""The pump's period is estimated from the last 6 s of the loudness envelope."""
MIN_LAG, MAX_LAG = 14, 125
"""Lags tried, in frames: 0.28-2.5 s. A cycle is only believed with a whole valley around it
(a few lags either side), so pumps of 0.4 to about 2.8 cycles a second are found; with the
shortest lag at 0.36 s, a pump cycling faster than 2 a second (stimulation mode, small
battery pumps) was never found, and its suction swells set the floor for everything."""
PERIOD_EVERY = 10
"""Frames between period estimates (0.2 s)."""
MIN_PAIRS = 40
"""Frame pairs the period estimate needs at every lag it tries."""
PERIODIC = 0.6
"""A period is believed when its envelope difference is this far (0-1) below the typical one."""
PERIOD_PULL = 0.1
"""How far (0-1) each confirming alignment pulls the period towards the one-cycle lag."""
CONFIRM_RATIO = 0.6
"""Alignment confirms the period when one cycle back matches this much better than half."""
REACQUIRE = 100
"""Frames heard (2 s) without the period confirmed before the full range is searched again."""
PERIOD_HOLD = 500
"""Frames heard (10 s) a believed period is kept without being confirmed again."""
FLOOR_WINDOW = 150
"""Frames (3 s, and at least two cycles) in which "utterances" recurring at the same phase
are taken for the pump."""
MAX_CYCLES = HISTORY // MIN_LAG
"""Cycles followed at most: as many as the history holds."""
CLEAN_CYCLES = 3
"""The floor is the per-band median over this many nearest speech-free cycles."""
JITTER = 1
"""Frames either side of a freshly aligned cycle position that its floor covers."""
DRIFT = 0.5
"""Extra frames of cover per second since a lag was aligned, per cycle back."""
MAX_SPREAD = 4
"""At most this many extra frames of cover..."""
SPREAD_SHARE = 0.05
"""...or this share of the lag, if more (a far cycle is less sure)."""
ALIGN_EVERY = 5
"""Frames between lag alignments (0.1 s)."""
ALIGN_CONTEXT = 1.5
"""The alignment matches this many cycles of the recent past."""
ALIGN_SEARCH = 2
"""Frames either side of a lag that the alignment tries..."""
ALIGN_SEARCH_SHARE = 0.05
"""...or this share of one cycle, if more (the pump's speed wanders by a few per cent); of
the whole lag for a lag not aligned last time."""
ALIGN_STEP = 2
"""Frames a lag aligned last time may move per alignment (one not aligned lately jumps)."""
ALIGN_MIN_FRAMES = 10
"""Frames heard on both sides that an alignment needs."""
UNSURE = 200
"""A lag not aligned for this many frames (4 s) is only k periods, re-seeded as those change."""
ALIGN_CLIP_DB = 6.0
"""Band differences are clipped here (dB) so speech in the matched stretch cannot dominate."""
PLAIN_WINDOW = 125
"""Without a cycle, the floor is the maximum over this many non-speech frames (2.5 s)."""
DELAY = 15
"""The newest frames left out of that maximum (0.3 s): they may be the start of speech."""
ABS_FLOOR_DB = -80.0
"""The floor never drops below this band energy (dB), so digital silence does not make every
faint tick speech (int16 rounding noise is about -110 dB, a quiet room's mic about -70 dB)."""
WARMUP = 50
"""Frames (1 s) heard before any onset is allowed, if the noise is steady."""
LONG_WARMUP = 150
"""Frames (3 s) heard before any onset is allowed when the noise varies and has no cycle yet."""
STEADY_DB = 6.0
"""Noise whose every band stays within this range (dB) is steady: a quiet room."""


class NoiseFloor:
    """Band energies of the recent past, the pump's cycle in them, and the floor it implies."""

    def __init__(self) -> None:
        self._energies = np.full((HISTORY, BANDS), SILENT_DB)
        self._loudness = np.zeros(HISTORY)
        self._smooth = np.full((HISTORY, BANDS), SILENT_DB)
        """Band energies averaged over the frame and its neighbours (the newest: one neighbour)."""
        self._speech = np.zeros(HISTORY, dtype=bool)
        self._segment = np.zeros(HISTORY, dtype=np.int64)
        """Which utterance each frame was taken for (0: none); a new number at each onset."""
        self._segments = 0
        self._valid = np.zeros(HISTORY, dtype=bool)
        self._n = 0
        """Slot of the frame being pushed (frames since the first, counting gaps)."""
        self._slot0: int | None = None
        self.heard = 0
        """Contiguous frames heard since the start or the last long gap."""
        self.period: float | None = None
        """The pump cycle in frames, or None."""
        self._confirmed = 0
        """When (in frames heard) the period was last confirmed."""
        self._listened = 0
        """Frames heard since the start, gaps not counted."""
        self._reference = 1.0
        self._lags = np.zeros(MAX_CYCLES, dtype=np.int64)
        self._aligned = np.zeros(MAX_CYCLES, dtype=np.int64)
        self._floor = np.full(BANDS, ABS_FLOOR_DB)

    def place(self, t: float) -> bool:
        """Put the frame starting at `t` in its slot; True when frames were missing before it.

        A time that goes backwards (or is not a number) is taken as the next frame's.
        """
        slot = round(t / FRAME_S) if math.isfinite(t) else None
        if self._slot0 is None:
            self._slot0 = slot or 0
            return False
        n = self._n + 1 if slot is None else slot - self._slot0
        if n <= self._n + 1:
            self._n += 1
            self._slot0 = (slot if slot is not None else self._n + self._slot0) - self._n
            return False
        missing = np.arange(self._n + 1, min(n, self._n + 1 + HISTORY)) % HISTORY
        self._valid[missing] = False
        self._speech[missing] = False
        self._segment[missing] = 0
        if n - self._n > HISTORY:  # nothing heard is left: start over
            self.heard = 0
        self._n = n
        return True

    def ready(self) -> bool:
        """Whether enough has been heard to tell speech from this noise."""
        if self.heard < WARMUP:
            return False
        if self.period is not None or self.heard >= LONG_WARMUP:
            return True
        rows = self._rows(np.arange(DELAY, self.heard))  # the newest may be her first words
        heard = self._energies[rows]
        return bool((heard.max(axis=0) - heard.min(axis=0)).max() <= STEADY_DB)

    def record(self, energies: Vector, speech: bool) -> None:
        """Store the frame just scored; estimate the period now and then."""
        slot = self._n % HISTORY
        self._energies[slot] = energies
        before, earlier = (self._n - 1) % HISTORY, (self._n - 2) % HISTORY
        if self._valid[before]:
            self._smooth[slot] = (energies + self._energies[before]) / 2
            if self._valid[earlier]:
                self._smooth[before] = (
                    energies + self._energies[before] + self._energies[earlier]
                ) / 3
        else:
            self._smooth[slot] = energies
        self._loudness[slot] = float(np.mean(energies))
        self._speech[slot] = speech
        self._segment[slot] = self._segments if speech else 0
        self._valid[slot] = True
        self.heard += 1
        self._listened += 1
        if self._n % PERIOD_EVERY == 0:
            self._estimate_period()
        if self.period is not None and not speech and self._n % ALIGN_EVERY == 0:
            self._align(self.period)

    def begin_speech(self, back: int) -> None:
        """An utterance starts; the `back` frames before the current one were its start."""
        self._segments += 1
        rows = self._rows(1 + np.arange(back))
        self._speech[rows] = True
        self._segment[rows] = self._segments

    def floor(self, in_speech: bool) -> Vector:
        """Per band, the noise expected in the frame being pushed, in dB."""
        found = self._cycle_floor(in_speech) if self.period is not None else None
        if found is None:
            found = self._plain_floor()
        if found is not None:
            self._floor = found
        elif not in_speech:
            self._floor = np.full(BANDS, ABS_FLOOR_DB)
        floor: Vector = np.maximum(self._floor, ABS_FLOOR_DB)
        return floor

    def _rows(self, back: Index) -> Index:
        rows: Index = (self._n - back) % HISTORY
        return rows

    def _cycle_floor(self, in_speech: bool) -> Vector | None:
        """The same phase in the nearest cycles free of speech (None: there are none)."""
        assert self.period is not None
        self._follow(self.period)
        near = max(2, int(FLOOR_WINDOW / self.period))
        reach = min(self._n + 1, HISTORY)
        clean: list[Vector] = []
        taken: list[Vector] = []
        takers: set[int] = set()
        for k in range(self._cycles(self.period)):
            lag = int(self._lags[k])
            stale = (self._n - int(self._aligned[k])) * FRAME_S
            cap = max(MAX_SPREAD, int(np.ceil(SPREAD_SHARE * lag)))
            wide = JITTER + min(cap, int(DRIFT * (k + 1) * stale))
            if lag + wide >= reach:
                break
            rows = self._rows(lag + np.arange(-wide, wide + 1))
            if not self._valid[rows].all():
                continue
            segment = int(self._segment[rows].max())
            if segment == 0:
                clean.append(self._energies[rows].max(axis=0))
                if len(clean) == CLEAN_CYCLES:
                    break
            elif k < near and not (in_speech and segment == self._segments):
                taken.append(self._energies[rows].max(axis=0))
                takers.add(segment)
            if k + 1 == near and not clean and len(takers) >= 2:
                # different "utterances" at the same phase, cycle after cycle: the pump
                return np.asarray(np.min(taken, axis=0))
        if clean:  # the typical of the nearest few: one misplaced cycle does not sink it
            return np.asarray(np.median(clean, axis=0))
        return None

    def _cycles(self, period: float) -> int:
        """How many cycles back fit in the history."""
        return min(MAX_CYCLES, int((HISTORY - 2) / (period * (1 + SPREAD_SHARE)) - 1))

    def _plain_floor(self) -> Vector | None:
        reach = min(self._n + 1, HISTORY) - DELAY
        if reach <= 0:
            return None
        rows = self._rows(DELAY + np.arange(reach))
        keep = rows[self._valid[rows] & ~self._speech[rows]][:PLAIN_WINDOW]
        if len(keep) == 0:
            return None
        return np.asarray(self._energies[keep].max(axis=0))

    def _follow(self, period: float) -> None:
        """Re-seed lags far from their cycle (a new period) or not aligned lately (a guess)."""
        expected = np.rint(period * np.arange(1, MAX_CYCLES + 1)).astype(np.int64)
        off = np.minimum(np.maximum(3, 0.12 * expected), 0.4 * period)
        far = np.abs(self._lags - expected) > off
        self._lags[far] = expected[far]
        self._aligned[far] = self._n - HISTORY  # as unsure as a lag gets
        unsure = self._n - self._aligned > UNSURE
        self._lags[unsure] = expected[unsure]

    def _align(self, period: float) -> None:
        """Move each lag towards where the recent past best matches the same stretch k cycles ago.

        Energies smoothed over three frames are compared (band noise flickers from frame to
        frame; the cycle's edges do not), differences clipped so that speech in the stretch
        weighs no more than a misplaced edge, over a search wide enough to escape a shallow
        false minimum. Only frames heard on both sides count, so after a gap in the frames
        the cycles from before it are found again as soon as a few frames have been heard.
        """
        self._follow(period)
        context = max(10, round(ALIGN_CONTEXT * period))
        offsets = np.arange(1, context + 1)  # the newest frame is not smoothed yet
        offsets = offsets[self._valid[self._rows(offsets)]]
        if len(offsets) < ALIGN_MIN_FRAMES:
            return
        reach = min(self._n, HISTORY - 1)
        for k in range(self._cycles(period)):
            lag = int(self._lags[k])
            fresh = self._n - int(self._aligned[k]) <= ALIGN_EVERY
            span = min(lag, round(period)) if fresh else lag  # a lag lost track of: look wider
            search = max(ALIGN_SEARCH, int(np.ceil(ALIGN_SEARCH_SHARE * span)))
            steps = np.arange(-search, search + 1)
            if lag + search + ALIGN_MIN_FRAMES >= reach:
                break
            near = offsets[offsets + lag + search < reach]  # never past the oldest frame kept
            here = self._rows(near)
            recent = self._smooth[here][None]
            there = (here[None, :] - (lag + steps)[:, None]) % HISTORY
            heard = self._valid[there]
            counts = heard.sum(axis=1)
            if counts.min() < ALIGN_MIN_FRAMES:
                continue
            difference = np.minimum(np.abs(self._smooth[there] - recent), ALIGN_CLIP_DB)
            cost = (difference.mean(axis=2) * heard).sum(axis=1) / counts
            move = int(steps[int(np.argmin(cost))])
            if k == 0 and self._matches_better_than_half(here, lag + move, float(cost.min())):
                self._confirmed = self._listened  # the cycle is still there: follow its speed
                self.period = period = period + PERIOD_PULL * (lag + move - period)
            if fresh:
                move = int(np.clip(move, -ALIGN_STEP, ALIGN_STEP))
            self._lags[k] += move
            self._aligned[k] = self._n

    def _matches_better_than_half(self, here: Index, lag: int, cost: float) -> bool:
        """Whether the recent past matches one cycle back far better than half a cycle back."""
        half = lag // 2
        there = (here - half) % HISTORY
        heard = self._valid[there]
        if heard.sum() < ALIGN_MIN_FRAMES:
            return False
        difference = np.minimum(np.abs(self._smooth[there] - self._smooth[here]), ALIGN_CLIP_DB)
        return cost < CONFIRM_RATIO * float(difference.mean(axis=1)[heard].mean())

    def _estimate_period(self) -> None:
        """Median AMDF of the loudness envelope over the last 6 s, skipping speech and gaps.

        While no period is known, a second try counts the frames taken for speech too: if
        those were the pump's suction mistaken for speech, leaving them out would hide the
        very cycle that explains them.
        """
        length = min(self._n + 1, ENVELOPE_FRAMES)
        rows = self._rows(np.arange(length)[::-1])
        loudness = self._loudness[rows]
        found = None
        if self.period is not None:  # track: stay near the period already followed
            found, _ = _cycle_in(
                loudness, self._speech[rows] | ~self._valid[rows], self._reference, self.period
            )
        if found is None and (
            self.period is None or self._listened - self._confirmed > REACQUIRE
        ):  # look afresh: none yet, or the pump changed its pace
            found, reference = _cycle_in(loudness, self._speech[rows] | ~self._valid[rows])
            if found is None:
                found, reference = _cycle_in(loudness, ~self._valid[rows])
            if found is not None or self.period is None:
                self._reference = reference
        if found is not None:
            self.period, self._confirmed = found, self._listened
        elif self._listened - self._confirmed > PERIOD_HOLD:
            self.period = None

    def segment_is_cycle(self) -> bool:
        """Whether the utterance in progress is the pump's cycle (it started, or changed).

        If so, its frames are relabelled as noise, so the floor learns them at once, and what
        was heard before it is forgotten: it no longer describes the noise.
        """
        past = self._rows(np.arange(min(self._n, HISTORY - 1), 0, -1))
        ours = self._segment[past] == self._segments
        rows = past[ours & self._valid[past]]
        found, reference = _cycle_in(self._loudness[rows], np.zeros(len(rows), dtype=bool))
        if found is None:
            return False
        self._speech[rows] = False
        self._segment[rows] = 0
        self._valid[past[: int(np.argmax(ours))]] = False
        self.period, self._reference, self._confirmed = found, reference, self._listened
        return True


def _cycle_in(
    loudness: Vector, unusable: BoolArray, reference: float | None = None, near: float | None = None
) -> tuple[float | None, float]:
    """The cycle, in frames, of a loudness envelope (oldest first), and the AMDF reference.

    With `near`, only lags within -20 %/+25 % of it are tried and `reference` (the typical
    difference measured when the cycle was found) judges how deep the valley is.
    """
    length = len(loudness)
    low, top = MIN_LAG, min(MAX_LAG, length - MIN_PAIRS)
    if near is not None:
        low, top = max(low, int(0.8 * near)), min(top, int(np.ceil(1.25 * near)))
    if top < low + 6:
        return None, reference or 0.0
    lags = np.arange(low, top + 1)
    later = np.arange(length - 1, low - 1, -1)[None, :]
    earlier = later - lags[:, None]
    skip = (earlier < 0) | unusable[later] | unusable[np.maximum(earlier, 0)]
    counts = (~skip).sum(axis=1)
    if counts.min() < MIN_PAIRS:  # mostly speech or gap
        return None, reference or 0.0
    difference = np.abs(loudness[later] - loudness[np.maximum(earlier, 0)])
    difference = np.where(skip, np.inf, difference)
    difference.sort(axis=1)
    amdf = difference[np.arange(len(lags)), counts // 2]
    if reference is None:
        reference = float(np.median(amdf))
    smooth = np.convolve(amdf, np.ones(5) / 5, mode="same")
    smooth[:2] = smooth[-2:] = np.inf
    best = float(smooth.min())
    if reference <= 0 or 1 - best / reference < PERIODIC:
        return None, reference
    i = int(np.argmax(smooth <= best + 0.2 * (reference - best)))
    while i + 1 < len(smooth) and smooth[i + 1] < smooth[i]:
        i += 1
    if near is None:  # prefer the cycle over twice the cycle
        half = (i + low) // 2 - low
        if half >= 3:
            j = half - 3 + int(np.argmin(smooth[half - 3 : half + 4]))
            if smooth[j] <= best + 0.4 * (reference - best):
                i = j
    rim = smooth[i] + 0.3 * (reference - smooth[i])
    left = right = i
    while left > 0 and smooth[left - 1] <= rim:
        left -= 1
    while right + 1 < len(smooth) and smooth[right + 1] <= rim:
        right += 1
    if left <= 2 or right >= len(smooth) - 3:  # no whole valley within the lags tried
        return None, reference
    return float(lags[left] + lags[right]) / 2, reference
