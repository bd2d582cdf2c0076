"""An advisor adds a partner in Settings, records the person's consents, exports the case."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtWidgets import QDialog, QTableWidget
from pytestqt.qtbot import QtBot

from advisor_app.services import NewCase, Services
from advisor_app.ui.case.case_view import CaseView
from advisor_app.ui.case.consents import ConsentsBox
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.partners import PartnersBox
from tests.ui.conftest import opened

PARTNER = "Initiative Creuse"


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


class MemoryKeyring(KeyringBackend):
    """A system keyring that lives in the test's memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


def open_case(services: Services, *, consent: bool = True) -> str:
    case_id, _dups, _changes = services.cases.create(
        NewCase(
            first_name="Zoé",
            last_name="Müller",
            project_title="Épicerie ambulante",
            processing_consent_how="Signed form" if consent else None,
        )
    )
    return case_id


def add_folder_partner(window: MainWindow, drop: Path, qtbot: QtBot) -> PartnersBox:
    window.show_page("settings")
    box = window.settings_page.partners
    dialog = box.add_partner()
    dialog.name.setText(PARTNER)
    dialog.use_folder(drop)
    dialog.save()  # written by the one writer: the dialog stays open until it lands
    assert dialog.isVisible() and not dialog.buttons.isEnabled()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    return box


def consents_of(view: CaseView) -> ConsentsBox:
    return view.page("Identity").consents  # type: ignore[attr-defined, no-any-return]


