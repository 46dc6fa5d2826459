"""Synthetic sessions: her spoken commands over pump noise, for the demo, tests and benchmark."""
