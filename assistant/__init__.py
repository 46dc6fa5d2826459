"""Pump Coach: an offline, hands-free, voice-guided breast-massage coach for pumping."""

__version__ = "0.1.0"
