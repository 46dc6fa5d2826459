"""The session: its events, its effects, and the pure state machine between them."""
