"""Speech output: one `Speaker` protocol, with live, WAV-file and printed implementations.

Import the implementations from their modules; `live_speaker` needs sounddevice only when
a `LiveSpeaker` is built, and `synthesizer` imports pyttsx3 only when an engine starts.
"""

from assistant.speech.speaker import CueSpan, Speaker, VoiceSettings

__all__ = ["CueSpan", "Speaker", "VoiceSettings"]
