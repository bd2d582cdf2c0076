"""The shipped pathway has the standard stages, with labels known to the catalogues."""

from __future__ import annotations

from datetime import date

from advisor_app.domain.pathway import is_late
from advisor_app.domain.pathway_labels import SHIPPED_PATHWAY_LABELS
from advisor_app.services.context import pathway_template


def test_the_standard_pathway_goes_from_welcome_to_three_years_of_follow_up() -> None:
    template = pathway_template()
    assert template.keys()[0] == "welcome"
    assert template.keys()[-1] == "follow_up_3y"
    assert {"diagnosis", "market_study", "financing", "committee", "registration", "start"} <= set(
        template.keys()
    )


def test_every_label_of_the_shipped_pathway_is_marked_for_translation() -> None:
    template = pathway_template()
    labels = {template.label} | {m.label for m in template.milestones}
    assert labels <= set(SHIPPED_PATHWAY_LABELS)


def test_a_milestone_is_late_when_its_target_is_past_and_it_is_not_done() -> None:
    today = date(2026, 11, 25)
    assert is_late(date(2026, 11, 1), None, today)
    assert not is_late(date(2026, 11, 1), date(2026, 11, 2), today)
    assert not is_late(date(2026, 12, 1), None, today)
