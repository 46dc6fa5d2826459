#!/usr/bin/env bash
# Installs everything Pump Coach needs on a fresh Debian/Ubuntu machine, into ./.venv.
#   bash scripts/setup.sh          # the app
#   bash scripts/setup.sh --dev    # the app plus what the tests need
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# The coach's voices (festival's HTS woman's voice first: see `pumpcoach voices`), audio
# output, and the echo canceller.
SYSTEM_PACKAGES=(festival festvox-us-slt-hts espeak-ng libespeak-ng1 flite libportaudio2 sox
  libspeexdsp1)
# The tests' and the benchmark's other voices, the sound server (a null sink and a
# virtual microphone) that the live-path test starts, and /usr/bin/time for bench_memory.py.
DEV_PACKAGES=(festvox-kallpc16k festvox-kdlpc16k pulseaudio pulseaudio-utils libasound2-plugins
  time)
# The app is installed as a normal package; developers get an editable install with extras.
target="."
if [ "${1:-}" = "--dev" ]; then
  target="-e .[dev]"
  SYSTEM_PACKAGES+=("${DEV_PACKAGES[@]}")
fi

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# shellcheck disable=SC2086  # $target is two words on purpose
.venv/bin/python -m pip install -q $target
echo "Pump Coach is installed: .venv/bin/pumpcoach --help"
