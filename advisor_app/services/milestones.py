"""Milestones of the pathway: done dates, target dates, comments."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor_app.domain import validation
from advisor_app.domain.errors import NotFoundError, ValidationError
from advisor_app.domain.messages import N_
from advisor_app.services.changes import Changes
from advisor_app.services.context import ServiceContext
from advisor_app.services.limits import check_row
from advisor_app.services.settings import SettingsService
from advisor_app.storage.case_models import CaseInfo, Milestone


class MilestoneService:
    def __init__(self, context: ServiceContext, settings: SettingsService) -> None:
        self.context = context
        self.settings = settings

    def mark_done(self, case_id: str, key: str, done_on: date | None = None) -> Changes:
        done_on = done_on or self.context.today()
        check_row(Milestone, {"done_on": done_on})
        if done_on > self.context.today():
            raise ValidationError("done_on", N_("A milestone cannot be done in the future."))
        with self.context.workspace.changing(
            case_id, "milestone_done", f"{key} {done_on.isoformat()}", self.settings.advisor_name
        ) as session:
            opened_on = session.scalars(select(CaseInfo.opened_on)).one()
            validation.check_milestone_done(done_on, opened_on)
            _find(session, key).done_on = done_on
        return Changes.of_case(case_id)

    def mark_not_done(self, case_id: str, key: str) -> Changes:
        with self.context.workspace.changing(
            case_id, "milestone_undone", key, self.settings.advisor_name
        ) as session:
            _find(session, key).done_on = None
        return Changes.of_case(case_id)

    def set_target(self, case_id: str, key: str, target_on: date | None) -> Changes:
        check_row(Milestone, {"target_on": target_on})
        with self.context.workspace.changing(
            case_id, "milestone_target", f"{key} {target_on}", self.settings.advisor_name
        ) as session:
            _find(session, key).target_on = target_on
        return Changes.of_case(case_id)

    def set_comment(self, case_id: str, key: str, comment: str) -> Changes:
        check_row(Milestone, {"comment": comment.strip()})
        with self.context.workspace.changing(
            case_id, "milestone_comment", key, self.settings.advisor_name
        ) as session:
            _find(session, key).comment = comment.strip()
        return Changes.of_case(case_id)


def _find(session: Session, key: str) -> Milestone:
    row = session.scalar(select(Milestone).where(Milestone.key == key))
    if row is None:
        raise NotFoundError(N_("This case has no milestone “{key}”."), key=key)
    return row
