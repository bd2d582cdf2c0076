"""Files shipped with Boussole, found through `importlib.resources` in a checkout, a wheel or
a desktop bundle alike: never through paths relative to the source tree.

The top-level folders `resources/` (pathways, schemas, fonts, the user guide, icons) and
`translations/` (gettext catalogues) are the sources; installed, they are the packages
`advisor_app.resources` and `advisor_app.translations` (see setup.py and pyproject.toml).
"""

from __future__ import annotations

from importlib.resources import as_file, files
from importlib.resources.abc import Traversable

__all__ = ["as_file", "catalogue_folder", "resource"]


def resource(*parts: str) -> Traversable:
    """The shipped file or folder at `parts`, e.g. `resource("pathways", "standard.json")`."""
    return _descend(files("advisor_app.resources"), parts)


def catalogue_folder(language: str) -> Traversable:
    """The `LC_MESSAGES` folder of `language`: `messages.po`, and the `.mo` compiled from it
    when the package is built (setup.py) or by `make catalogues`."""
    return _descend(files("advisor_app.translations"), (language, "LC_MESSAGES"))


def _descend(folder: Traversable, parts: tuple[str, ...]) -> Traversable:
    """One `joinpath` per part: Python 3.11's MultiplexedPath (what a desktop bundle's
    packages give) takes a single name at a time."""
    for part in parts:
        folder = folder.joinpath(part)
    return folder
