"""Notes, attachments (blobs with a size limit) and consents of a case."""

from __future__ import annotations

import mimetypes
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from advisor_app.domain.enums import ConsentScope
from advisor_app.domain.errors import NotFoundError, ValidationError
from advisor_app.domain.messages import N_
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.limits import check_row
from advisor_app.services.settings import SettingsService
from advisor_app.storage.case_models import Attachment, Consent, Note


@dataclass(frozen=True)
class AttachmentRecord:
    """A document as kept in the case file, content included: what `restore_attachment`
    puts back once it was removed."""

    id: str
    filename: str
    media_type: str
    size: int
    added_at: datetime
    content: bytes


class NoteService:
    def __init__(self, context: ServiceContext, settings: SettingsService) -> None:
        self.context = context
        self.settings = settings

    def add_note(self, case_id: str, text: str) -> tuple[str, Changes]:
        if not text.strip():
            raise ValidationError("text", N_("A note cannot be empty."))
        check_row(Note, {"text": text.strip()})
        with self._change(case_id, "note_added") as session:
            row = Note(written_at=self.context.now(), text=text.strip())
            session.add(row)
            session.flush()
            note_id = row.id
        return note_id, Changes.of_case(case_id)

    def update_note(self, case_id: str, note_id: str, text: str) -> Changes:
        if not text.strip():
            raise ValidationError("text", N_("A note cannot be empty."))
        check_row(Note, {"text": text.strip()})
        with self._change(case_id, "note_updated") as session:
            row = session.get(Note, note_id)
            if row is None:
                raise NotFoundError(N_("This note no longer exists."))
            row.text = text.strip()
        return Changes.of_case(case_id)

    def remove_note(self, case_id: str, note_id: str) -> Changes:
        with self._change(case_id, "note_removed") as session:
            session.execute(delete(Note).where(Note.id == note_id))
        return Changes.of_case(case_id)

    def restore_note(self, case_id: str, note_id: str, written_at: datetime, text: str) -> Changes:
        """Put back a removed note under its own id and date (the undo of `remove_note`)."""
        check_row(Note, {"text": text.strip()})
        with self._change(case_id, "note_restored") as session:
            if session.get(Note, note_id) is None:
                session.add(Note(id=note_id, written_at=written_at, text=text.strip()))
        return Changes.of_case(case_id)

    def attach(self, case_id: str, source: Path) -> tuple[str, Changes]:
        """Copy a file into the case file, refusing one over the workspace's size limit."""
        limit = self.settings.attachment_limit
        size = source.stat().st_size
        if size > limit:
            raise ValidationError(
                "attachment",
                N_("The file {name} is too large to attach ({size} MB; the limit is {limit} MB)."),
                N_("Reduce it (a scan at a lower resolution, a PDF instead of photos)."),
                name=source.name,
                size=round(size / 1_048_576, 1),
                limit=round(limit / 1_048_576, 1),
            )
        content = source.read_bytes()
        media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        with self._change(case_id, "attachment_added", source.name) as session:
            row = Attachment(
                filename=source.name,
                media_type=media_type,
                size=len(content),
                added_at=self.context.now(),
                content=content,
            )
            session.add(row)
            session.flush()
            attachment_id = row.id
        return attachment_id, Changes.of_case(case_id)

    def attachment_content(self, case_id: str, attachment_id: str) -> tuple[str, bytes]:
        with self.context.workspace.reading(case_id) as session:
            row = session.get(Attachment, attachment_id)
            if row is None:
                raise NotFoundError(N_("This document no longer exists."))
            return row.filename, row.content

    def attachment_record(self, case_id: str, attachment_id: str) -> AttachmentRecord:
        """A document with its content, read before it is removed so that it can come back."""
        with self.context.workspace.reading(case_id) as session:
            row = session.get(Attachment, attachment_id)
            if row is None:
                raise NotFoundError(N_("This document no longer exists."))
            return AttachmentRecord(
                row.id, row.filename, row.media_type, row.size, row.added_at, row.content
            )

    def remove_attachment(self, case_id: str, attachment_id: str) -> Changes:
        with self._change(case_id, "attachment_removed") as session:
            session.execute(delete(Attachment).where(Attachment.id == attachment_id))
        return Changes.of_case(case_id)

    def restore_attachment(self, case_id: str, record: AttachmentRecord) -> Changes:
        """Put back a removed document as it was (the undo of `remove_attachment`)."""
        with self._change(case_id, "attachment_restored", record.filename) as session:
            if session.get(Attachment, record.id) is None:
                session.add(
                    Attachment(
                        id=record.id,
                        filename=record.filename,
                        media_type=record.media_type,
                        size=record.size,
                        added_at=record.added_at,
                        content=record.content,
                    )
                )
        return Changes.of_case(case_id)

    def record_consent(
        self, case_id: str, scope: ConsentScope, given_on: date, how: str, partner: str = ""
    ) -> Changes:
        check_row(Consent, {"given_on": given_on, "how": how.strip(), "partner": partner.strip()})
        with self._change(case_id, "consent_recorded", f"{scope.value} {partner}".strip()) as s:
            s.add(
                Consent(
                    scope=ConsentScope(scope).value,
                    partner=partner.strip(),
                    given_on=given_on,
                    how=how.strip(),
                    recorded_by=self.settings.advisor_name,
                )
            )
        return Changes.of_case(case_id)

    def withdraw_consent(self, case_id: str, consent_id: str, on: date | None = None) -> Changes:
        with self._change(case_id, "consent_withdrawn") as session:
            row = session.scalar(select(Consent).where(Consent.id == consent_id))
            if row is None:
                raise NotFoundError(N_("This consent no longer exists."))
            row.withdrawn_on = on or self.context.today()
        return Changes.of_case(case_id)

    def remove_consent(self, case_id: str, consent_id: str) -> Changes:
        """Take back a consent recorded by mistake (the undo of `record_consent`)."""
        with self._change(case_id, "consent_removed") as session:
            session.execute(delete(Consent).where(Consent.id == consent_id))
        return Changes.of_case(case_id)

    def cancel_withdrawal(self, case_id: str, consent_id: str) -> Changes:
        """The consent is in force again (the undo of `withdraw_consent`)."""
        with self._change(case_id, "consent_restored") as session:
            row = session.scalar(select(Consent).where(Consent.id == consent_id))
            if row is None:
                raise NotFoundError(N_("This consent no longer exists."))
            row.withdrawn_on = None
        return Changes.of_case(case_id)

    def _change(
        self, case_id: str, action: str, detail: str = ""
    ) -> AbstractContextManager[Session]:
        return self.context.workspace.changing(case_id, action, detail, self.settings.advisor_name)
