"""`python -m assistant` is the same as the `pumpcoach` console script."""

from assistant.cli.main import main

raise SystemExit(main())
