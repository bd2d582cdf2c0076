"""What a service call changed, so that each open view decides whether to redraw."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    cases: frozenset[str] = field(default_factory=frozenset)
    case_list: bool = False
    agenda: bool = False
    settings: bool = False
    outbox: bool = False

    @classmethod
    def of_case(cls, case_id: str, *, agenda: bool = False) -> Changes:
        return cls(cases=frozenset({case_id}), case_list=True, agenda=agenda)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            cases=self.cases | other.cases,
            case_list=self.case_list or other.case_list,
            agenda=self.agenda or other.agenda,
            settings=self.settings or other.settings,
            outbox=self.outbox or other.outbox,
        )

    @property
    def empty(self) -> bool:
        return not (self.cases or self.case_list or self.agenda or self.settings or self.outbox)
