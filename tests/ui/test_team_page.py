"""Claire creates her association's team from the Team page, on a synced folder; Bruno joins
it from his own window. Claire shares Léa Moreau's case from its header, syncs, and the case
arrives in Bruno's list; each window's status bar says where its sync stands. A passphrase
mistyped, a case without consent and a team folder out of reach are said in sentences, and
leave everything as it was."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import ConsentScope
from advisor_app.i18n import set_language
from advisor_app.services import NewCase, Services
from advisor_app.services.team import TeamPlace
from advisor_app.storage.workspace import Workspace
from advisor_app.ui.case.case_view import CaseView
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.settings import SettingsPage
from advisor_app.ui.pages.team import TeamPage
from advisor_app.ui.pages.team_forms import TeamForm
from advisor_app.ui.session import AppSession
from advisor_app.ui.team_sync import AUTOMATIC_SYNC_MS, RETRY_MS
from tests.conftest import fixed_clock
from tests.ui.conftest import opened, shown_list
from tests.ui.layout_checks import (
    layout_problems,
    settle,
    stretched_translations,
    unnamed_controls,
)
from tests.webdav_servers import team_server

CLAIRE = "Claire Martin"
BRUNO = "Bruno Petit"
PASSPHRASE = "le thé de la rue Camille Desmoulins"


@pytest.fixture
def team_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    return folder


@pytest.fixture
def bruno_services(tmp_path: Path) -> Iterator[Services]:
    opened = Services(Workspace.open(tmp_path / "bruno"), clock=fixed_clock)
    yield opened
    opened.close()


def window_over(services: Services, qtbot: QtBot) -> MainWindow:
    """An advisor's window in half a screen."""
    window = MainWindow(AppSession(services))
    qtbot.addWidget(window)
    window.resize(960, 600)
    window.show()
    return window


@pytest.fixture
def claire(services: Services, qtbot: QtBot) -> Iterator[MainWindow]:
    window = window_over(services, qtbot)
    yield window
    window.session.tasks.wait()


@pytest.fixture
def bruno(bruno_services: Services, qtbot: QtBot) -> Iterator[MainWindow]:
    window = window_over(bruno_services, qtbot)
    yield window
    window.session.tasks.wait()


def team_page(window: MainWindow, qtbot: QtBot) -> TeamPage:
    """The Team page shown, the team's status read (off the interface thread)."""
    window.show_page("team")
    qtbot.waitUntil(lambda: "team" in window.pages.built)
    page = window.pages["team"]
    assert isinstance(page, TeamPage)
    qtbot.waitUntil(lambda: page.sync.status_read and not page.sync.running)
    return page


def fill(form: TeamForm, member: str, folder: Path, passphrase: str, again: str = "") -> None:
    form.member_name.setText(member)
    form.use_folder(folder)
    form.passphrase.setText(passphrase)
    form.passphrase_again.setText(again or passphrase)


def create_team(page: TeamPage, folder: Path, qtbot: QtBot) -> None:
    form = page.create_form
    form.team_name.setText("Oser autrement")
    fill(form, CLAIRE, folder, PASSPHRASE)
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.overview.isVisible())


def join_team(page: TeamPage, folder: Path, qtbot: QtBot, name: str = BRUNO) -> None:
    fill(page.join_form, name, folder, PASSPHRASE)
    qtbot.mouseClick(page.join_form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.overview.isVisible() and not page.sync.running)


def sync_from(page: TeamPage, qtbot: QtBot) -> None:
    """Sync now, and wait until the sync has landed (or failed) and the status is read."""
    qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    assert page.sync.running
    with qtbot.waitSignal(page.sync.state_changed):  # the status read after it
        qtbot.waitUntil(lambda: not page.sync.running)


def lea_with_consent(services: Services, *, consent: bool = True) -> str:
    case_id, _duplicates, _changes = services.cases.create(
        NewCase("Léa", "Moreau", project_title="Épicerie vrac")
    )
    if consent:
        services.notes.record_consent(
            case_id, ConsentScope.PROCESSING, date(2026, 11, 2), "signed form"
        )
    return case_id


