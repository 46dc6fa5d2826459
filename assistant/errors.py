"""One exception hierarchy for everything a user can cause.

Library code raises these; only the CLI turns them into one sentence and an exit code,
so a user never sees a traceback for a mistake that is theirs to fix.
"""


class PumpCoachError(Exception):
    """Root of every error the CLI reports as a sentence rather than a traceback."""


class RoutineError(PumpCoachError):
    """A routine file is missing, unreadable, or does not describe a valid routine."""


class StoreError(PumpCoachError):
    """The session database cannot be opened or written."""


class AudioError(PumpCoachError):
    """No usable audio device or file (microphone, speakers, WAV)."""


class CommandsFileError(PumpCoachError):
    """A scripted commands file has a line that is not `SECONDS TEXT`."""


class ConfigError(PumpCoachError):
    """The settings file (or a command-line value) holds something Pump Coach cannot use."""


class UsageError(PumpCoachError):
    """A command-line value that argparse let through but that makes no sense (e.g. a date)."""


class ReportError(PumpCoachError):
    """A chart or report cannot be made (nothing in the period, or the file cannot be written)."""


class StoreUnavailable(StoreError):
    """The database cannot take a write just now (another program holds it, the disk is full,
    it became read-only); what was not written can be kept and written later."""
