"""Boussole: offline-first case files for advisors who accompany business creators."""

from __future__ import annotations

from functools import cache

DISTRIBUTION = "advisor-app"


@cache
def version() -> str:
    """Boussole's version, from the installed package's metadata (pyproject.toml's `version`,
    its one source)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return version()
    raise AttributeError(name)
