"""The workflow table itself: which transitions it offers, why it refuses, and in what order it
asks, on a plain object (no database)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from documents.workflow import WRONG_ROLE, WRONG_STATE, Transition, Workflow


def _editors_only(user, doc):
    if user == "editor":
        return True, ""
    return False, "Only editors do this."


def _wrong(doc, transition):
    return f"A {doc.state} document cannot be {transition.target}."


FLOW = Workflow(
    field="state",
    wrong_state=_wrong,
    transitions=[
        Transition("send", {"draft", "returned"}, "sent", "Send"),
        Transition("publish", {"sent"}, "published", "Publish", allowed=_editors_only),
        Transition("return", {"sent"}, "returned", "Return", allowed=_editors_only),
        Transition(
            "retract",
            {"published"},
            "returned",
            allowed=_editors_only,
            wrong_state=lambda doc, t: "Only a published document is retracted.",
            state_first=True,
        ),
    ],
)


def doc(state):
    return SimpleNamespace(state=state)


def test_it_offers_the_transitions_from_the_state_that_the_person_may_take_in_order():
    assert [t.name for t in FLOW.available("editor", doc("sent"))] == ["publish", "return"]
    assert [t.name for t in FLOW.available("author", doc("sent"))] == []
    assert [t.name for t in FLOW.available("author", doc("draft"))] == ["send"]
    assert [t.name for t in FLOW.leaving(doc("sent"))] == ["publish", "return"]


def test_allowed_gives_the_reason_the_check_would_raise():
    assert FLOW.allowed("editor", doc("sent"), "publish") == (True, "")
    assert FLOW.allowed("author", doc("sent"), "publish") == (False, "Only editors do this.")
    assert FLOW.allowed("editor", doc("draft"), "publish") == (
        False,
        "A draft document cannot be published.",
    )


def test_a_refusal_is_a_validation_error_with_a_code():
    with pytest.raises(ValidationError) as role:
        FLOW.check("author", doc("sent"), "publish")
    assert role.value.code == WRONG_ROLE
    assert role.value.messages == ["Only editors do this."]
    with pytest.raises(ValidationError) as state:
        FLOW.check("editor", doc("published"), "publish")
    assert state.value.code == WRONG_STATE
    assert state.value.messages == ["A published document cannot be published."]


def test_the_person_is_asked_first_unless_the_transition_says_state_first():
    # Wrong person and wrong state: by default the person's refusal is the one given.
    assert FLOW.allowed("author", doc("draft"), "publish")[1] == "Only editors do this."
    # A transition may ask for the state first, and carry its own message for it.
    assert FLOW.allowed("author", doc("draft"), "retract")[1] == (
        "Only a published document is retracted."
    )
    assert FLOW.allowed("author", doc("published"), "retract")[1] == "Only editors do this."


def test_take_moves_the_object_and_says_from_where_to_where():
    item = doc("sent")
    assert FLOW.take("editor", item, "return") == ("sent", "returned")
    assert item.state == "returned"
    with pytest.raises(ValidationError):
        FLOW.take("editor", item, "publish")
    assert item.state == "returned"


def test_an_error_field_puts_the_state_refusal_on_that_field():
    flow = Workflow(
        field="state",
        wrong_state=_wrong,
        error_field="status",
        transitions=[Transition("sent", {"draft"}, "sent")],
    )
    with pytest.raises(ValidationError) as error:
        flow.check(None, doc("sent"), "sent")
    assert error.value.message_dict == {"status": ["A sent document cannot be sent."]}


def test_the_table_knows_its_states_and_refuses_two_transitions_of_one_name():
    assert FLOW.states == {"draft", "returned", "sent", "published"}
    assert "send" in FLOW
    assert "fly" not in FLOW
    with pytest.raises(ValueError, match="send"):
        Workflow(
            field="state",
            wrong_state=_wrong,
            transitions=[Transition("send", {"a"}, "b"), Transition("send", {"b"}, "c")],
        )


def test_a_name_the_table_does_not_know_is_refused_as_from_a_wrong_state():
    assert FLOW.allowed("editor", doc("sent"), "draft") == (
        False,
        "A sent document cannot be draft.",
    )
    with pytest.raises(ValidationError) as error:
        FLOW.check("editor", doc("sent"), "draft")
    assert error.value.code == WRONG_STATE
