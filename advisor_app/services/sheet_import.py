"""Bringing a spreadsheet in: the trackers associations kept before Boussole.

`plan(records)` is a dry run that writes nothing: one case per person (rows of the same
person merged, `sheet_people`), people already in the workspace recognised and updated, not
duplicated. An update fills what Boussole leaves blank and adds the notes, appointments and
honour loan it lacks (recognised by their text, their start and their kind): a value the
advisor typed is never replaced; a different one in the file is listed as a conflict. So
importing the same file again changes nothing.

`apply(plan)` (or the generator `importing`) is one batch: a backup of the workspace first,
then the new cases written by chunks (`storage.bulk_cases`: one file each, made as
`Workspace.creating` makes one but without a session per file, then indexed together as
the demo does), and the known ones changed through the workspace's writer (`changing`).
The batch is kept in the catalog's state (`sheet_batches`) with what it created and the
fields it filled, so that `undo` removes exactly what it created and empties what it
filled. A cancel stops between two chunks: what was done is one batch, marked cancelled,
that can be undone like the others.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from advisor_app.domain.enums import (
    FundingKind,
)
from advisor_app.domain.errors import AdvisorError, CaseFileError, NotFoundError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, describe, label
from advisor_app.services.appointments import AppointmentDraft
from advisor_app.services.backups import BackupService
from advisor_app.services.cases import CaseService
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.duplicates import identity_of
from advisor_app.services.limits import text_limit
from advisor_app.services.settings import SettingsService
from advisor_app.services.sheet_batches import (
    CANCELLED,
    DONE,
    EMPTY,
    IMPORTED,
    ImportBatch,
    ImportBatches,
    added_item,
    chunks,
    created_item,
    filled_item,
    with_changes,
)
from advisor_app.services.sheet_files import reading_records, saved_mapping
from advisor_app.services.sheet_people import (
    Directory,
    Known,
    RowChecker,
    Someone,
    find_someone,
    is_blank,
    merge_rows,
    recognise,
)
from advisor_app.services.sheet_plan import (
    CURRENT_QUERIES,
    WELCOME,
    Current,
    PlannedCase,
    appointment_drafts,
    current_from_rows,
    honour_loan_values,
    is_known,
    new_case_rows,
    planned_new_case,
    planned_update,
    read_current,
    refuse_ambiguous,
)
from advisor_app.sheets.mapping import Mapping as ColumnMapping
from advisor_app.sheets.records import Refusal, SheetRecords
from advisor_app.storage.bulk_cases import read_sound_rows, settle, write_new_case_file
from advisor_app.storage.case_models import (
    Appointment,
    FundingRequest,
    Milestone,
    Note,
    Person,
    Project,
    new_id,
)
from advisor_app.storage.casefile import reading_as_is
from advisor_app.storage.catalog_models import CaseIndex
from advisor_app.storage.import_models import ImportItemRow
from advisor_app.storage.indexer import IndexData
from advisor_app.storage.workspace import Progress, Workspace

CHUNK = 200  # cases written, indexed and recorded together
STEP = 500  # rows or people between two steps of the dry run's progress
REFUSED = "-"  # the case of a person whose rows were refused (they could be several people)


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do, read before anything is written (the dry run)."""

    source: str
    created: tuple[PlannedCase, ...]
    updated: tuple[PlannedCase, ...]
    unchanged: int  # people recognised, to whom the file adds nothing
    refusals: tuple[Refusal, ...]  # rows and values left out, with the reason
    conflicts: tuple[Refusal, ...]  # values kept as Boussole (or an earlier row) holds them
    key: str = field(default_factory=new_id)  # a plan is applied once

    @property
    def people(self) -> int:
        return len(self.created) + len(self.updated) + self.unchanged

    @property
    def nothing_to_import(self) -> bool:
        """No row of the file could be taken (an import of nobody did not run)."""
        return self.people == 0

    @property
    def changes_nothing(self) -> bool:
        return not self.created and not self.updated

    @property
    def appointments(self) -> int:
        return sum(len(c.appointments) for c in (*self.created, *self.updated))

    @property
    def notes(self) -> int:
        return sum(len(c.notes) for c in (*self.created, *self.updated))

    @property
    def honour_loans(self) -> int:
        return sum(1 for c in (*self.created, *self.updated) if c.honour_loan_cents)


