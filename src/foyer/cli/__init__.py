"""The ``foyer`` command line."""
