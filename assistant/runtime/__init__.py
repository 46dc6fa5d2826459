"""The outer loop: feeds events to the pure machine and carries out its effects."""
