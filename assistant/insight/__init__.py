"""Insight into her log: pure functions over sessions, no SQL, no clock, no printing.

The CLI loads sessions from the store and passes "today" and the time zone in, so every
number here can be checked on a hand-made list, and the same numbers feed the tables, the
chart, the report and the summary spoken at the end of a session.
"""
