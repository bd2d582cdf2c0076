"""The closed lists of the advisor's world, with their labels marked for translation."""

from __future__ import annotations

from enum import StrEnum

from advisor_app.domain.messages import N_


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry an untranslated label (`label_id`)."""

    @property
    def label_id(self) -> str:
        # Keyed by class too: members of different enums with the same value ("other")
        # are equal as strings.
        return _LABELS[(type(self), self.value)]

    @classmethod
    def parse(cls, value: str) -> LabelledEnum:
        return cls(value.strip().lower().replace("-", "_"))


class Gender(LabelledEnum):
    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"
    UNSPECIFIED = "unspecified"


class Situation(LabelledEnum):
    JOB_SEEKER = "job_seeker"
    MINIMUM_INCOME = "minimum_income"
    EMPLOYEE = "employee"
    STUDENT = "student"
    OTHER = "other"


class CaseStatus(LabelledEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Outcome(LabelledEnum):
    BUSINESS_CREATED = "business_created"
    ABANDONED = "abandoned"
    EMPLOYMENT = "employment"
    REDIRECTED = "redirected"
    OTHER = "other"


class AppointmentMode(LabelledEnum):
    OFFICE = "office"
    THIRD_PLACE = "third_place"
    HOME = "home"
    PHONE = "phone"
    VIDEO = "video"


class AppointmentStatus(LabelledEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class FundingKind(LabelledEnum):
    HONOUR_LOAN = "honour_loan"
    BANK_LOAN = "bank_loan"
    GUARANTEE = "guarantee"
    GRANT = "grant"
    MICROCREDIT = "microcredit"
    EQUITY = "equity"
    OTHER = "other"


class FundingDecision(LabelledEnum):
    PENDING = "pending"
    GRANTED = "granted"
    PARTIALLY_GRANTED = "partially_granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class FinancingSide(LabelledEnum):
    NEED = "need"
    RESOURCE = "resource"


class ConsentScope(LabelledEnum):
    PROCESSING = "processing"
    SHARING = "sharing"


class Recommendation(LabelledEnum):
    """The advisor's formal opinion to the committee (none given yet: no member)."""

    FAVOURABLE = "favourable"
    FAVOURABLE_WITH_RESERVATIONS = "favourable_with_reservations"
    UNFAVOURABLE = "unfavourable"


_LABEL_PAIRS: tuple[tuple[LabelledEnum, str], ...] = (
    (Gender.WOMAN, N_("Woman")),
    (Gender.MAN, N_("Man")),
    (Gender.OTHER, N_("Other")),
    (Gender.UNSPECIFIED, N_("Not specified")),
    (Situation.JOB_SEEKER, N_("Job seeker")),
    (Situation.MINIMUM_INCOME, N_("Minimum-income recipient")),
    (Situation.EMPLOYEE, N_("Employee")),
    (Situation.STUDENT, N_("Student")),
    (Situation.OTHER, N_("Other situation")),
    (CaseStatus.ACTIVE, N_("Active")),
    (CaseStatus.CLOSED, N_("Closed")),
    (Outcome.BUSINESS_CREATED, N_("Business created")),
    (Outcome.ABANDONED, N_("Project abandoned")),
    (Outcome.EMPLOYMENT, N_("Returned to employment")),
    (Outcome.REDIRECTED, N_("Redirected to another network")),
    (Outcome.OTHER, N_("Other outcome")),
    (AppointmentMode.OFFICE, N_("Office")),
    (AppointmentMode.THIRD_PLACE, N_("Third place")),
    (AppointmentMode.HOME, N_("Home visit")),
    (AppointmentMode.PHONE, N_("Phone")),
    (AppointmentMode.VIDEO, N_("Video call")),
    (AppointmentStatus.PLANNED, N_("Planned")),
    (AppointmentStatus.DONE, N_("Done")),
    (AppointmentStatus.CANCELLED, N_("Cancelled")),
    (AppointmentStatus.NO_SHOW, N_("No-show")),
    (FundingKind.HONOUR_LOAN, N_("Honour loan")),
    (FundingKind.BANK_LOAN, N_("Bank loan")),
    (FundingKind.GUARANTEE, N_("Guarantee")),
    (FundingKind.GRANT, N_("Grant")),
    (FundingKind.MICROCREDIT, N_("Microcredit")),
    (FundingKind.EQUITY, N_("Equity")),
    (FundingKind.OTHER, N_("Other funding")),
    (FundingDecision.PENDING, N_("Pending")),
    (FundingDecision.GRANTED, N_("Granted")),
    (FundingDecision.PARTIALLY_GRANTED, N_("Partially granted")),
    (FundingDecision.REFUSED, N_("Refused")),
    (FundingDecision.WITHDRAWN, N_("Withdrawn")),
    (FinancingSide.NEED, N_("Need")),
    (FinancingSide.RESOURCE, N_("Resource")),
    (ConsentScope.PROCESSING, N_("Data processing")),
    (ConsentScope.SHARING, N_("Sharing with a partner")),
    (Recommendation.FAVOURABLE, N_("Favourable")),
    (Recommendation.FAVOURABLE_WITH_RESERVATIONS, N_("Favourable with reservations")),
    (Recommendation.UNFAVOURABLE, N_("Unfavourable")),
)
_LABELS: dict[tuple[type, str], str] = {
    (type(member), member.value): text for member, text in _LABEL_PAIRS
}


class CaseScope(LabelledEnum):
    """Whose cases a list, the agenda or the activity report covers, in team mode. Mine: the
    cases not shared with the team and the shared ones whose référent is the advisor (or
    nobody); the team's: every shared case, the advisor's own included; all: both."""

    MINE = "mine"
    TEAM = "team"
    ALL = "all"


_LABELS.update(
    {
        (CaseScope, CaseScope.MINE.value): N_("My cases"),
        (CaseScope, CaseScope.TEAM.value): N_("The team's cases"),
        (CaseScope, CaseScope.ALL.value): N_("All cases"),
    }
)