def shared_from_header(view: CaseView, qtbot: QtBot) -> None:
    share = view.case_actions.team.share_button
    qtbot.waitUntil(share.isVisible)
    qtbot.mouseClick(share, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Shared with the team" in header(view))


def header(view: CaseView) -> str:
    """The case's header line as read (its parts keep their spaces unbreakable)."""
    return view.summary.text().replace("\u00a0", " ")


def holders(window: MainWindow, qtbot: QtBot) -> list[str]:
    page = shown_list(window, qtbot)
    return [page.model.row_at(row).display_name for row in range(page.model.rowCount())]


def fact(page: TeamPage, key: str) -> str:
    return page.facts_shown[key].text()


def test_claire_creates_the_team_shares_a_case_and_it_reaches_bruno(
    claire: MainWindow,
    bruno: MainWindow,
    services: Services,
    team_folder: Path,
    qtbot: QtBot,
) -> None:
    page = team_page(claire, qtbot)
    assert page.setup.isVisible() and not page.overview.isVisible()
    assert not claire.statusBar().isVisible()  # no team: nothing to say
    create_team(page, team_folder, qtbot)
    assert fact(page, "team") == "Oser autrement"
    assert fact(page, "members") == f"{CLAIRE} (you)"
    assert "Give the passphrase in person" in page.news.text()
    qtbot.waitUntil(lambda: claire.team_status_line.text() == "Team: not synced yet")
    assert claire.statusBar().isVisible()

    case_id = lea_with_consent(services)
    view = opened(claire.open_case(case_id))
    shared_from_header(view, qtbot)
    assert f"lead advisor: {CLAIRE}" in header(view)
    assert view.case_actions.team.unshare_button.isVisible()
    assert not view.case_actions.team.handover_button.isEnabled()  # nobody else yet
    qtbot.waitUntil(lambda: claire.team_status_line.text() == "Team: 1 waiting to be sent")

    page = team_page(claire, qtbot)
    sync_from(page, qtbot)
    qtbot.waitUntil(lambda: claire.team_status_line.text() == "Team: synced at 12:00")
    assert fact(page, "shared") == "1"
    assert fact(page, "waiting") == "0"
    assert "changes sent" in fact(page, "came_in")

    assert "Léa Moreau" not in holders(bruno, qtbot)
    theirs = team_page(bruno, qtbot)
    progress: list[str] = []  # the progress line, each time it moves
    theirs.sync.state_changed.connect(
        lambda: progress.append(theirs.join_form.progress.text()) if theirs.sync.progress else None
    )
    join_team(theirs, team_folder, qtbot)
    assert progress == ["Syncing: 1 of 1 case taken in…"]
    assert fact(theirs, "you") == BRUNO
    assert fact(theirs, "members") == f"{BRUNO} (you), {CLAIRE}"
    assert fact(theirs, "came_in") == "1 case updated by the team"
    qtbot.waitUntil(lambda: "Léa Moreau" in holders(bruno, qtbot))
    qtbot.waitUntil(lambda: bruno.team_status_line.text() == "Team: synced at 12:00")

    # back in Claire's window: Bruno is known at her next sync, and takes the case over
    sync_from(team_page(claire, qtbot), qtbot)
    view = opened(claire.open_case(case_id))
    team = view.case_actions.team
    qtbot.waitUntil(lambda: team.sharing is not None and BRUNO in team.sharing.members)
    dialog = team.ask_handover()
    assert dialog is not None
    assert [dialog.member.itemText(i) for i in range(dialog.member.count())] == [BRUNO]
    qtbot.mouseClick(dialog.hand_over_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: f"lead advisor: {BRUNO}" in header(view))


def test_a_passphrase_mistyped_is_said_under_it(
    claire: MainWindow, bruno: MainWindow, team_folder: Path, qtbot: QtBot
) -> None:
    page = team_page(claire, qtbot)
    form = page.create_form
    form.team_name.setText("Oser autrement")
    fill(form, CLAIRE, team_folder, PASSPHRASE, again=PASSPHRASE + ".")
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    assert form.errors["team_passphrase"].text() == "The two passphrases are not the same."
    assert not any(team_folder.iterdir())
    create_team(page, team_folder, qtbot)

    theirs = team_page(bruno, qtbot)
    fill(theirs.join_form, BRUNO, team_folder, "not the passphrase at all")
    qtbot.mouseClick(theirs.join_form.submit, Qt.MouseButton.LeftButton)
    error = theirs.join_form.errors["team_passphrase"]
    qtbot.waitUntil(lambda: error.isVisible())
    assert error.text().startswith("This is not the team's passphrase.")
    assert theirs.setup.isVisible()
    fill(theirs.join_form, CLAIRE.upper(), team_folder, PASSPHRASE)
    qtbot.mouseClick(theirs.join_form.submit, Qt.MouseButton.LeftButton)
    taken = theirs.join_form.errors["member_name"]
    qtbot.waitUntil(lambda: taken.isVisible())
    assert "is already taken in this team" in taken.text()


def test_a_case_without_consent_is_not_shared(
    claire: MainWindow, services: Services, team_folder: Path, qtbot: QtBot
) -> None:
    create_team(team_page(claire, qtbot), team_folder, qtbot)
    case_id = lea_with_consent(services, consent=False)
    view = opened(claire.open_case(case_id))
    share = view.case_actions.team.share_button
    qtbot.waitUntil(share.isVisible)
    qtbot.mouseClick(share, Qt.MouseButton.LeftButton)

    def said() -> list[str]:
        return [box.text() for box in view.findChildren(QMessageBox) if box.isVisible()]

    qtbot.waitUntil(lambda: bool(said()))
    assert said()[0].startswith("This person has not consented to the processing of their data")
    assert "Shared with the team" not in header(view)
    assert not services.team.is_shared(case_id)


def test_a_team_folder_out_of_reach_is_said_and_the_next_try_completes(
    claire: MainWindow, services: Services, team_folder: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    page = team_page(claire, qtbot)
    create_team(page, team_folder, qtbot)
    case_id = lea_with_consent(services)
    shared_from_header(opened(claire.open_case(case_id)), qtbot)
    away = tmp_path / "unplugged"
    shutil.move(team_folder, away)

    page = team_page(claire, qtbot)
    sync_from(page, qtbot)
    assert "cannot be reached" in page.warning.text()
    assert claire.team_status_line.text() == "Team: sync failed: server unreachable"
    assert fact(page, "waiting") == "1"  # nothing lost: it waits

    assert page.sync.timer.interval() == RETRY_MS  # is the network back? every minute

    shutil.move(away, team_folder)  # the drive plugged in again: the next try completes
    qtbot.waitUntil(lambda: not claire.session.tasks.busy)
    with qtbot.waitSignal(page.sync.synced):
        page.sync.automatic_sync()
    qtbot.waitUntil(lambda: not page.sync.running)
    assert page.sync.timer.interval() == AUTOMATIC_SYNC_MS
    assert page.warning.isHidden()
    qtbot.waitUntil(lambda: fact(page, "waiting") == "0")
    qtbot.waitUntil(lambda: claire.team_status_line.text() == "Team: synced at 12:00")


def test_removing_a_member_says_what_the_association_must_do_then_a_new_passphrase(
    claire: MainWindow, bruno: MainWindow, team_folder: Path, qtbot: QtBot
) -> None:
    page = team_page(claire, qtbot)
    create_team(page, team_folder, qtbot)
    join_team(team_page(bruno, qtbot), team_folder, qtbot)
    sync_from(page, qtbot)
    qtbot.waitUntil(lambda: page.remove_button.isEnabled())

    dialog = page.ask_remove_member()
    assert dialog is not None
    assert dialog.member.currentText() == BRUNO
    assert "the association must revoke their access" in dialog.explanation.text()
    assert "new team passphrase" in dialog.explanation.text()
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: f"{BRUNO} (removed)" in fact(page, "members"))
    assert "agree on a new passphrase in person" in page.news.text()
    assert not page.remove_button.isEnabled()

    rekey = page.ask_rekey()
    rekey.passphrase.setText("une nouvelle phrase, convenue de vive voix")
    rekey.passphrase_again.setText("une autre")
    qtbot.mouseClick(rekey.accept_button, Qt.MouseButton.LeftButton)
    assert rekey.errors["team_passphrase"].text() == "The two passphrases are not the same."
    rekey.passphrase_again.setText("une nouvelle phrase, convenue de vive voix")
    qtbot.mouseClick(rekey.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "passphrase is changed" in page.news.text())
    assert claire.session.services.team.status().generation == 2  # type: ignore[union-attr]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_of_a_team_fits_half_a_screen(
    claire: MainWindow,
    bruno: MainWindow,
    team_folder: Path,
    language: str,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With today's words the window keeps its size; with every message 30 % longer (as
    tests/ui/test_layout.py checks the other pages), no text of the page is cut."""
    set_language(language)
    claire.session.language_changed.emit()
    page = team_page(claire, qtbot)
    create_team(page, team_folder, qtbot)
    join_team(team_page(bruno, qtbot), team_folder, qtbot, name="Marie-Christine Lefèvre-Dubois")
    sync_from(team_page(claire, qtbot), qtbot)
    settle(claire)
    assert claire.size().toTuple() == (960, 600)
    assert not layout_problems(claire)
    with stretched_translations(monkeypatch):
        claire.session.language_changed.emit()
        settle(claire)
        assert not layout_problems(claire), layout_problems(claire)


def test_on_the_association_s_nextcloud_a_password_refused_is_asked_again(
    claire: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    """Claire creates the team on a WebDAV share (wsgidav here); Bruno's window knows no
    password for it (no keyring on his computer), so Sync now asks for it; a mistyped one is
    refused by the server and asked again, and the right one syncs."""
    with team_server("wsgidav", tmp_path / "served") as server:
        url, user, password, _root = server
        page = team_page(claire, qtbot)
        form = page.create_form
        form.team_name.setText("Oser autrement")
        form.member_name.setText(CLAIRE)
        form.use_webdav(url, user, password)
        form.passphrase.setText(PASSPHRASE)
        form.passphrase_again.setText(PASSPHRASE)
        qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.overview.isVisible())
        sync_from(page, qtbot)  # the password typed at creation is kept for this session
        assert page.sync.error is None

        joined = Services(Workspace.open(tmp_path / "bruno"), clock=fixed_clock)
        joined.team.join(BRUNO, TeamPlace("webdav", url, user), PASSPHRASE, password)
        joined.close()
        again = Services(Workspace.open(tmp_path / "bruno"), clock=fixed_clock)
        bruno = window_over(again, qtbot)
        theirs = team_page(bruno, qtbot)
        qtbot.mouseClick(theirs.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(theirs.password_box.isVisible)
        assert bruno.team_status_line.text() == "Team: sync failed: password needed"
        assert theirs.warning.isHidden()  # asked for, not a failure to report
        assert user in theirs.password_question.text()

        theirs.password.setText("not the password")
        qtbot.mouseClick(theirs.password_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: theirs.sync.error is not None)
        qtbot.waitUntil(theirs.password_box.isVisible)
        assert "refused the user name or password" in theirs.warning.text()
        assert bruno.team_status_line.text() == "Team: sync failed: password needed"

        theirs.password.setText(password)
        qtbot.mouseClick(theirs.password_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: theirs.sync.report is not None and not theirs.sync.running)
        assert theirs.sync.error is None
        assert not theirs.password_box.isVisible()
        qtbot.waitUntil(lambda: bruno.team_status_line.text() == "Team: synced at 12:00")
        bruno.session.tasks.wait()
        again.close()


def test_a_case_shared_by_mistake_stops_being_shared_after_a_confirmation(
    claire: MainWindow, services: Services, team_folder: Path, qtbot: QtBot
) -> None:
    create_team(team_page(claire, qtbot), team_folder, qtbot)
    case_id = lea_with_consent(services)
    view = opened(claire.open_case(case_id))
    shared_from_header(view, qtbot)
    team = view.case_actions.team
    box = team.ask_unshare()
    assert box.text() == "Stop sharing the case of Léa Moreau with the team?"
    assert "removed at their next sync" in box.informativeText()
    qtbot.mouseClick(box.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Shared with the team" not in header(view))
    qtbot.waitUntil(team.share_button.isVisible)
    assert not team.unshare_button.isVisible()
    assert not services.team.is_shared(case_id)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_team_s_dialogs_fit_and_name_their_controls(
    claire: MainWindow,
    bruno: MainWindow,
    services: Services,
    team_folder: Path,
    language: str,
    qtbot: QtBot,
) -> None:
    page = team_page(claire, qtbot)
    create_team(page, team_folder, qtbot)
    join_team(team_page(bruno, qtbot), team_folder, qtbot, name="Marie-Christine Lefèvre-Dubois")
    sync_from(page, qtbot)
    case_id = lea_with_consent(services)
    view = opened(claire.open_case(case_id))
    shared_from_header(view, qtbot)
    qtbot.waitUntil(view.case_actions.team.handover_button.isEnabled)
    set_language(language)
    claire.session.language_changed.emit()
    dialogs = [page.ask_remove_member(), page.ask_rekey(), view.case_actions.team.ask_handover()]
    for dialog in dialogs:
        assert dialog is not None
        settle(dialog)
        assert not layout_problems(dialog), layout_problems(dialog)
        assert not unnamed_controls(dialog), unnamed_controls(dialog)
        dialog.reject()
    claire.show_page("team")
    settle(claire)
    assert not unnamed_controls(page)


def test_the_settings_say_which_team_and_lead_to_its_page(
    claire: MainWindow, qtbot: QtBot, team_folder: Path
) -> None:
    claire.show_page("settings")
    qtbot.waitUntil(lambda: isinstance(claire.pages.get("settings"), SettingsPage))
    settings = claire.pages["settings"]
    assert isinstance(settings, SettingsPage)
    qtbot.waitUntil(lambda: "belongs to no team" in settings.team_line.text())
    claire.session.services.team.create(
        "Oser autrement", CLAIRE, TeamPlace("folder", str(team_folder)), PASSPHRASE
    )
    claire.show_page("dashboard")
    claire.show_page("settings")
    qtbot.waitUntil(lambda: "Team Oser autrement" in settings.team_line.text())
    settings.team_button.click()
    assert claire.current_page() == "team"
