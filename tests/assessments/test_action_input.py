"""ActionInput: the one set of field rules the action forms, the API and scripts share."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from assessments.inputs import ActionInput


def test_values_are_cleaned_by_the_model_fields_limits():
    given = ActionInput.from_values({"title": "  Map   the journey ", "due_date": "2026-05-01"})
    assert (given.title, given.due_date) == ("Map the journey", date(2026, 5, 1))
    assert given.changes() == {"title": "Map the journey", "due_date": date(2026, 5, 1)}


def test_every_bad_field_and_every_unknown_name_is_named_at_once():
    with pytest.raises(ValidationError) as caught:
        ActionInput.from_values(
            {
                "title": "x" * 201,
                "owner_email": "not an address",
                "progress": 101,
                "horizon": "someday",
                "position": 1,
            }
        )
    assert set(caught.value.message_dict) == {
        "title",
        "owner_email",
        "progress",
        "horizon",
        "position",
    }


@pytest.mark.parametrize("progress", [True, "50", 50.0])
def test_progress_is_a_whole_number(progress):
    with pytest.raises(ValidationError) as caught:
        ActionInput.from_values({"progress": progress}, partial=True)
    assert "progress" in caught.value.message_dict


def test_a_new_action_needs_a_title_but_a_change_does_not():
    with pytest.raises(ValidationError) as caught:
        ActionInput.from_values({"status": "done"})
    assert set(caught.value.message_dict) == {"title"}
    assert ActionInput.from_values({"status": "done"}, partial=True).changes() == {"status": "done"}
