"""The Backups and data page tells the advisor what was left unfinished or lost and makes it
good: an erasure stopped halfway, a person's right of access, a damaged case whose newest
save waits in the quarantine, partners and settings lost with their file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from advisor_app.domain.errors import CaseFileError
from advisor_app.domain.messages import N_
from advisor_app.services import CaseFilter, Services
from advisor_app.services.workspace_lock import quarantined
from advisor_app.storage.case_models import Appointment, CaseInfo
from advisor_app.ui.dialogs.access_export import AccessExportAction
from advisor_app.ui.file_dialogs import documents_folder
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task
from tests.trust.conftest import add_person, files_containing, open_services
from tests.trust.test_erasure import erase_killed_before_the_backups
from tests.ui.conftest import opened

OpenWindow = Callable[[Path], MainWindow]
LATE_NOTE = "Saved after the backup: the bank said yes."
PARTNER = "Initiative Creuse"


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[OpenWindow]:
    """Opens the main window over a workspace on disk, as the application does."""
    opened: list[MainWindow] = []

    def open_at(root: Path) -> MainWindow:
        window = MainWindow(AppSession(open_services(root)))
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        opened.append(window)
        return window

    yield open_at
    for window in opened:
        window.session.tasks.wait()
        window.session.services.close()


def finished(qtbot: QtBot, task: Task | None) -> None:
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)


def messages(widget: QWidget) -> list[str]:
    """What the message boxes on screen say, informative text included."""
    return [
        f"{box.text()} {box.informativeText()}"
        for box in widget.window().findChildren(QMessageBox)
        if box.isVisible()
    ]


# -- an erasure stopped halfway ---------------------------------------------------------------


def test_an_interrupted_erasure_is_said_at_opening_and_finished_from_the_page(
    tmp_path: Path, open_window: OpenWindow, qtbot: QtBot
) -> None:
    root = tmp_path / "ws"
    services = open_services(root)
    ondine = add_person(services, "Ondine", "Vasseur-Kerbrat")
    add_person(services, "Basile", "Morvan")
    services.backups.back_up_now()
    services.close()
    assert erase_killed_before_the_backups(root, ondine) == -9  # a power cut halfway
    assert files_containing(root, "Vasseur-Kerbrat")  # the backup still names her

    window = open_window(root)
    window.show_page("holders")
    assert window.erasure_banner.isVisible()
    assert "interrupted" in window.erasure_banner.text.text()
    window.erasure_banner.action.click()
    page = window.backups
    assert window.stack.currentWidget() is page
    assert not window.erasure_banner.isVisible()  # the page says it in full
    assert page.erasures.isVisible()
    assert [page.erasures.list.item(i).text() for i in range(page.erasures.list.count())] == [
        f"Case {ondine}"
    ]

    task = page.erasures.finish_selected()
    finished(qtbot, task)
    assert files_containing(root, "Vasseur-Kerbrat") == []
    assert window.session.services.privacy.unfinished_erasures() == []
    assert not page.erasures.isVisible()
    assert not window.erasure_banner.showing
    assert any("erasure is finished" in text for text in messages(page))
    assert window.session.services.maintenance.run_check().ok


# -- the right of access ----------------------------------------------------------------------


def _choose_folder(action: AccessExportAction, folder: Path, qtbot: QtBot) -> Path:
    """The advisor picks `folder` in the dialog; the export is written into a folder of its
    own there, which is returned once the window says where it is."""
    folder.mkdir(parents=True, exist_ok=True)
    before = set(folder.iterdir())
    action.dialog.selectFile(str(folder))
    action.dialog.accept()
    finished(qtbot, action.task)
    qtbot.waitUntil(lambda: action.box is not None and action.box.isVisible())
    assert action.box is not None
    [written] = set(folder.iterdir()) - before
    assert str(written) in action.box.text()
    return written


def test_the_right_of_access_is_written_where_the_advisor_chooses_and_the_window_says_where(
    tmp_path: Path, open_window: OpenWindow, qtbot: QtBot
) -> None:
    root = tmp_path / "ws"
    services = open_services(root)
    add_person(services, "Basile", "Morvan")
    add_person(services, "Ondine", "Vasseur-Kerbrat")
    services.close()
    documents = Path.home() / "Documents"
    documents.mkdir(exist_ok=True)

    window = open_window(root)
    window.show_page("backups")
    box = window.backups.access
    qtbot.waitUntil(lambda: not window.backups.loading)  # the names come from the background
    box.case.setCurrentText("Ondine Vasseur-Kerbrat")
    action = box.export_chosen()
    assert action is not None
    assert documents_folder() == documents
    assert Path(action.dialog.directory().absolutePath()) == documents  # asked there first

    written = _choose_folder(action, tmp_path / "clé USB", qtbot)
    today = window.session.services.context.today().isoformat()
    # named as every file written for a person: the document, the person, the day
    assert written.name == f"Right of access – Vasseur-Kerbrat Ondine – {today}"
    assert sorted(p.name for p in written.iterdir()) == ["access-export.json", "access-export.pdf"]
    text = "".join(page.extract_text() for page in PdfReader(written / "access-export.pdf").pages)
    assert "Vasseur-Kerbrat" in text and "Morvan" not in text
    assert "access-export.pdf" in action.box.informativeText()  # type: ignore[union-attr]

    # a second export the same day goes beside the first, never over it
    again = box.export_chosen()
    assert again is not None
    second = _choose_folder(again, tmp_path / "clé USB", qtbot)
    assert second.name == f"{written.name} (2)" and (written / "access-export.pdf").exists()


def test_the_case_header_offers_the_right_of_access_too(
    tmp_path: Path, open_window: OpenWindow, qtbot: QtBot
) -> None:
    root = tmp_path / "ws"
    services = open_services(root)
    basile = add_person(services, "Basile", "Morvan")
    services.close()
    window = open_window(root)
    view = opened(window.open_case(basile))
    assert view.case_actions.access_button.isVisible()
    view.case_actions.access_button.click()
    action = view.case_actions.access
    assert action is not None
    written = _choose_folder(action, tmp_path / "export", qtbot)
    assert written.name.startswith("Right of access – Morvan Basile – ")
    assert (written / "access-export.json").stat().st_mode & 0o077 == 0  # the owner's only


# -- a damaged case whose newest save is in the quarantine ------------------------------------


@pytest.fixture
def newer_in_quarantine(tmp_path: Path) -> tuple[Path, str]:
    """Basile's case backed up, saved again, then moved aside although healthy (what a full
    disk made an older Boussole do): the workspace and his case."""
    root = tmp_path / "ws"
    services = open_services(root)
    basile = add_person(services, "Basile", "Morvan")
    services.backups.back_up_now()
    services.notes.add_note(basile, LATE_NOTE)
    workspace = services.workspace
    with workspace.catalog.write() as catalog:
        workspace.quarantine(catalog, basile, CaseFileError(N_("The case file is damaged.")))
    services.close()
    return root, basile


def _ask_to_repair(window: MainWindow, case_id: str, qtbot: QtBot) -> None:
    window.show_page("backups")
    page = window.backups
    assert page.damaged.count() == 1
    assert "newer than its newest backup" in page.damaged.item(0).text()
    assert "Basile Morvan" in page.damaged.item(0).text()
    page.repair_button.click()  # the only one, chosen already
    finished(qtbot, page.task)
    qtbot.waitUntil(lambda: page.choice is not None and page.choice.isVisible())


def _notes(services: Services, case_id: str) -> list[str]:
    return [note.text for note in services.cases.get(case_id).notes]


def test_a_newer_save_in_the_quarantine_is_offered_and_put_back(
    newer_in_quarantine: tuple[Path, str], open_window: OpenWindow, qtbot: QtBot
) -> None:
    root, basile = newer_in_quarantine
    window = open_window(root)
    _ask_to_repair(window, basile, qtbot)
    page = window.backups
    assert page.choice is not None
    offer = f"{page.choice.text()} {page.choice.informativeText()}"
    assert "newer copy" in offer and "Nothing was restored yet" in offer
    assert "--from" not in offer and "quarantine --restore" not in offer  # no command line
    assert not any("--from" in text for text in messages(page))

    page.choice.newer_button.click()
    finished(qtbot, page.task)
    services = window.session.services
    assert LATE_NOTE in _notes(services, basile)
    assert quarantined(root) == []
    assert page.damaged.count() == 0
    assert any("put back from the quarantine" in text for text in messages(page))


def test_the_older_backup_is_taken_only_when_chosen_and_the_newer_copy_stays_aside(
    newer_in_quarantine: tuple[Path, str], open_window: OpenWindow, qtbot: QtBot
) -> None:
    root, basile = newer_in_quarantine
    window = open_window(root)
    _ask_to_repair(window, basile, qtbot)
    page = window.backups
    assert page.choice is not None and page.choice.backup_button is not None
    page.choice.backup_button.click()
    finished(qtbot, page.task)
    assert LATE_NOTE not in _notes(window.session.services, basile)
    assert [kept.case_id for kept in quarantined(root)] == [basile]  # the newer save is kept
    assert page.damaged.count() == 1


# -- partners, outbox and settings lost --------------------------------------------------------


@pytest.fixture
def lost_state(tmp_path: Path) -> tuple[Path, str]:
    """A partner with a package waiting for it and the advisor's name, backed up; then the
    file that holds them deleted (a clean-up by hand, a sync tool): the workspace and the
    backup's name."""
    root = tmp_path / "ws"
    services = open_services(root)
    ondine = add_person(services, "Ondine", "Vasseur-Kerbrat")
    services.settings.set("advisor_name", "Camille Rivière")
    services.partners.add(PARTNER, "network", folder=tmp_path / "drop")
    services.partners.share_with(ondine, PARTNER, "signed form")
    services.exchange.export(ondine, PARTNER)
    backup = services.backups.back_up_now()
    services.close()
    for path in root.glob("workspace-state.sqlite*"):
        path.unlink()
    return root, backup.name


