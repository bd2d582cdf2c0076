"""English is the source language: fill the English catalogue's empty entries with their id."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(path: Path) -> int:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = message.id
        elif not message.string:
            message.string = message.id
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
