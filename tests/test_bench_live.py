"""How the live benchmark times the coach's reactions on the speaker's monitor: no sound
server here, a monitor recording made up of a cue, a cut and the coach's answer."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.bench.live import SOUND, LiveRun, _rendered
from assistant.bench.sound_server import SPEAKER_RATE
from assistant.demo.scenario import Utterance

ANSWER = "Paused. Say resume when you're ready."
VIEW = f"""\
 0:01  coach: Rest now, and let the pump do its work.
 0:13  you: pause   (over the coach)
 0:13  coach: {ANSWER}
"""


def _monitor(cue_until_s: float, answer_at_s: float) -> np.ndarray:
    """A cue (loud noise) from 10 s to `cue_until_s`, then the answer at `answer_at_s`."""
    rng = np.random.default_rng(0)
    played = np.zeros(20 * SPEAKER_RATE, dtype=np.int16)
    start, end = 10 * SPEAKER_RATE, round(cue_until_s * SPEAKER_RATE)
    played[start:end] = rng.normal(0, 3000, end - start).astype(np.int16)
    [answer] = _rendered([ANSWER])
    at = round(answer_at_s * SPEAKER_RATE)
    played[at : at + len(answer)] = answer
    return played


@pytest.mark.parametrize(("cut_after_s", "answer_after_s"), [(0.45, 0.47), (0.3, 0.4), (0.7, 0.9)])
def test_a_cut_is_timed_to_the_cues_last_sound_before_the_answer(
    cut_after_s: float, answer_after_s: float
) -> None:
    """The answer comes straight after the cut, with no silence long enough to mark it."""
    said = [Utterance("pause", 12.0, 12.5)]  # her recording began with the first cue, at 0:01
    played = _monitor(12.5 + cut_after_s, 12.5 + answer_after_s)
    run = LiveRun(VIEW, "", 0, said, 0.0, played, 0.0)
    [reaction] = run.reactions()
    assert reaction.kind == "interrupt"
    assert reaction.delay_s == pytest.approx(cut_after_s, abs=0.01)


def test_an_answer_in_the_quiet_is_timed_to_its_first_sound() -> None:
    said = [Utterance("pause", 12.0, 12.5)]
    played = _monitor(11.0, 13.1)
    [reaction] = LiveRun(VIEW, "", 0, said, 0.0, played, 0.0).reactions()
    assert reaction.kind == "answer"
    [answer] = _rendered([ANSWER])
    first_word_s = np.flatnonzero(np.abs(answer) > SOUND)[0] / SPEAKER_RATE
    assert reaction.delay_s == pytest.approx(0.6 + first_word_s, abs=0.01)
