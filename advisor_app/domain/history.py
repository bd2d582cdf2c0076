"""The actions a case file's history records, as the advisor reads them."""

from __future__ import annotations

from collections.abc import Callable

from advisor_app.domain import records
from advisor_app.domain.messages import N_

ACTIONS: dict[str, str] = {
    "created": N_("Case opened"),
    "person_updated": N_("Identity changed"),
    "project_updated": N_("Project changed"),
    "closed": N_("Case closed"),
    "reopened": N_("Case reopened"),
    "binned": N_("Moved to the bin"),
    "restored": N_("Restored from the bin"),
    "appointment_added": N_("Appointment booked"),
    "appointment_updated": N_("Appointment changed"),
    "appointment_removed": N_("Appointment removed"),
    "appointment_done": N_("Appointment done"),
    "appointment_cancelled": N_("Appointment cancelled"),
    "appointment_no_show": N_("Appointment missed (no-show)"),
    "appointment_planned": N_("Appointment planned again"),
    "milestone_done": N_("Milestone done"),
    "milestone_undone": N_("Milestone no longer done"),
    "milestone_target": N_("Milestone target date changed"),
    "milestone_comment": N_("Milestone comment changed"),
    "funding_added": N_("Funding request added"),
    "funding_updated": N_("Funding request changed"),
    "funding_removed": N_("Funding request removed"),
    "plan_line_added": N_("Financing plan line added"),
    "plan_line_updated": N_("Financing plan line changed"),
    "plan_line_removed": N_("Financing plan line removed"),
    "forecast_updated": N_("Forecast changed"),
    "note_added": N_("Note added"),
    "note_updated": N_("Note changed"),
    "note_removed": N_("Note removed"),
    "attachment_added": N_("Document attached"),
    "attachment_removed": N_("Document removed"),
    "consent_recorded": N_("Consent recorded"),
    "consent_withdrawn": N_("Consent withdrawn"),
    "appointment_restored": N_("Removed appointment put back"),
    "funding_restored": N_("Removed funding request put back"),
    "plan_line_restored": N_("Removed financing plan line put back"),
    "note_restored": N_("Removed note put back"),
    "attachment_restored": N_("Removed document put back"),
    "consent_restored": N_("Consent withdrawal undone"),
    "consent_removed": N_("Consent recorded by mistake taken back"),
    "imported": N_("Case imported"),
    "sheet_imported": N_("Imported from a spreadsheet"),
    "sheet_import_undone": N_("Spreadsheet import undone"),
    "migrated": N_("Case file upgraded"),
    "demo": N_("Demo case created"),
    "anonymised": N_("Case anonymised"),
    "team_shared": N_("Shared with the team"),
    "team_unshared": N_("No longer shared with the team"),
    "team_handover": N_("Handed over to another advisor"),
    "team_changes": N_("Changed by a member of the team"),
    "team_received": N_("Received from the team"),
}


_READABLE_DETAIL = {
    "funding_added",
    "funding_updated",
    "plan_line_added",
    "plan_line_updated",
    "attachment_added",
    "attachment_restored",
    "funding_restored",
    "plan_line_restored",
    "team_handover",
}


def readable_detail(
    action: str, detail: str, translate: Callable[[str], str] = lambda text: text
) -> str:
    """The detail when it is words the advisor typed (a funder, a file name) or, for the
    changes a member of the team made, the fields they changed ("Phone, Commune", through
    `translate`); else nothing: the others are technical (field names, keys)."""
    if action == "team_changes":
        return _changed_fields(detail, translate)
    return detail if action in _READABLE_DETAIL else ""


def _changed_fields(detail: str, translate: Callable[[str], str]) -> str:
    """ "person.phone, note" → "Phone, Notes" (a table alone: rows added or removed)."""
    shown: list[str] = []
    for part in detail.split(", "):
        table, _dot, column = part.partition(".")
        found = records.RECORDS.get(table.strip(" …"))
        if found is None:
            continue
        column = column.strip()
        label = (
            found[column].label
            if column and column in found and not found[column].key
            else found.label
        )
        if translate(label) not in shown:
            shown.append(translate(label))
    return ", ".join(shown)


def action_label_id(action: str) -> str:
    """The untranslated label of a history action (translate it where it is shown)."""
    return ACTIONS.get(action, N_("Other change"))
