"""A real PulseAudio server of the test's own, with no sound card: a null sink as the speaker
and the monitor of a second null sink as the microphone, fed from a WAV.

Both sinks are loaded with `norewinds=1`: without it an idle null sink renders 2-second
blocks, and a new microphone stream got its first audio a second late and lost a few per cent
of it. The microphone is a null sink's monitor, not a pipe source, because a pipe source is not
paced in real time and sends nothing at all while nobody writes to it.

Clients (the app through PortAudio and ALSA's `pulse` plugin, pacat, parec) reach this server
and no other through `env`; run them as child processes with it. Needs the Debian packages
pulseaudio, pulseaudio-utils and libasound2-plugins (`scripts/setup.sh --dev`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO

import numpy as np

from assistant.audio.pcm import Samples

SPEAKER_RATE = 22_050
"""The speaker sink's rate: espeak-ng's, so the cues reach the monitor unresampled."""
MIC_RATE = 16_000
SERVER_PA = """\
load-module module-native-protocol-unix socket={socket} auth-anonymous=1 auth-cookie-enabled=0
load-module module-null-sink sink_name=speaker format=s16le rate={speaker} channels=1 norewinds=1
load-module module-null-sink sink_name=micfeed format=s16le rate={mic} channels=1 norewinds=1
set-default-sink speaker
set-default-source micfeed.monitor
"""
DAEMON_CONF = "exit-idle-time = -1\nrealtime-scheduling = no\navoid-resampling = yes\n"
ASOUNDRC = "pcm.!default { type pulse }\nctl.!default { type pulse }\n"


def available() -> bool:
    return all(shutil.which(tool) for tool in ("pulseaudio", "pactl", "pacat", "parec"))


class SoundServer:
    """`with SoundServer() as server:` a running server; its folder is gone afterwards."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="pa-", dir="/tmp"))  # a socket path is short
        run = self.root / "run"
        (run / "pulse").mkdir(parents=True, mode=0o700)
        socket = run / "pulse" / "native"
        (self.root / "server.pa").write_text(
            SERVER_PA.format(socket=socket, speaker=SPEAKER_RATE, mic=MIC_RATE)
        )
        (self.root / "daemon.conf").write_text(DAEMON_CONF)
        (self.root / "client.conf").write_text("autospawn = no\n")
        (self.root / "asoundrc").write_text(ASOUNDRC)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PULSE_")},
            "HOME": str(self.root),
            "XDG_RUNTIME_DIR": str(run),
            "PULSE_RUNTIME_PATH": str(run / "pulse"),
            "PULSE_STATE_PATH": str(self.root / "state"),
            "PULSE_CONFIG": str(self.root / "daemon.conf"),
            "PULSE_CLIENTCONFIG": str(self.root / "client.conf"),
            "PULSE_SERVER": f"unix:{socket}",
            "ALSA_CONFIG_PATH": f"/usr/share/alsa/alsa.conf:{self.root / 'asoundrc'}",
        }
        self._log: IO[bytes] = (self.root / "pulseaudio.log").open("wb")
        self._daemon: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> SoundServer:
        command = ["pulseaudio", "-n", "-F", str(self.root / "server.pa"), "--daemonize=no"]
        command += ["--exit-idle-time=-1", "--realtime=no", "--high-priority=no"]
        self._daemon = subprocess.Popen(
            command, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 10
        while subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode:
            if time.monotonic() > deadline or self._daemon.poll() is not None:
                raise RuntimeError(f"PulseAudio did not start: see {self._log.name}")
            time.sleep(0.1)
        return self

    def __exit__(self, *_: object) -> None:
        if self._daemon is not None:
            self._daemon.terminate()
            self._daemon.wait(timeout=10)
        self._log.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def feed_mic(self, wav: Path) -> subprocess.Popen[bytes]:
        """Start playing `wav` into the microphone, in real time."""
        command = ["pacat", "--playback", "--device=micfeed", "--file-format=wav"]
        return subprocess.Popen([*command, "--latency-msec=500", str(wav)], env=self.env)

    def echo_into_mic(self, latency_ms: int = 60) -> None:
        """Play the speaker back into the microphone, `latency_ms` late, as a room would: the
        coach then hears itself, and the echo canceller has real work on real timing. Both
        null sinks run on the same clock, so the loopback's rate adaptation is off: it would
        move the echo by tens of milliseconds, which no room does."""
        command = ["pactl", "load-module", "module-loopback", "source=speaker.monitor"]
        command += ["sink=micfeed", f"latency_msec={latency_ms}", "adjust_time=0"]
        subprocess.run(command, env=self.env, check=True, capture_output=True)

    def record_speaker(self) -> Recording:
        """Start recording what is played to the speaker."""
        return Recording(self.env, self.root / "speaker.raw")


class Recording:
    """The speaker's monitor, from the moment it was started (`started`, monotonic seconds).
    To a file: a pipe nobody reads fills in a second and a half, and the server then drops
    the recording stream."""

    def __init__(self, env: dict[str, str], path: Path) -> None:
        command = ["parec", "--device=speaker.monitor", "--raw", "--format=s16le"]
        command += [f"--rate={SPEAKER_RATE}", "--channels=1", "--latency-msec=100"]
        self._path = path
        self._file = path.open("wb")
        self.started = time.monotonic()
        self._process = subprocess.Popen(command, env=env, stdout=self._file)

    def so_far(self) -> Samples:
        """What has been recorded until now."""
        raw = self._path.read_bytes()
        return np.frombuffer(raw[: len(raw) // 2 * 2], dtype=np.int16)

    def stop(self) -> Samples:
        self._process.terminate()
        self._process.wait(timeout=10)
        self._file.close()
        return self.so_far()
