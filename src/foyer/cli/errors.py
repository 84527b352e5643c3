"""The error every command raises for a failure the user can act on."""


class CommandError(Exception):
    """Reported by ``foyer`` as ``error: <message>`` and exit status 1, never a traceback."""
