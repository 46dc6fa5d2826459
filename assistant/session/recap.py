"""What her log said before this session began, handed to the machine as plain data.

The machine never opens the store: the edge (the store recorder) works these numbers out and
sends them in a `Briefing` event, so the spoken summary at the end stays a pure function of
the events the session saw.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Recap(BaseModel):
    """Her day and her recent days, in millilitres, as of the moment this session started."""

    model_config = ConfigDict(frozen=True)

    today_ml: float = Field(ge=0)
    """Milk logged earlier today (her local day), before this session."""
    today_sessions: int = Field(ge=0)
    """Sessions started earlier today, before this one."""
    usual_by_now_ml: float | None = Field(default=None, ge=0)
    """On recent days, the mean logged by this time of day; None while too few days are logged."""
    recent_days: int = Field(default=0, ge=0)
    """How many recent days (with a session logged) that mean is over."""
    best_session_ml: float | None = Field(default=None, ge=0)
    """Her largest session lately; None while too few sessions are logged to say. An amount
    far above it is asked back before it is stored."""
