"""The coach's voices compared: Whisper's word error rate on every cue of every routine, and
the time to render a cue.

    .venv/bin/python scripts/bench_voices.py
"""

from __future__ import annotations

import os
import shlex
import sys

import tokenizers

from assistant.bench.voice_quality import Transcriber, cues, measure, median_ms, p95_ms
from assistant.hearing.whisper_encoder import WhisperEncoder
from assistant.hearing.whisper_model import find_whisper_model
from assistant.speech.coach_voices import VOICES, default_voice


def main() -> int:
    model = find_whisper_model(None, os.environ)
    if model is None:
        print("No Whisper model is installed: run scripts/setup.sh.", file=sys.stderr)
        return 1
    tokenizer = tokenizers.Tokenizer.from_file(str(model.folder / "tokenizer.json"))
    transcribe = Transcriber(WhisperEncoder(model.folder), tokenizer)
    texts = cues()
    print(f"{len(texts)} cues, {sum(len(t.split()) for t in texts)} words, in each voice")
    print(f"{'voice':<10} {'WER':>6} {'render p50':>11} {'render p95':>11} {'RTF':>6}")
    worst = []
    for voice in (v for v in VOICES if v.installed()):
        f = measure(voice, texts, transcribe)
        rtf = sum(f.render_s) / f.spoken_s
        mark = "  (default)" if voice == default_voice() else ""
        print(
            f"{f.voice:<10} {f.wer:6.1%} {median_ms(f.render_s):9.0f} ms"
            f" {p95_ms(f.render_s):8.0f} ms {rtf:6.3f}{mark}"
        )
        worst += [(f.voice, *w) for w in f.worst]
    print("\nworst cues, by voice (error rate, cue -> Whisper):")
    for voice_id, rate, text, heard in worst:
        print(f"  {voice_id}: {rate:.0%} {text!r} -> {heard!r}")
    print(f"\ncommand: {shlex.join(['python', *sys.argv])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
