"""Build hooks that pyproject.toml cannot declare: the package list, and the gettext
catalogues compiled to `.mo` inside the wheel (the sources in `translations/` stay `.po`)."""

from __future__ import annotations

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    """`build_py`, then each `translations/<language>/LC_MESSAGES/messages.po` compiled."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        built = Path(self.build_lib) / "advisor_app" / "translations"
        for po_path in sorted(built.glob("*/LC_MESSAGES/*.po")):
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=po_path.parts[-3])
            with po_path.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog)


setup(
    packages=[
        *find_packages(include=["advisor_app", "advisor_app.*"]),
        "advisor_app.resources",
        "advisor_app.translations",
    ],
    cmdclass={"build_py": BuildWithCatalogues},
)
