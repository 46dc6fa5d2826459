"""The `pumpcoach` command: parse arguments, build adapters, call the library, format."""
