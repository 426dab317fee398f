"""Pregonero: social networks for public administrations, within the law."""

__version__ = "0.1.0"
