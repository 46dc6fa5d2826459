"""Which engine hears her, decided in one place, and built from one table.

The default: vosk when a vosk model is found, else pocketsphinx with the model inside its
package (so she is heard on a fresh machine), and every command either proposes is checked by
Whisper (`verifier.py`) when its model is installed and its files are the ones recorded
(`whisper_model.py`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from assistant.hearing.echo import EchoRemoval, Played
from assistant.hearing.models import ENGINES, EngineChoice, choose_engine
from assistant.hearing.recognizer import Recognizer
from assistant.hearing.whisper_model import WhisperModel, altered_files, find_whisper_model
from assistant.settings import Settings

NAMES = ENGINES


def choose(
    settings: Settings,
    env: Mapping[str, str],
    models_dir: Path,
    forced: str | None = None,
    vosk_model: Path | None = None,
) -> EngineChoice:
    """The engine to run and why; `forced` (--engine) names one. ModelError when a forced
    engine cannot run or is not an engine (the sentence names those there are)."""
    return choose_engine(vosk_model or settings.vosk_model, env, models_dir, forced)


def build(choice: EngineChoice, settings: Settings, env: Mapping[str, str]) -> Recognizer:
    """The recognizer the choice names, grammars generated from the command grammar; vosk's
    and pocketsphinx's commands checked by Whisper (unless `verify` is off, or no usable
    Whisper model is installed, which is said in one sentence)."""
    engine = BUILDERS[choice.engine](choice, settings)
    if not settings.recognition.verify:
        return engine
    whisper = whisper_model(find_whisper_model(settings.whisper_model, env))
    if isinstance(whisper, str):
        print(f"Commands are not double-checked: {whisper}", file=sys.stderr)
        return engine
    from assistant.hearing.verifier import VerifiedRecognizer
    from assistant.hearing.whisper_judge import JudgeError, WhisperJudge

    try:
        judge = WhisperJudge(whisper.folder)
    except JudgeError as error:
        print(f"Commands are not double-checked: {error}.", file=sys.stderr)
        return engine
    return VerifiedRecognizer(engine, judge, settings.recognition)


def echo_removal(settings: Settings, played: Played | None) -> EchoRemoval | None:
    """Barge-in: the echo canceller, fed what the speaker `played`; None (the microphone is
    then shut while the coach talks) when it is off, there is nothing to follow, or no
    canceller runs here (said in one sentence)."""
    if not settings.recognition.barge_in or played is None:
        return None
    from assistant.hearing.echo_speex import EchoError, SpeexEchoCanceller

    try:
        return EchoRemoval(SpeexEchoCanceller(), played)
    except EchoError as error:
        print(f"{error} The microphone is shut while the coach talks.", file=sys.stderr)
        return None


def checking_reason(settings: Settings, env: Mapping[str, str]) -> str:
    """One sentence on whether Whisper checks commands, and with which model."""
    if not settings.recognition.verify:
        return "Commands are not double-checked: `verify` is off in [recognition]."
    whisper = whisper_model(find_whisper_model(settings.whisper_model, env))
    if isinstance(whisper, str):
        return f"Commands are not double-checked: {whisper}"
    return f"Commands are checked by the Whisper model at {whisper.folder} ({whisper.source})."


def whisper_model(model: WhisperModel | None) -> WhisperModel | str:
    """The Whisper model to load, or the sentence saying why there is none to load."""
    if model is None:
        return "no Whisper model is installed (scripts/setup.sh installs it)."
    if not (model.folder / "model.bin").is_file():
        return f"there is no Whisper model at {model.folder} (from {model.source})."
    altered = altered_files(model)
    if altered:
        return (
            f"the Whisper model's {', '.join(altered)} differ from the files Pump Coach was "
            "tested with, so it is not used; scripts/setup.sh reinstalls it."
        )
    return model


def _build_vosk(choice: EngineChoice, settings: Settings) -> Recognizer:
    from assistant.hearing.vosk_engine import VoskRecognizer

    assert choice.model is not None, "a vosk choice carries its model folder"
    return VoskRecognizer(choice.model)


def _build_pocketsphinx(choice: EngineChoice, settings: Settings) -> Recognizer:
    from assistant.grammar.sentences import training_sentences, yes_no_sentences
    from assistant.hearing.pocketsphinx_engine import PocketsphinxRecognizer

    return PocketsphinxRecognizer(training_sentences(), yes_no_sentences())


BUILDERS: dict[str, Callable[[EngineChoice, Settings], Recognizer]] = {
    "vosk": _build_vosk,
    "pocketsphinx": _build_pocketsphinx,
}
"""Every engine, by name: the one table."""
