"""Foyer: the self-service front door to an organisation's operational workflows."""

__version__ = "0.1.0"