def test_lost_partners_and_settings_are_said_and_brought_back_from_the_backup_named(
    lost_state: tuple[Path, str], open_window: OpenWindow, qtbot: QtBot
) -> None:
    root, _backup = lost_state
    window = open_window(root)
    services = window.session.services
    assert services.partners.all() == []
    window.show_page("holders")
    assert window.state_banner.isVisible()
    assert "were lost on" in window.state_banner.text.text()
    window.state_banner.action.click()
    page = window.backups
    assert window.stack.currentWidget() is page
    assert page.loss.isVisible()
    assert "their file was missing" in page.loss.text.text()
    assert "made before, holds them" in page.loss.text.text()
    assert "--state" not in page.loss.text.text()

    page.loss.action.click()
    confirmation = page.confirmation
    assert confirmation is not None and "cases are left as they are" in confirmation.text()
    confirmation.confirm_button.click()
    finished(qtbot, page.task)
    assert [p.name for p in services.partners.all()] == [PARTNER]
    assert [(i.partner, i.state) for i in services.outbox.items()] == [(PARTNER, "queued")]
    assert services.settings.advisor_name == "Camille Rivière"
    assert not page.loss.isVisible() and not window.state_banner.showing
    assert services.maintenance.run_check().ok


def test_the_partners_outbox_and_settings_alone_come_back_from_a_chosen_backup(
    lost_state: tuple[Path, str], open_window: OpenWindow, qtbot: QtBot
) -> None:
    root, _backup = lost_state
    window = open_window(root)
    services = window.session.services
    ondine = services.search.cases()[0].case_id
    services.cases.update_person(ondine, {"commune": "Guéret"})  # saved after the backup
    window.show_page("backups")
    page = window.backups
    assert not page.restore_state_button.isEnabled()  # nothing chosen yet
    page.backups.setCurrentRow(0)
    assert page.restore_state_button.isEnabled()
    page.restore_state_button.click()
    assert page.confirmation is not None
    page.confirmation.confirm_button.click()
    finished(qtbot, page.task)
    assert [p.name for p in services.partners.all()] == [PARTNER]
    assert services.cases.get(ondine).person.commune == "Guéret"  # the cases left as they are
    assert any("brought back from the backup" in text for text in messages(page))


