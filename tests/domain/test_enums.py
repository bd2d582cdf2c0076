"""Every choice in a list has its own label, even when two lists share a value."""

from __future__ import annotations

from advisor_app.domain.enums import FundingKind, Gender, LabelledEnum, Outcome, Situation


def test_other_means_something_different_in_each_list() -> None:
    labels = {
        Gender.OTHER.label_id,
        Situation.OTHER.label_id,
        FundingKind.OTHER.label_id,
        Outcome.OTHER.label_id,
    }
    assert len(labels) == 4


def test_every_member_of_every_list_has_a_label() -> None:
    for enum in LabelledEnum.__subclasses__():
        for member in enum:
            assert member.label_id
