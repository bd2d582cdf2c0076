"""Boussole: offline-first case files for advisors who accompany business creators."""

__version__ = "0.1.0"
