#!/usr/bin/env python3
"""The recognition benchmark (issue 4): `python scripts/bench_recognition.py [--seed N]`.

Builds its own audio offline, hears it with our pipeline and with a naive build, and prints
one table: accuracy per SNR, false activations, latency, real-time factor, load, memory.
See `assistant/bench/` for how each figure is made.
"""

import sys

from assistant.bench.run import main

if __name__ == "__main__":
    sys.exit(main())