class SheetImportService:
    def __init__(
        self,
        context: ServiceContext,
        settings: SettingsService,
        cases: CaseService,
        backups: BackupService,
    ) -> None:
        self.context = context
        self.settings = settings
        self.cases = cases
        self.backups = backups
        self.records = ImportBatches(context, settings, cases)
        self._applied: set[str] = set()  # the keys of the plans applied (a plan, once)

    @property
    def workspace(self) -> Workspace:
        return self.context.workspace

    # -- reading the file --------------------------------------------------------------

    def read_file(
        self,
        path: Path,
        *,
        sheet: str | None = None,
        header_row: int | None = None,
        mapping: ColumnMapping | Path | None = None,
        appointments_sheet: str | None = None,
        appointments_file: Path | None = None,
    ) -> SheetRecords:
        """The records of a spreadsheet (the header found unless `header_row` is given, the
        columns mapped automatically unless a mapping, or its JSON file, is given); a file
        that cannot be read is refused with a sentence."""
        return _last(
            self.reading_file(
                path,
                sheet=sheet,
                header_row=header_row,
                mapping=mapping,
                appointments_sheet=appointments_sheet,
                appointments_file=appointments_file,
            ),
            SheetRecords,
        )

    def reading_file(
        self,
        path: Path,
        *,
        sheet: str | None = None,
        header_row: int | None = None,
        mapping: ColumnMapping | Path | None = None,
        appointments_sheet: str | None = None,
        appointments_file: Path | None = None,
    ) -> Iterator[Progress | SheetRecords]:
        """`read_file`, yielding progress as the rows are read."""
        chosen = saved_mapping(mapping) if isinstance(mapping, Path) else mapping
        return reading_records(
            path,
            sheet=sheet,
            header_row=header_row,
            mapping=chosen,
            appointments_sheet=appointments_sheet,
            appointments_file=appointments_file,
        )

    # -- the dry run --------------------------------------------------------------------

    def plan(self, records: SheetRecords) -> ImportPlan:
        """What importing `records` would do; writes nothing."""
        return _last(self.planning(records), ImportPlan)

    def planning(self, records: SheetRecords) -> Iterator[Progress | ImportPlan]:
        """`plan`, yielding progress: as the rows are checked, as the appointments are
        given to their people, and as each person is planned (the cases it updates read)."""
        today, now = self.context.today(), self.context.now()
        checker = RowChecker(
            today, records.columns, records.source if records.appointment_source else ""
        )
        # one step per row checked, per appointment given, per person planned (at most one
        # per row, and one per appointment naming someone of Boussole only)
        total = 2 * len(records.people) + 2 * len(records.appointments)
        yield Progress(0, total)
        checked: list[Someone] = []
        for number, record in enumerate(records.people, start=1):
            someone = checker.person(record)
            if someone is not None:
                checked.append(someone)
            if number % STEP == 0:
                yield Progress(number, total)
        done = len(records.people)
        people, directory = merge_rows(checked, checker)
        known = self._known()
        by_case: dict[str, Someone] = {}
        for someone in people:
            case, ambiguous = recognise(someone.identity, known)
            if case is None and ambiguous:
                refuse_ambiguous(checker, someone, [c.holder for c in ambiguous])
                someone.case_id = REFUSED
            elif case is not None and case.case_id in by_case:
                refuse_ambiguous(checker, someone, [case.holder])
                someone.case_id = REFUSED
            elif case is not None:
                someone.case_id = case.case_id
                by_case[case.case_id] = someone
        kept = [p for p in people if p.case_id != REFUSED]
        extra = self._attach_appointments(records, directory, known, by_case, checker)
        kept.extend(extra)
        done += len(records.appointments)
        yield Progress(done, total)
        created: list[PlannedCase] = []
        updated: list[PlannedCase] = []
        unchanged = 0
        for number, someone in enumerate(kept, start=1):
            drafts = appointment_drafts(someone, now, checker)
            if someone.case_id is None:
                created.append(planned_new_case(someone, drafts, today))
            else:
                planned = self._planned_update(someone, drafts, checker, today)
                if planned is None:
                    continue
                if planned.adds_something:
                    updated.append(planned)
                else:
                    unchanged += 1
            if number % STEP == 0:
                yield Progress(done + number, total)
        yield Progress(total, total)
        yield ImportPlan(
            source=records.source,
            created=tuple(created),
            updated=tuple(updated),
            unchanged=unchanged,
            refusals=(*records.refusals, *checker.refusals),
            conflicts=tuple(checker.conflicts),
        )

    def _planned_update(
        self, someone: Someone, drafts: list[AppointmentDraft], checker: RowChecker, today: date
    ) -> PlannedCase | None:
        """What the file adds to a case of Boussole; None (said) when it cannot be read."""
        assert someone.case_id is not None
        try:
            current = self._current(someone.case_id)
        except CaseFileError as error:
            row = someone.rows[0] if someone.rows else 0
            checker.refuse(row, "last_name", someone.holder, describe(error))
            return None
        return planned_update(someone, current, drafts, checker, today)

    def _current(self, case_id: str) -> Current:
        """What a case holds that the import compares with: read the quick way, or the
        careful way for a file that needs it (to say what is wrong; a file of an older
        format is read as it is, not upgraded: the plan is a dry run)."""
        workspace = self.workspace
        rows = read_sound_rows(
            workspace.case_path(case_id), workspace.key, case_id, CURRENT_QUERIES
        )
        if rows is not None:
            return current_from_rows(rows)
        with (
            workspace.lock.shared(),
            reading_as_is(workspace.case_path(case_id), workspace.key) as session,
        ):
            return read_current(session)

    def _known(self) -> Directory[Known]:
        """Every case of the workspace (those in the bin and damaged ones aside)."""
        directory: Directory[Known] = Directory(lambda case: case.identity)
        with self.workspace.catalog.read() as catalog:
            rows = catalog.execute(
                select(
                    CaseIndex.case_id,
                    CaseIndex.first_name,
                    CaseIndex.last_name,
                    CaseIndex.birth_date,
                    CaseIndex.email,
                    CaseIndex.opened_on,
                ).where(CaseIndex.binned_at.is_(None), CaseIndex.damaged.is_(None))
            ).all()
        for row in rows:
            directory.add(Known(*row))
        return directory

    def _attach_appointments(
        self,
        records: SheetRecords,
        people: Directory[Someone],
        known: Directory[Known],
        by_case: dict[str, Someone],
        refusals: RowChecker,
    ) -> list[Someone]:
        """Each appointment given to the person it names, in the file or in Boussole; the
        people of Boussole the file names only there (returned)."""
        checker = RowChecker(
            self.context.today(), records.appointment_columns, records.appointment_source
        )
        extra: list[Someone] = []
        for record in records.appointments:
            someone, count = find_someone(record, people)
            if someone is not None and someone.case_id == REFUSED:
                continue  # the person's rows were refused: said there
            if someone is None and count == 0:
                identity = identity_of(record.first_name, record.last_name, None, record.email)
                case, ambiguous = recognise(identity, known)
                count = len(ambiguous)
                if case is not None:
                    someone = by_case.get(case.case_id)
                    if someone is None:
                        first, last = case.first_name, case.last_name
                        someone = Someone([], {"first_name": first, "last_name": last})
                        someone.case_id = case.case_id
                        by_case[case.case_id] = someone
                        extra.append(someone)
            if someone is None:
                named = f"{record.first_name} {record.last_name}".strip() or record.email
                checker.refuse(
                    record.row,
                    "last_name" if named != record.email else "email",
                    named,
                    _(
                        "This appointment names several people: add their e-mail address "
                        "to tell which one."
                    )
                    if count > 1
                    else _("This appointment names nobody of the file or of Boussole."),
                )
                continue
            someone.appointments.append(record)
        refusals.refusals.extend(checker.refusals)
        refusals.conflicts.extend(checker.conflicts)
        return extra

    # -- the import ---------------------------------------------------------------------

    def apply(
        self,
        plan: ImportPlan,
        progress: Callable[[int, int], object] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportBatch:
        """Import as planned, in one batch (a backup first); `progress(done, total)` is told
        as it goes, and `cancelled()`, asked between chunks, stops it cleanly."""
        earlier = {batch.id for batch in self.batches()}
        steps = self.importing(plan)
        result: ImportBatch | None = None
        try:
            for step in steps:
                if isinstance(step, Progress):
                    if progress is not None:
                        progress(step.done, step.total)
                    if cancelled is not None and cancelled():
                        steps.close()
                        break
                else:
                    result = step
        finally:
            steps.close()
        if result is not None:
            return result
        # cancelled: the batch as it was left, if it had begun
        begun = [batch for batch in self.batches() if batch.id not in earlier]
        return (
            begun[0] if begun else ImportBatch("", self.context.now(), plan.source, EMPTY, "", 0, 0)
        )

    def importing(self, plan: ImportPlan) -> Generator[Progress | ImportBatch, None, None]:
        """`apply` as a generator: progress, then the batch. Closed early (a cancel), it
        stops between two chunks; the batch then holds what was done, marked cancelled."""
        now = self.context.now()
        if plan.key in self._applied:
            raise AdvisorError(
                N_("This import was already made."),
                N_("Read the file again to see what is left to import."),
            )
        if plan.changes_nothing:
            yield ImportBatch("", now, plan.source, EMPTY, "", 0, 0)
            return
        self._applied.add(plan.key)
        total = len(plan.created) + len(plan.updated)
        yield Progress(0, total)
        workspace = self.workspace
        with workspace.sharing():  # no undo or restore while it runs
            backup = self.backups.before_import()
            batch_id = self.records.begin(plan.source, backup.name)
            touched: set[str] = set()
            problems: list[str] = []
            state = CANCELLED
            done = 0
            try:
                for chunk in chunks(plan.created, CHUNK):
                    touched.update(self._create(batch_id, chunk))
                    done += len(chunk)
                    yield Progress(done, total)
                for chunk in chunks(plan.updated, CHUNK):
                    touched.update(self._update_chunk(batch_id, chunk, problems))
                    done += len(chunk)
                    yield Progress(done, total)
                state = DONE
            finally:
                self.records.set_state(batch_id, state)
        agenda = any(c.appointments for c in (*plan.created, *plan.updated))
        yield with_changes(self.records.batch(batch_id), touched, agenda, problems)

    def _create(self, batch_id: str, chunk: Sequence[PlannedCase]) -> list[str]:
        """New cases, recorded in the batch before their files are written (an import cut
        short leaves nothing `undo` does not know), indexed together."""
        workspace, advisor, now = self.workspace, self.settings.advisor_name, self.context.now()
        ids = [new_id() for _planned in chunk]
        self.records.record(
            batch_id, [created_item(batch_id, case_id) for case_id in ids], created=len(ids)
        )
        pending: list[IndexData] = []
        funder = self._funder()
        for case_id, planned in zip(ids, chunk, strict=True):
            rows = new_case_rows(case_id, planned, advisor, now, funder)
            pending.append(
                write_new_case_file(
                    workspace.cases_dir,
                    workspace.key,
                    case_id,
                    rows,
                    action=IMPORTED,
                    advisor=advisor,
                    at=now,
                )
            )
        settle([workspace.case_path(case_id) for case_id in ids])
        workspace.index_many(pending, IMPORTED, advisor)
        return ids

    def _update_chunk(
        self, batch_id: str, chunk: Sequence[PlannedCase], problems: list[str]
    ) -> list[str]:
        items: list[ImportItemRow] = []
        touched: list[str] = []
        for planned in chunk:
            assert planned.case_id is not None
            try:
                items.extend(self._update_one(batch_id, planned))
            except (CaseFileError, NotFoundError) as error:
                problems.append(f"{planned.holder}: {describe(error)}")
                continue
            touched.append(planned.case_id)
        self.records.record(batch_id, items, updated=len(touched))
        return touched

    def _update_one(self, batch_id: str, planned: PlannedCase) -> list[ImportItemRow]:
        """Fill what is still blank and add what is still missing, in one change."""
        assert planned.case_id is not None
        case_id, now = planned.case_id, self.context.now()
        items: list[ImportItemRow] = []
        key = self.records.digest_key()

        with self.workspace.changing(
            case_id, IMPORTED, batch_id, self.settings.advisor_name
        ) as session:
            for table, values, prefix in (
                (Person, planned.person, "person"),
                (Project, planned.project, "project"),
            ):
                row = session.scalars(select(table)).one()
                for name, value in values.items():
                    previous = getattr(row, name)
                    if is_blank(previous):
                        setattr(row, name, value)
                        items.append(
                            filled_item(batch_id, case_id, f"{prefix}.{name}", previous, value, key)
                        )
            current = read_current(session)
            if planned.welcome_done_on is not None and not current.welcome_done:
                milestone = session.scalars(select(Milestone).where(Milestone.key == WELCOME))
                for row in milestone:
                    row.done_on = planned.welcome_done_on
                    items.append(
                        filled_item(
                            batch_id, case_id, f"milestone.{WELCOME}", None, row.done_on, key
                        )
                    )
            for draft in planned.appointments:
                if not is_known(draft.start, current.starts):
                    appointment = Appointment(id=new_id(), **draft.values())
                    session.add(appointment)
                    items.append(added_item(batch_id, case_id, "appointment", appointment.id))
            for text in planned.notes:
                if text not in current.notes:
                    note = Note(id=new_id(), written_at=now, text=text)
                    session.add(note)
                    items.append(added_item(batch_id, case_id, "note", note.id))
            if planned.honour_loan_cents and not current.honour_loans:
                request = FundingRequest(
                    **honour_loan_values(planned.honour_loan_cents, self._funder())
                )
                session.add(request)
                items.append(added_item(batch_id, case_id, "funding", request.id))
        return items

    # -- past imports --------------------------------------------------------------------

    def batches(self) -> list[ImportBatch]:
        """Every import of the workspace, the newest first."""
        return self.records.batches()

    def undo(self, batch_id: str) -> Changes:
        """Remove what the import created and empty what it filled; refused with a sentence
        when the import is unknown or already undone."""
        return self.records.undo(batch_id)

    def undoing(self, batch_id: str) -> Iterator[Progress | Changes]:
        """`undo`, yielding progress (`ImportBatches.undoing`)."""
        return self.records.undoing(batch_id)

    def forget_case(self, case_id: str) -> None:
        """An erased case leaves no trace in the imports' records."""
        self.records.forget_case(case_id)

    def _funder(self) -> str:
        """Who grants the honour loans a sheet lists: the association itself, as a rule."""
        organisation = str(self.settings.get("organisation") or "").strip()
        funder = organisation or label(FundingKind.HONOUR_LOAN)
        return funder[: text_limit(FundingRequest, "funder")]


# -- writing ----------------------------------------------------------------------------------


R = TypeVar("R")


def _last(steps: Iterator[Any], kind: type[R]) -> R:
    result: R | None = None
    for step in steps:
        if isinstance(step, kind):
            result = step
    assert result is not None
    return result


__all__ = [
    "ImportBatch",
    "ImportPlan",
    "PlannedCase",
    "Refusal",
    "SheetImportService",
]
