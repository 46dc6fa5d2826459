"""Hearing her: endpointing, recognizer adapters (vosk, pocketsphinx), the mic gate."""
