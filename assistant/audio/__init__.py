"""Audio in: PCM helpers, sources (WAV file, microphone), and synthetic test audio."""
