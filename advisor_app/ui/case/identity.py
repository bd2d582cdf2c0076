"""Identity: who the project holder is, saved field by field."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QScrollArea, QVBoxLayout, QWidget

from advisor_app.domain.enums import Gender, Situation
from advisor_app.domain.messages import N_
from advisor_app.i18n import format_date, label, parse_date
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.consents import ConsentsBox
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import FlowLayout
from advisor_app.ui.widgets.fields import (
    SavedCheck,
    SavedChoice,
    SavedField,
    SavedLine,
)

_TEXT_FIELDS = (
    ("first_name", N_("First name")),
    ("last_name", N_("Last name")),
    ("email", N_("E-mail")),
    ("phone", N_("Phone")),
    ("address", N_("Address")),
    ("postcode", N_("Postcode")),
    ("commune", N_("Commune")),
    ("referred_by", N_("Referred by")),
)


class IdentityPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, edits, parent)
        self.fields: dict[str, SavedField] = {}
        form = QFormLayout()
        for key, caption in _TEXT_FIELDS[:2]:
            self._line(form, key, caption)
        self.fields["birth_date"] = SavedLine(self._save_birth_date, edits)
        self.add_row(form, N_("Birth date"), self.fields["birth_date"])
        self.fields["gender"] = SavedChoice(
            [(label(g), g.value) for g in Gender], lambda v: self._save("gender", v), edits
        )
        self.add_row(form, N_("Gender"), self.fields["gender"])
        for key, caption in _TEXT_FIELDS[2:]:
            self._line(form, key, caption)
        self.fields["situation"] = SavedChoice(
            [(label(s), s.value) for s in Situation], lambda v: self._save("situation", v), edits
        )
        self.add_row(form, N_("Situation"), self.fields["situation"])
        checks = FlowLayout()  # one under the other when the page is narrow
        for key, caption in (
            ("priority_neighbourhood", N_("Lives in a priority neighbourhood")),
            ("rural_area", N_("Lives in a rural area")),
        ):
            field = SavedCheck("", partial(self._save, key), edits)
            self.texts.add(field.check, caption)
            field.caption = caption
            self.fields[key] = field
            checks.addWidget(field)
        form.addRow(checks)

        self.consents = ConsentsBox(session, case_id, edits)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.addLayout(form)
        column.addWidget(self.consents)
        column.addStretch(1)
        inner.setMaximumWidth(720)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, scrolled into view
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _line(self, form: QFormLayout, key: str, caption: str) -> None:
        field = SavedLine(lambda v: self._save(key, v), self.edits)
        self.fields[key] = field
        self.add_row(form, caption, field)

    def _save(self, key: str, value: Any) -> Callable[[], object]:
        """Checked now (a refusal is said at once), written by the one writer."""
        cases, case_id = self.session.services.cases, self.case_id
        cases.checked_person({key: value})
        return lambda: cases.update_person(case_id, {key: value})

    def _save_birth_date(self, text: str) -> Callable[[], object]:
        value = parse_date("birth_date", text) if text.strip() else None
        return self._save("birth_date", value)

    def retranslate(self) -> None:
        self.consents.retranslate()
        super().retranslate()

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        self.consents.show_detail(detail)
        person = detail.person
        for key, _caption in _TEXT_FIELDS:
            self.fields[key].set_value(getattr(person, key))
        self.fields["birth_date"].set_value(format_date(person.birth_date, "short"))
        gender = self.fields["gender"]
        situation = self.fields["situation"]
        assert isinstance(gender, SavedChoice) and isinstance(situation, SavedChoice)
        gender.set_choices([(label(g), g.value) for g in Gender])
        situation.set_choices([(label(s), s.value) for s in Situation])
        gender.set_value(person.gender.value)
        situation.set_value(person.situation.value)
        self.fields["priority_neighbourhood"].set_value(person.priority_neighbourhood)
        self.fields["rural_area"].set_value(person.rural_area)
