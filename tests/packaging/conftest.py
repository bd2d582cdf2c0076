"""The packaging scripts live in `packaging/`, a folder of scripts rather than a package (a
package of that name would hide the `packaging` library): it is put at the END of the import
path, so its modules are found by name and shadow nothing installed."""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
if str(PACKAGING) not in sys.path:
    sys.path.append(str(PACKAGING))
