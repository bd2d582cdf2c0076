"""Two processes on one workspace: a window keeps writing while a command re-keys it.

Re-keying (encrypt, change-passphrase, decrypt), restoring and rebuilding rewrite files:
they hold the workspace's lock file exclusively, and ordinary saves hold it shared, so each
waits for the other. A save that cannot wait long enough is refused with a sentence naming
what holds the workspace; a window whose workspace was re-keyed under it is told to open it
again. Nothing is lost, nothing is taken for damage, nothing goes to the quarantine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor_app.services import Services
from advisor_app.services.workspace_lock import (
    REKEY_MARKER,
    WorkspaceBusyError,
    WorkspaceChangedError,
)
from advisor_app.storage import encryption, workspace_lock
from tests.conftest import run_cli
from tests.trust.conftest import PASSPHRASE, add_person, open_services

REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("concurrent_writer.py")
PASSPHRASES = [PASSPHRASE, "une autre phrase secrète", "la troisième phrase"]
# What a refused save may say: the workspace is busy, or was changed under the window.
ALLOWED_REFUSALS = (
    "try again when it finishes",
    "try again in a moment",
    "re-encrypted by another window or command since it was opened here",
)


def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


class SecondWindow:
    """The writer of `concurrent_writer.py`, running in its own process."""

    def __init__(self, root: Path, stop: Path) -> None:
        self.stop = stop
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), str(root), str(stop), *PASSPHRASES],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=_child_env(),
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"
        # the window has saved once before anything else happens, however slow the machine
        self.early: list[str] = []
        while not self.early or not self.early[-1].startswith(("saved ", "refused ", "crash ")):
            line = self.process.stdout.readline()
            assert line, "the second window stopped before its first save"
            self.early.append(line.strip())

    def finish(self) -> list[str]:
        self.stop.touch()
        out, err = self.process.communicate(timeout=300)
        assert self.process.returncode == 0, out[-2000:] + err[-2000:]
        return self.early + out.splitlines()


def run_until_done(root: Path, *arguments: str, attempts: int = 20) -> tuple[int, str, str]:
    """A command run again while the workspace is busy, as the advisor told "try again when
    it finishes" would: the number of tries bounds the test, not the clock."""
    for _attempt in range(attempts):
        code, out, err = run_cli(root, *arguments)
        if code == 0 or not any(s in err for s in ALLOWED_REFUSALS):
            break
    return code, out, err


def _files(root: Path, folder: str) -> list[Path]:
    base = root / folder
    return sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the workspace but its lock file, with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != workspace_lock.LOCK_NAME
    }


def _passphrase_file(tmp_path: Path, passphrase: str) -> str:
    path = tmp_path / f"phrase-{PASSPHRASES.index(passphrase)}.txt"
    path.write_text(passphrase + "\n", encoding="utf-8")
    return str(path)


