"""Project: what the holder wants to create and what a committee reads about it, in a few
lines, each saved as typed."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QScrollArea, QVBoxLayout, QWidget

from advisor_app.domain.enums import Recommendation
from advisor_app.domain.errors import ValidationError
from advisor_app.domain.messages import N_
from advisor_app.domain.money import cents_from_text
from advisor_app.i18n import _, format_amount_to_edit, format_date, label, parse_date
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import SavedChoice, SavedField, SavedLine, SavedText

_LINES = (
    ("title", N_("Project")),
    ("sector", N_("Sector")),
    ("legal_form", N_("Legal form")),
)
_TEXTS = (
    ("description", N_("Description")),
    ("market_and_offer", N_("Market and offer")),
)
# the holder's background, kept with the person but written here, where the committee
# file is prepared
_BACKGROUND = (
    ("training", N_("Training")),
    ("experience", N_("Professional experience")),
    ("motivation", N_("Motivation")),
    ("household", N_("Household situation")),
)
_DAYS = (
    ("customer_days", N_("Customer payment terms (days)")),
    ("stock_days", N_("Stock (days of purchases)")),
    ("supplier_days", N_("Supplier payment terms (days)")),
)
_ASSESSMENT = (
    ("strengths", N_("Strengths")),
    ("vigilance", N_("Points of vigilance")),
    ("advisor_opinion", N_("Advisor's opinion")),
)


class ProjectPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, edits, parent)
        self.fields: dict[str, SavedField] = {}
        self.groups: list[tuple[QGroupBox, str]] = []
        inner = QWidget()
        column = QVBoxLayout(inner)

        form = QFormLayout()
        column.addLayout(form)
        for key, caption in _LINES:
            self._add(form, key, caption, SavedLine(partial(self._save, key), edits))
        self._add(form, "planned_start", N_("Planned start"), SavedLine(self._save_start, edits))
        self._add(form, "expected_jobs", N_("Jobs expected"), SavedLine(self._save_jobs, edits))
        for key, caption in _TEXTS:
            self._add(form, key, caption, SavedText(partial(self._save, key), edits))

        form = self._group(column, N_("Holder's background"))
        for key, caption in _BACKGROUND:
            self._add(form, key, caption, SavedText(partial(self._save_person, key), edits))

        form = self._group(column, N_("Working capital need"))
        for key, caption in _DAYS:
            self._add(form, key, caption, SavedLine(partial(self._save_days, key), edits))

        form = self._group(column, N_("For the committee"))
        for key, caption in _ASSESSMENT:
            self._add(form, key, caption, SavedText(partial(self._save, key), edits))
        self.recommendation = SavedChoice(
            _recommendation_choices(), partial(self._save, "recommendation"), edits
        )
        self._add(form, "recommendation", N_("Recommendation"), self.recommendation)
        self._add(
            form,
            "recommended_amount_cents",
            N_("Amount recommended (€)"),
            SavedLine(self._save_amount, edits),
        )
        self._add(
            form,
            "opinion_signed_on",
            N_("Date of the opinion"),
            SavedLine(partial(self._save_date, "opinion_signed_on"), edits),
        )
        column.addStretch(1)

        inner.setMaximumWidth(820)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, scrolled into view
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _group(self, column: QVBoxLayout, title: str) -> QFormLayout:
        group = QGroupBox(_(title))
        self.groups.append((group, title))
        column.addWidget(group)
        return QFormLayout(group)

    def _add(self, form: QFormLayout, key: str, caption: str, field: SavedField) -> None:
        self.fields[key] = field
        self.add_row(form, caption, field)

    def _save(self, key: str, value: Any) -> Callable[[], object]:
        """Checked now (a refusal is said at once), written by the one writer."""
        cases, case_id = self.session.services.cases, self.case_id
        cases.checked_project({key: value})
        return lambda: cases.update_project(case_id, {key: value})

    def _save_person(self, key: str, value: Any) -> Callable[[], object]:
        cases, case_id = self.session.services.cases, self.case_id
        cases.checked_person({key: value})
        return lambda: cases.update_person(case_id, {key: value})

    def _save_start(self, text: str) -> Callable[[], object]:
        return self._save_date("planned_start", text)

    def _save_date(self, key: str, text: str) -> Callable[[], object]:
        return self._save(key, parse_date(key, text) if text.strip() else None)

    def _save_jobs(self, text: str) -> Callable[[], object]:
        try:
            jobs = int(text.strip() or "0")
        except ValueError:
            raise ValidationError(
                "expected_jobs", N_("Type a whole number of jobs, such as 0, 1 or 2.")
            ) from None
        return self._save("expected_jobs", jobs)

    def _save_days(self, key: str, text: str) -> Callable[[], object]:
        try:
            days = int(text.strip()) if text.strip() else None
        except ValueError:
            raise ValidationError(
                key, N_("Type a whole number of days, such as 0, 30 or 60.")
            ) from None
        return self._save(key, days)

    def _save_amount(self, text: str) -> Callable[[], object]:
        key = "recommended_amount_cents"
        return self._save(key, cents_from_text(key, text) if text.strip() else None)

    def retranslate(self) -> None:
        for group, title in self.groups:
            group.setTitle(_(title))
        self.recommendation.set_choices(_recommendation_choices())
        super().retranslate()

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        project, person = detail.project, detail.person
        for key, _caption in (*_LINES, *_TEXTS, *_ASSESSMENT):
            self.fields[key].set_value(getattr(project, key))
        for key, _caption in _BACKGROUND:
            self.fields[key].set_value(getattr(person, key))
        for key, _caption in _DAYS:
            days = getattr(project, key)
            self.fields[key].set_value("" if days is None else str(days))
        self.fields["planned_start"].set_value(format_date(project.planned_start, "short"))
        self.fields["expected_jobs"].set_value(str(project.expected_jobs))
        recommendation = project.recommendation
        self.recommendation.set_value(recommendation.value if recommendation else "")
        amount = project.recommended_amount_cents
        self.fields["recommended_amount_cents"].set_value(
            "" if amount is None else format_amount_to_edit(amount)
        )
        self.fields["opinion_signed_on"].set_value(format_date(project.opinion_signed_on, "short"))


def _recommendation_choices() -> list[tuple[str, str]]:
    return [(_("Not given yet"), "")] + [(label(r), r.value) for r in Recommendation]
