"""`start`, `run` and `demo` put a session together one way: stored, spoken, closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli.wiring import wired_session
from assistant.clock import VirtualClock
from assistant.commands import Command
from assistant.hearing.gate import MicGate, never_speaking
from assistant.hearing.listener import Listener
from assistant.session.events import CommandEvent
from assistant.session.plan import build_plan
from assistant.settings import Settings
from assistant.store.sqlite_store import SessionStore
from tests.fakes import FakeRecognizer, FakeSpeaker, tiny_routine


class ClosedRecognizer(FakeRecognizer):
    closed: bool = False

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize("ends", ["finished", "interrupted", "error"])
def test_a_wired_session_is_stored_spoken_and_closed_however_it_ends(
    tmp_path: Path, ends: str
) -> None:
    """Stopped by her, by Ctrl-C or by an error: the session gets its end, what she logged is
    kept, the coach said it, and the listener let go of its engine."""
    settings = Settings()
    recognizer = ClosedRecognizer(readings=[])
    listener = Listener(recognizer, settings.recognition, MicGate(never_speaking, 0.0))
    speaker = FakeSpeaker()
    clock = VirtualClock()
    with SessionStore(tmp_path / "s.db") as store:
        try:
            with wired_session(
                build_plan(tiny_routine()), settings, store, clock, "a note", [], speaker, listener
            ) as wired:
                wired.runner.begin(0.0)
                log = Command(intent="log", amounts_ml={"total": 60.0}, text="log 60")
                wired.runner.feed(CommandEvent(t=5.0, command=log))
                if ends == "finished":
                    wired.runner.feed(CommandEvent(t=6.0, command=Command(intent="stop")))
                    wired.runner.feed(CommandEvent(t=7.0, command=Command(intent="yes")))
                    wired.runner.feed(CommandEvent(t=8.0, command=Command(intent="stop")))
                elif ends == "interrupted":
                    raise KeyboardInterrupt
                else:
                    raise OSError("the disk went away")
        except (KeyboardInterrupt, OSError):
            pass
        [session_id] = wired.session_ids
        record = store.session(session_id)
    assert record.ended_at is not None and record.outcome == "stopped_early"
    assert record.yields_ml == {"total": 60.0}
    assert record.notes == "a note"
    assert any("60" in text for _, text, _ in speaker.said)
    assert recognizer.closed


def test_a_warm_up_leads_into_the_pumping_routine_as_a_session_of_its_own(
    tmp_path: Path,
) -> None:
    """Said "start" at the end of the warm-up: the warm-up is stored as before pumping, and the
    pumping routine runs as a new session holding her milk, with her voice settings kept."""
    warm_up = tiny_routine().model_copy(update={"name": "warm", "leads_to": "tiny"})
    plan = build_plan(warm_up, then=build_plan(tiny_routine()))
    speaker = FakeSpeaker()
    with SessionStore(tmp_path / "s.db") as store:
        with wired_session(plan, Settings(), store, VirtualClock(), "", [], speaker) as wired:
            runner = wired.runner
            runner.begin(0.0)
            runner.feed(CommandEvent(t=1.0, command=Command(intent="slower")))
            for t in range(2, 6):
                runner.feed(CommandEvent(t=t, command=Command(intent="next")))
            assert runner.state.phase == "offering"
            runner.feed(CommandEvent(t=6.0, command=Command(intent="start")))
            slower = runner.state.rate_wpm
            for t in range(7, 11):
                runner.feed(CommandEvent(t=t, command=Command(intent="next")))
            log = Command(intent="log", amounts_ml={"total": 60.0}, text="log 60")
            runner.feed(CommandEvent(t=11.0, command=log))
        warm, pumped = (store.session(i) for i in wired.session_ids)
    assert (warm.routine, warm.pumping, warm.outcome, warm.yields_ml) == (
        "warm",
        False,
        "completed",
        {},
    )
    assert (pumped.routine, pumped.pumping, pumped.yields_ml) == ("tiny", True, {"total": 60.0})
    assert slower == Settings().rate_wpm - 20
    assert [step.step_id for step in pumped.steps] == ["pump", "knead", "knead", "shake"]
    assert any(text.startswith("Starting Tiny") for _, text, _ in speaker.said)