# -- closed cases past the retention period -----------------------------------------------------


def test_a_case_past_retention_is_erased_from_the_page_once_confirmed(
    tmp_path: Path, open_window: OpenWindow, qtbot: QtBot
) -> None:
    root = tmp_path / "ws"
    services = open_services(root)
    old = add_person(services, "Gaspard", "Lebreton-Quillivic")
    add_person(services, "Basile", "Morvan")
    with services.workspace.changing(old, "test") as session:  # closed in 2021
        session.execute(
            update(CaseInfo).values(
                opened_on=date(2021, 1, 4),
                closed_on=date(2021, 6, 30),
                status="closed",
                outcome="business_created",
            )
        )
        session.execute(update(Appointment).values(start=datetime(2021, 3, 1, 9)))
    services.close()

    window = open_window(root)
    window.show_page("backups")
    retention = window.backups.retention
    qtbot.waitUntil(lambda: not window.backups.loading)
    assert retention.list.count() == 1
    assert "Gaspard Lebreton-Quillivic" in retention.list.item(0).text()
    retention.list.setCurrentRow(0)
    confirmation = retention.erase_selected()
    assert confirmation is not None and "everywhere" in confirmation.text()
    confirmation.cancel_button.click()
    assert window.session.services.search.cases(CaseFilter(text="Lebreton"))  # nothing done

    confirmation = retention.erase_selected()
    assert confirmation is not None
    confirmation.confirm_button.click()
    qtbot.waitUntil(lambda: any("was erased" in text for text in messages(window.backups)))
    qtbot.waitUntil(lambda: retention.list.count() == 0)
    assert files_containing(root, "Lebreton-Quillivic") == []
