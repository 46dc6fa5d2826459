"""The computer's audio devices as PortAudio sees them, and choosing a microphone by name.

sounddevice is imported inside the functions, because importing it fails (OSError) where
the PortAudio library is missing; importing this module never fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.errors import AudioError

NO_PORTAUDIO = (
    "Audio devices cannot be listed because the PortAudio library is missing ({reason}); "
    "install libportaudio2 by running scripts/setup.sh."
)
NO_MICROPHONE = (
    "No microphone was found ({reason}). "
    "Type your commands instead, or connect a microphone and check `pumpcoach devices`."
)


@dataclass(frozen=True)
class DeviceInfo:
    """One PortAudio device: its index, name, channel counts and defaults."""

    index: int
    name: str
    inputs: int
    """Most input (recording) channels; 0 for speakers."""
    outputs: int
    """Most output (playback) channels; 0 for microphones."""
    default_samplerate: float
    is_default_input: bool = False
    is_default_output: bool = False


def import_sounddevice() -> Any:
    """The sounddevice module; OSError or ImportError when PortAudio or the package is missing."""
    import sounddevice

    return sounddevice


def list_devices() -> list[DeviceInfo]:
    """Every device PortAudio knows, in index order; empty when there are none.

    AudioError (one sentence) only when the PortAudio library itself cannot be loaded.
    """
    try:
        sd = import_sounddevice()
    except (OSError, ImportError) as error:
        raise AudioError(NO_PORTAUDIO.format(reason=error)) from error
    try:
        raw = list(sd.query_devices())
    except sd.PortAudioError:
        return []
    default_in, default_out = _default_index(sd, "input"), _default_index(sd, "output")
    return [
        DeviceInfo(
            index=int(info.get("index", position)),
            name=str(info["name"]),
            inputs=int(info["max_input_channels"]),
            outputs=int(info["max_output_channels"]),
            default_samplerate=float(info["default_samplerate"]),
            is_default_input=int(info.get("index", position)) == default_in,
            is_default_output=int(info.get("index", position)) == default_out,
        )
        for position, info in enumerate(raw)
    ]


def _default_index(sd: Any, kind: str) -> int | None:
    """PortAudio's default device of `kind` ("input"/"output"), None when there is none."""
    try:
        return int(sd.query_devices(kind=kind)["index"])
    except (sd.PortAudioError, ValueError, KeyError, TypeError):
        return None


def resolve_input(
    device: str | int | None, devices: Sequence[DeviceInfo] | None = None
) -> int | None:
    """The index of the input device a user named; None means the system default.

    `device` is an index, a numeric string ("3"), or a case-insensitive part of an input
    device's name (an exact name wins over partial matches). `devices` defaults to
    `list_devices()`. AudioError (one sentence, listing the microphones) when there is
    no microphone at all, or the name is unknown or matches more than one.
    """
    if device is None:
        return None
    inputs = [d for d in (list_devices() if devices is None else devices) if d.inputs > 0]
    if not inputs:
        raise AudioError(NO_MICROPHONE.format(reason="this computer has no audio input device"))
    if isinstance(device, int) or device.strip().isdigit():
        index = int(device)
        if any(d.index == index for d in inputs):
            return index
        msg = f"There is no microphone number {index}; choose one of {_candidates(inputs)}."
        raise AudioError(msg)
    wanted = device.strip().casefold()
    exact = [d for d in inputs if d.name.casefold() == wanted]
    matches = exact or [d for d in inputs if wanted in d.name.casefold()]
    if len(matches) == 1:
        return matches[0].index
    if not matches:
        msg = f"No microphone is called {device!r}; choose one of {_candidates(inputs)}."
    else:
        msg = f"{device!r} matches several microphones; choose one of {_candidates(matches)}."
    raise AudioError(msg)


def _candidates(devices: Sequence[DeviceInfo]) -> str:
    return ", ".join(f"{d.index} ({d.name})" for d in devices)


def describe_devices(devices: Sequence[DeviceInfo]) -> str:
    """A short table for `pumpcoach devices`: index, name, channels, rate, which are defaults."""
    if not devices:
        return (
            "No audio devices were found. Connect a microphone or headset; "
            "you can still type commands and read printed cues."
        )
    width = max(len("Name"), *(len(d.name) for d in devices))
    lines = [f"{'#':>3}  {'Name':<{width}}  {'In':>3}  {'Out':>3}  {'Rate':>6}  Default"]
    for d in devices:
        flags = ((d.is_default_input, "input"), (d.is_default_output, "output"))
        marks = [label for flag, label in flags if flag]
        lines.append(
            f"{d.index:>3}  {d.name:<{width}}  {d.inputs:>3}  {d.outputs:>3}  "
            f"{round(d.default_samplerate):>6}  {', '.join(marks)}".rstrip()
        )
    return "\n".join(lines)
