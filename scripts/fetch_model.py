"""Download the English vosk model (41 MB, checked against its SHA-256) into models/.

The same as `pumpcoach models fetch`. Without it Pump Coach uses pocketsphinx, whose model
needs no download. Run: .venv/bin/python scripts/fetch_model.py [--models-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.hearing.fetch import fetch_vosk_model
from assistant.hearing.models import ModelError, default_models_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models-dir", type=Path, default=None, help="where to put it (default: models/)"
    )
    args = parser.parse_args(argv)
    try:
        path = fetch_vosk_model(args.models_dir or default_models_dir())
    except ModelError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"The English vosk model is ready at {path}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
