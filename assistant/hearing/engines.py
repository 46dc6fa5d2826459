"""Which engine hears her, decided in one place, and built from one table.

Whisper, held to the command grammar, is the engine whenever its model is installed and its
files are the ones recorded (`whisper_model.py`): it is the one the benchmark measures. Else
vosk, when a vosk model is found, else pocketsphinx with the model inside its package, so she
is always heard on a fresh machine; each fallback is said in one sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from assistant.hearing.models import EngineChoice, ModelError, choose_engine
from assistant.hearing.recognizer import Recognizer
from assistant.hearing.whisper_model import WhisperModel, altered_files, find_whisper_model
from assistant.settings import Settings

NAMES = ("whisper", "vosk", "pocketsphinx")


def choose(
    settings: Settings,
    env: Mapping[str, str],
    models_dir: Path,
    forced: str | None = None,
    vosk_model: Path | None = None,
) -> EngineChoice:
    """The engine to run and why; `forced` (--engine) names one. ModelError when a forced
    engine cannot run or is not an engine."""
    if forced is not None and forced not in NAMES:
        raise ModelError(f"There is no speech engine called {forced!r}; use {', '.join(NAMES)}.")
    if forced in (None, "whisper"):
        whisper = whisper_choice(find_whisper_model(settings.whisper_model, env))
        if isinstance(whisper, EngineChoice):
            return whisper
        if forced == "whisper":
            raise ModelError(whisper)
        fallback = choose_engine(vosk_model or settings.vosk_model, env, models_dir)
        return EngineChoice(fallback.engine, fallback.model, f"{whisper} {fallback.reason}")
    return choose_engine(vosk_model or settings.vosk_model, env, models_dir, forced)


def build(choice: EngineChoice, settings: Settings) -> Recognizer:
    """The recognizer the choice names, its grammars generated from the command grammar."""
    return BUILDERS[choice.engine](choice, settings)


def whisper_choice(model: WhisperModel | None) -> EngineChoice | str:
    """Whisper's choice, or the sentence saying why it cannot hear her."""
    if model is None:
        return "No Whisper model is installed (scripts/setup.sh installs it)."
    if not (model.folder / "model.bin").is_file():
        return f"There is no Whisper model at {model.folder} (from {model.source})."
    altered = altered_files(model)
    if altered:
        return (
            f"The Whisper model's {', '.join(altered)} differ from the files Pump Coach was "
            "tested with, so it is not used; scripts/setup.sh reinstalls it."
        )
    reason = f"whisper: the command grammar, heard by the model at {model.folder} ({model.source})"
    return EngineChoice("whisper", model.folder, reason)


def _build_whisper(choice: EngineChoice, settings: Settings) -> Recognizer:
    from assistant.hearing.whisper_grammar import WhisperGrammarRecognizer

    assert choice.model is not None, "a Whisper choice carries its model folder"
    hearing = settings.recognition
    return WhisperGrammarRecognizer(choice.model, hearing.margin, hearing.ask_margin)


def _build_vosk(choice: EngineChoice, settings: Settings) -> Recognizer:
    from assistant.hearing.vosk_engine import VoskRecognizer

    assert choice.model is not None, "a vosk choice carries its model folder"
    return VoskRecognizer(choice.model)


def _build_pocketsphinx(choice: EngineChoice, settings: Settings) -> Recognizer:
    from assistant.hearing.engine_grammar import training_sentences, yes_no_sentences
    from assistant.hearing.pocketsphinx_engine import PocketsphinxRecognizer

    return PocketsphinxRecognizer(training_sentences(), yes_no_sentences())


BUILDERS: dict[str, Callable[[EngineChoice, Settings], Recognizer]] = {
    "whisper": _build_whisper,
    "vosk": _build_vosk,
    "pocketsphinx": _build_pocketsphinx,
}
"""Every engine, by name: the one table."""