def test_a_folder_partner_added_in_settings_is_listed(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    box = add_folder_partner(window, tmp_path / "drop", qtbot)

    assert box.table.rowCount() == 1
    assert cell(box.table, 0, 0) == PARTNER
    assert cell(box.table, 0, 1) == "Support network"
    assert str(tmp_path / "drop") in cell(box.table, 0, 2)
    assert f"{PARTNER} added." in box.status.text()
    assert window.session.services.partners.get(PARTNER).transport == "folder"


def test_a_webdav_partner_keeps_its_password_in_the_keyring(
    window: MainWindow, qtbot: QtBot, memory_keyring: MemoryKeyring
) -> None:
    box = window.settings_page.partners
    dialog = box.add_partner()
    dialog.name.setText("France Active")
    dialog.kind.setCurrentIndex(dialog.kind.findData("funder"))
    dialog.use_webdav("https://cloud.example.org/remote.php/dav/files/alice/", "alice", "s3cret")
    dialog.save()
    qtbot.waitUntil(lambda: box.table.rowCount() == 1)

    assert cell(box.table, 0, 1) == "Funder"
    assert "https://cloud.example.org" in cell(box.table, 0, 2)
    assert "alice" in cell(box.table, 0, 2)
    assert "s3cret" in memory_keyring.passwords.values()
    assert "keyring" not in box.status.text()


def test_a_partner_without_a_folder_is_refused_at_the_field(
    window: MainWindow, qtbot: QtBot
) -> None:
    dialog = window.settings_page.partners.add_partner()
    dialog.name.setText(PARTNER)
    dialog.save()

    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors["folder"].isVisible()
    assert "folder" in dialog.errors["folder"].text()
    assert window.session.services.partners.all() == []


def test_a_webdav_share_without_user_is_refused_at_the_field(
    window: MainWindow, qtbot: QtBot
) -> None:
    dialog = window.settings_page.partners.add_partner()
    dialog.name.setText("France Active")
    dialog.use_webdav("https://cloud.example.org/dav/", "", "")
    dialog.show()
    dialog.save()

    qtbot.waitUntil(lambda: "user name" in dialog.errors["user"].text())
    assert dialog.isVisible() and dialog.buttons.isEnabled()  # open, to correct
    assert window.session.services.partners.all() == []


def test_a_partner_is_removed_after_confirmation(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    box = add_folder_partner(window, tmp_path / "drop", qtbot)
    box.select(PARTNER)
    confirmation = box.ask_remove()
    assert confirmation is not None
    assert PARTNER in confirmation.text()

    confirmation.confirm_button.click()  # removed by the one writer

    qtbot.waitUntil(lambda: box.table.rowCount() == 0)
    assert window.session.services.partners.all() == []
    assert f"{PARTNER} removed." in box.status.text()


def test_a_partner_removed_meanwhile_by_another_window_is_said_under_the_list(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    box = add_folder_partner(window, tmp_path / "drop", qtbot)
    window.session.services.partners.remove(PARTNER)  # another window, say
    box.remove(PARTNER)
    qtbot.waitUntil(lambda: bool(box.error.text()))
    assert PARTNER in box.error.text()


def test_a_case_without_consent_to_processing_is_flagged_then_recorded(
    window: MainWindow, qtbot: QtBot
) -> None:
    case_id = open_case(window.session.services, consent=False)
    box = consents_of(opened(window.open_case(case_id)))
    assert "No consent to data processing is recorded for Zoé Müller" in box.processing.text()
    assert "#b00020" in box.processing.styleSheet()
    assert box.record_processing.isVisible()

    dialog = box.record_processing_consent()
    dialog.how.setText("Signed form")
    dialog.save()
    window.session.tasks.finish_writes()  # written by the one writer, off the UI thread

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert box.processing.text().startswith("Consent to data processing given on 25 Nov 2026.")
    assert "Signed form" in box.processing.text()
    assert box.processing.styleSheet() == ""
    assert not box.record_processing.isVisible()


def test_consent_to_share_then_export_queues_a_package_in_the_outbox(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    add_folder_partner(window, tmp_path / "drop", qtbot)
    case_id = open_case(window.session.services)
    view = opened(window.open_case(case_id))
    box = consents_of(view)
    assert box.no_sharing.isVisible()

    dialog = box.share_with()
    dialog.choose_partner(PARTNER)
    dialog.how.setText("Signed form")
    dialog.save()
    window.session.tasks.finish_writes()

    assert box.table.rowCount() == 1
    assert cell(box.table, 0, 0) == PARTNER
    assert cell(box.table, 0, 4) == "In force"

    export = view.case_actions.export_to_partner()
    export.choose_partner(PARTNER)
    assert "given on" in export.consent.text()
    export.export()
    qtbot.waitUntil(lambda: export.package_id is not None, timeout=20_000)

    assert "waiting in the Outbox" in export.report.text()
    window.show_page("outbox")
    assert window.outbox.model.rowCount() == 1
    assert window.outbox.model.index(0, 0).data() == PARTNER
    assert window.outbox.model.index(0, 1).data() == "Zoé Müller"


def test_without_consent_the_export_is_refused_with_a_sentence(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    add_folder_partner(window, tmp_path / "drop", qtbot)
    case_id = open_case(window.session.services)
    view = opened(window.open_case(case_id))

    export = view.case_actions.export_to_partner()
    export.choose_partner(PARTNER)
    assert "No consent" in export.consent.text()
    export.export()
    qtbot.waitUntil(lambda: export.error.isVisible(), timeout=20_000)

    assert "Zoé Müller has not consented to share their case with" in export.error.text()
    assert export.package_id is None
    assert export.export_button.isEnabled()
    assert window.session.services.outbox.items() == []


def test_a_withdrawn_consent_stays_listed_as_withdrawn(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    services = window.session.services
    services.partners.add(PARTNER, folder=tmp_path / "drop")
    case_id = open_case(services)
    services.partners.share_with(case_id, PARTNER, "Signed form")
    box = consents_of(opened(window.open_case(case_id)))
    box.select_partner(PARTNER)
    assert box.withdraw_button.isEnabled()

    box.withdraw_selected()
    window.session.tasks.finish_writes()  # written by the one writer, off the UI thread

    assert cell(box.table, 0, 4) == "Withdrawn on 25 Nov 2026"
    assert services.partners.sharing_consent(case_id, PARTNER) is None
    box.select_partner(PARTNER)
    assert not box.withdraw_button.isEnabled()


def test_sharing_needs_a_partner_first(window: MainWindow, qtbot: QtBot) -> None:
    case_id = open_case(window.session.services)
    dialog = consents_of(opened(window.open_case(case_id))).share_with()

    assert "add one in Settings" in dialog.errors["partner"].text()
    assert not dialog.save_button.isEnabled()