def test_re_keying_while_another_window_writes_loses_nothing(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    services = open_services(root)
    for last_name in ("Morvan", "Le Bihan", "Quéré"):
        add_person(services, "Basile", last_name)
    services.close()
    window = SecondWindow(root, tmp_path / "stop")
    results = []
    try:
        first, second, third = (_passphrase_file(tmp_path, p) for p in PASSPHRASES)
        results.append(run_until_done(root, "encrypt", "--passphrase-file", first))
        results.append(
            run_until_done(
                root,
                "--passphrase-file",
                first,
                "change-passphrase",
                "--new-passphrase-file",
                second,
            )
        )
        results.append(
            run_until_done(
                root,
                "--passphrase-file",
                second,
                "change-passphrase",
                "--new-passphrase-file",
                third,
            )
        )
    finally:
        lines = window.finish()
    for code, out, err in results:
        assert code == 0, (code, out, err)  # each re-keying went through, once its turn came
    saved = [line.split()[1:3] for line in lines if line.startswith("saved ")]
    refused = [line for line in lines if line.startswith("refused ")]
    assert not [line for line in lines if line.startswith("crash ")], lines[-20:]
    assert saved, "the second window saved nothing: the test proves nothing"
    for line in refused:
        assert any(s in line for s in ALLOWED_REFUSALS), line
    # nothing was taken for damage, every acknowledged save is there
    assert _files(root, "quarantine") == [] and _files(root, "damaged") == []
    reopened = Services.open(root, passphrase=PASSPHRASES[2])
    try:
        report = reopened.maintenance.run_check()
        assert report.ok, [str(error) for _case, error in report.problems]
        for case_id in {case_id for case_id, _appointment in saved}:
            held = {a.id for a in reopened.cases.get(case_id).appointments}
            expected = {a for c, a in saved if c == case_id}
            assert expected <= held, f"{len(expected - held)} acknowledged saves lost"
    finally:
        reopened.close()


# A command of another process that holds the workspace's lock until told to let it go.
HOLDER = """
import sys
from pathlib import Path
from advisor_app.storage.workspace_lock import WorkspaceLock
lock = WorkspaceLock(Path(sys.argv[1]))
with lock.exclusive(sys.argv[2]):
    print("held", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""


class OtherProcess:
    """Another process holding the workspace alone for `operation`, as a re-keying does."""

    def __init__(self, root: Path, operation: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(root), operation],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=_child_env(),
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "held"

    @property
    def pid(self) -> int:
        return self.process.pid

    def release(self) -> None:
        out, _err = self.process.communicate("go\n", timeout=60)
        assert "released" in out


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A save waits a tenth of a second, not ten, for the lock before it is refused."""
    monkeypatch.setattr(workspace_lock.WorkspaceLock, "timeout_s", 0.1)


def test_a_save_during_another_process_s_re_keying_is_refused_with_a_sentence(
    tmp_path: Path, short_wait: None
) -> None:
    root = tmp_path / "ws"
    services = open_services(root)
    case_id = add_person(services, "Ondine", "Vasseur-Kerbrat")
    other = OtherProcess(root, workspace_lock.REKEY)
    try:
        with pytest.raises(WorkspaceBusyError) as refused:
            services.notes.add_note(case_id, "Rappeler lundi.")
        assert str(refused.value) == (
            "The workspace is being re-encrypted by another window; try again when it finishes."
        )
        assert refused.value.params["pid"] == other.pid  # who holds it is said
        with pytest.raises(WorkspaceBusyError):
            services.search.cases()
    finally:
        other.release()
    services.notes.add_note(case_id, "Rappeler lundi.")  # once it is done, saves go on
    assert "Rappeler lundi." in [n.text for n in services.cases.get(case_id).notes]
    assert _files(root, "quarantine") == []
    services.close()


def test_opening_during_a_re_keying_in_progress_repairs_nothing(
    tmp_path: Path, short_wait: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    services = open_services(root, PASSPHRASE)
    case_id = add_person(services, "Jade", "Ferrand")
    services.close()
    # a re-keying that stopped half-way through copying: what another process in the
    # middle of re-keying leaves on disk at this moment
    real = encryption.copy_rekeyed
    calls = {"n": 0}

    def copy_then_stop(*args: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(encryption, "copy_rekeyed", copy_then_stop)
    busy = open_services(root, PASSPHRASE)
    with pytest.raises(KeyboardInterrupt):
        for _step in busy.encryption.change_passphrase(PASSPHRASES[1]):
            pass
    busy.close()
    monkeypatch.setattr(encryption, "copy_rekeyed", real)
    leftovers = [*sorted(root.rglob("*.rekey")), root / REKEY_MARKER]
    assert all(path.exists() for path in leftovers)
    other = OtherProcess(root, workspace_lock.REKEY)
    try:
        before = _snapshot(root)
        with pytest.raises(WorkspaceBusyError, match="being re-encrypted by another window"):
            open_services(root, PASSPHRASE)
        assert _snapshot(root) == before  # nothing touched, nothing crashed
    finally:
        other.release()
    # now the repair runs: the workspace keeps its key, the copies wait for the next run
    reopened = open_services(root, PASSPHRASE)
    assert not (root / REKEY_MARKER).exists() and (root / encryption.REKEY_PAUSED).exists()
    assert reopened.cases.get(case_id).person.last_name == "Ferrand"
    reopened.close()


def test_a_window_open_while_another_process_encrypts_is_told_to_open_it_again(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    window = open_services(root)
    case_id = add_person(window, "Basile", "Morvan")
    code, _out, err = run_cli(
        root, "encrypt", "--passphrase-file", _passphrase_file(tmp_path, PASSPHRASE)
    )
    assert code == 0, err
    # nothing goes into the old catalog (deleted by the re-keying), nothing is "damaged"
    with pytest.raises(WorkspaceChangedError):
        window.partners.add("Initiative Creuse", "funder", folder=tmp_path / "partage")
    with pytest.raises(WorkspaceChangedError):
        window.notes.add_note(case_id, "Rappeler lundi.")
    with pytest.raises(WorkspaceChangedError):
        window.cases.get(case_id)
    assert _files(root, "quarantine") == [] and _files(root, "damaged") == []
    window.unlock(PASSPHRASE)  # the window asks for the new passphrase: it goes on
    window.partners.add("Initiative Creuse", "funder", folder=tmp_path / "partage")
    window.notes.add_note(case_id, "Rappeler lundi.")
    window.close()
    reopened = Services.open(root, passphrase=PASSPHRASE)
    assert [p.name for p in reopened.partners.all()] == ["Initiative Creuse"]
    assert "Rappeler lundi." in [n.text for n in reopened.cases.get(case_id).notes]
    assert reopened.maintenance.run_check().ok
    reopened.close()


def test_a_window_open_while_another_process_decrypts_goes_on(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    window = open_services(root, PASSPHRASE)
    case_id = add_person(window, "Basile", "Morvan")
    code, _out, err = run_cli(
        root, "--passphrase-file", _passphrase_file(tmp_path, PASSPHRASE), "decrypt"
    )
    assert code == 0, err
    window.notes.add_note(case_id, "Rappeler lundi.")
    assert "Rappeler lundi." in [n.text for n in window.cases.get(case_id).notes]
    window.close()
    assert _files(root, "quarantine") == [] and _files(root, "damaged") == []


def test_opening_a_workspace_adds_nothing_but_its_lock_file(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    services = open_services(root, PASSPHRASE)
    add_person(services, "Jade", "Ferrand")
    services.close()
    (root / workspace_lock.LOCK_NAME).unlink()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    open_services(root, PASSPHRASE).close()
    after = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert sorted(set(after) - set(before)) == [Path(workspace_lock.LOCK_NAME)]
