"""People's names compared as people read them: "Amélie Dupré-Lefèvre" is "AMELIE DUPRE LEFEVRE"."""

from __future__ import annotations

import re
import unicodedata

_NOT_A_LETTER = re.compile(r"[\W_]+")


def folded_name(text: str) -> str:
    """`text` without case, accents or punctuation, its words one space apart: the key under
    which two spellings of one name meet ("Dupré-Lefèvre", "dupre lefevre", "DUPRÉ LEFÈVRE")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_A_LETTER.sub(" ", plain).strip()
