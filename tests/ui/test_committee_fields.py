"""An advisor prepares the committee file on the Project page and the funding dialog: the
holder's background, payment terms, assessment, recommendation and the loan's terms, each
saved as typed, and refused where typed wrong."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import FundingKind, Recommendation
from advisor_app.services import NewCase
from advisor_app.ui.case.project import ProjectPage
from advisor_app.ui.dialogs.funding import FundingDialog
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.widgets.fields import SavedLine, SavedText
from tests.ui.conftest import opened


def _project_page(window: MainWindow) -> tuple[str, ProjectPage]:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Zoë", "Lefèvre"))
    view = opened(window.open_case(case_id))
    view.show_page("Project")
    page = view.page("Project")
    assert isinstance(page, ProjectPage)
    return case_id, page


def _type_text(page: ProjectPage, key: str, value: str) -> bool:
    field = page.fields[key]
    assert isinstance(field, SavedText)
    field.text_edit.setPlainText(value)
    saved = field.commit()
    page.session.tasks.finish_writes()  # written by the one writer, off the interface thread
    return saved


def _type_line(page: ProjectPage, key: str, value: str) -> bool:
    field = page.fields[key]
    assert isinstance(field, SavedLine)
    field.line.setText(value)
    saved = field.commit()
    page.session.tasks.finish_writes()  # written by the one writer, off the interface thread
    return saved


def test_the_committee_fields_are_saved_as_typed(window: MainWindow) -> None:
    case_id, page = _project_page(window)
    assert _type_text(page, "training", "CAP boulanger, 2008")
    assert _type_text(page, "household", "En couple, deux enfants")
    assert _type_line(page, "customer_days", "0")
    assert _type_line(page, "supplier_days", "30")
    assert _type_text(page, "strengths", "Métier maîtrisé")
    assert _type_text(page, "vigilance", "Trésorerie juste")
    page.recommendation.combo.setCurrentIndex(
        page.recommendation.combo.findData(Recommendation.FAVOURABLE.value)
    )
    assert page.recommendation.commit()
    page.session.tasks.finish_writes()
    assert _type_line(page, "recommended_amount_cents", "8 000")
    assert _type_line(page, "opinion_signed_on", "20/11/2026")

    case = window.session.services.cases.get(case_id)
    assert case.person.training == "CAP boulanger, 2008"
    assert case.person.household == "En couple, deux enfants"
    assert (case.project.customer_days, case.project.supplier_days) == (0, 30)
    assert case.project.stock_days is None  # left empty: not given, not zero
    assert case.project.strengths == "Métier maîtrisé"
    assert case.project.vigilance == "Trésorerie juste"
    assert case.project.recommendation is Recommendation.FAVOURABLE
    assert case.project.recommended_amount_cents == 800_000
    assert case.project.opinion_signed_on == date(2026, 11, 20)


def test_an_emptied_amount_is_no_longer_given(window: MainWindow) -> None:
    case_id, page = _project_page(window)
    assert _type_line(page, "recommended_amount_cents", "8000")
    assert _type_line(page, "recommended_amount_cents", "")
    assert window.session.services.cases.get(case_id).project.recommended_amount_cents is None


def test_payment_terms_typed_wrong_are_refused_at_their_field(window: MainWindow) -> None:
    case_id, page = _project_page(window)
    assert not _type_line(page, "customer_days", "trente")
    assert "whole number of days" in page.fields["customer_days"].error.text()
    assert not _type_line(page, "stock_days", "400")
    assert "from 0 to 365" in page.fields["stock_days"].error.text()
    project = window.session.services.cases.get(case_id).project
    assert project.customer_days is None and project.stock_days is None


def test_a_loan_is_recorded_with_its_length_and_deferral(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Zoë", "Lefèvre"))
    dialog = FundingDialog(window.session, case_id)
    qtbot.addWidget(dialog)
    dialog.funder.setText("Initiative Gard")
    dialog.kind.setCurrentIndex(dialog.kind.findData(FundingKind.HONOUR_LOAN))
    assert dialog.term.isEnabled() and not dialog.rate.isEnabled()  # interest-free
    dialog.asked.setText("8000")
    dialog.term.setText("60")
    dialog.deferral.setText("6")
    dialog.save()
    window.session.tasks.finish_writes()
    [request] = services.cases.get(case_id).funding
    assert (request.term_months, request.deferral_months) == (60, 6)
    assert request.annual_rate_basis_points is None

    edit = FundingDialog(window.session, case_id, request)
    qtbot.addWidget(edit)
    assert (edit.term.text(), edit.deferral.text()) == ("60", "6")
    edit.kind.setCurrentIndex(edit.kind.findData(FundingKind.BANK_LOAN))
    assert edit.rate.isEnabled()
    edit.rate.setText("4,2")
    edit.save()
    window.session.tasks.finish_writes()
    [request] = services.cases.get(case_id).funding
    assert request.kind is FundingKind.BANK_LOAN
    assert request.annual_rate_basis_points == 420


def test_a_deferral_as_long_as_the_loan_is_refused_at_its_field(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Zoë", "Lefèvre"))
    dialog = FundingDialog(window.session, case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.funder.setText("Initiative Gard")
    dialog.asked.setText("8000")
    dialog.term.setText("12")
    dialog.deferral.setText("12")
    dialog.save()
    assert dialog.errors["deferral_months"].isVisible()
    assert "shorter than the loan" in dialog.errors["deferral_months"].text()
    assert services.cases.get(case_id).funding == []


def test_a_grant_has_no_loan_terms(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Zoë", "Lefèvre"))
    dialog = FundingDialog(window.session, case_id)
    qtbot.addWidget(dialog)
    dialog.funder.setText("Région Occitanie")
    dialog.kind.setCurrentIndex(dialog.kind.findData(FundingKind.GRANT))
    assert not dialog.term.isEnabled() and not dialog.deferral.isEnabled()
    dialog.term.setText("60")  # typed before the kind was changed: not kept
    dialog.asked.setText("3000")
    dialog.save()
    window.session.tasks.finish_writes()
    [request] = services.cases.get(case_id).funding
    assert request.term_months is None
