"""Hearing her: frames of audio in, decided commands out.

`listener.py` runs the stages in order: `gate.py` (is the coach talking?), `endpointer.py`
with `noise_floor.py` (is she?), a `Cleaner` (`cleaner.py`, `denoise.py`: the pump taken
out), a `Recognizer` (`recognizer.py`: `vosk_engine.py` or `pocketsphinx_engine.py`, their
commands checked by a `Scorer` in `verifier.py`, `scorer.py`, `whisper_judge.py`), then the
parser. Before the gate, `echo.py` with `echo_speex.py` takes the coach's voice out, and
`echo_floor.py` says how much of it is left, so that she can talk over the coach (barge-in).
`engines.py` builds the recognizer; `models.py`, `fetch.py` and `whisper_model.py` find,
download and check the model files.
"""
