"""Routines are data: TOML files here (and in her own folder), checked by `model`."""
