"""The titles of the open cases' tabs: the person's name, and when two open cases bear the
same name, what tells them apart (birth year, else commune, else the day the case opened)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from advisor_app.domain.names import folded_name
from advisor_app.i18n import _, format_date
from advisor_app.services.views import CaseDetail


def _birth_year(detail: CaseDetail) -> str:
    birth = detail.person.birth_date
    return str(birth.year) if birth is not None else ""


def _commune(detail: CaseDetail) -> str:
    return detail.person.commune.strip()


def _opened(detail: CaseDetail) -> str:
    return _("opened on {date}").format(date=format_date(detail.opened_on))


_DISTINCTIONS: tuple[Callable[[CaseDetail], str], ...] = (_birth_year, _commune, _opened)


def case_tab_titles(cases: Sequence[tuple[str, CaseDetail | None]]) -> list[str]:
    """One title per (case id, read model) in tab order: the display name alone when it is
    the only one open, else followed by the first distinction that differs between all the
    cases of that name ("Amélie Dupré-Lefèvre (1988)", "… (Guéret)")."""
    titles = [
        detail.person.display_name if detail is not None else case_id for case_id, detail in cases
    ]
    groups: dict[str, list[int]] = defaultdict(list)
    for index, title in enumerate(titles):
        groups[folded_name(title)].append(index)
    for indexes in groups.values():
        details = [cases[i][1] for i in indexes]
        if len(indexes) < 2 or any(d is None for d in details):
            continue
        known = [d for d in details if d is not None]
        for distinction in _DISTINCTIONS:
            values = [distinction(d) for d in known]
            if all(values) and len(set(values)) == len(values):
                break
        else:  # nothing tells them apart on its own: all that is known
            values = [", ".join(v for v in (f(d) for f in _DISTINCTIONS) if v) for d in known]
        for index, value in zip(indexes, values, strict=True):
            titles[index] = _("{name} ({distinction})").format(
                name=titles[index], distinction=value
            )
    return titles
