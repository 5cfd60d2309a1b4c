"""Every object with a workflow declares it through documents.workflow: one table per object, on
the object's own state field, whose states are that field's choices, and services that move the
state only through the table.

The mechanism itself is tested in tests/documents/test_workflow.py; each workflow's rules, role
by role, in its app's tests."""

import inspect
import re

import pytest

import actionplans.permissions
import actionplans.services.workflow
import mentoring.models
import mentoring.services.events
import mentoring.services.pairings
import reporting.permissions
import reporting.services.months
import toolkits.permissions
import toolkits.services.practices
from actionplans.models import ActionPlan, Stage
from documents.workflow import Workflow
from mentoring.models import (
    EVENT_WORKFLOW,
    PAIRING_WORKFLOW,
    Event,
    EventStatus,
    Pairing,
    PairingStatus,
)
from reporting.models import MonthStatus, TimesheetMonth
from toolkits.models import GoodPractice, PracticeStatus

WORKFLOWS = {
    "pairing": (PAIRING_WORKFLOW, Pairing, PairingStatus, mentoring.services.pairings),
    "event": (EVENT_WORKFLOW, Event, EventStatus, mentoring.services.events),
    "timesheet month": (
        reporting.permissions.MONTH_WORKFLOW,
        TimesheetMonth,
        MonthStatus,
        reporting.services.months,
    ),
    "good practice": (
        toolkits.permissions.PRACTICE_WORKFLOW,
        GoodPractice,
        PracticeStatus,
        toolkits.services.practices,
    ),
    "action plan": (
        actionplans.permissions.PLAN_WORKFLOW,
        ActionPlan,
        Stage,
        actionplans.services.workflow,
    ),
}


@pytest.mark.parametrize("name", WORKFLOWS)
def test_the_object_declares_its_workflow_on_its_state_field(name):
    workflow, model, choices, _services = WORKFLOWS[name]
    assert isinstance(workflow, Workflow)
    field = model._meta.get_field(workflow.field)
    assert {value for value, _label in field.choices} == set(choices.values)
    # Every state the table names is one of the field's, and every state of the field is
    # reached or left by some transition (or is where the object starts).
    assert workflow.states <= set(choices.values)
    assert set(choices.values) - workflow.states <= {field.default}


@pytest.mark.parametrize("name", WORKFLOWS)
def test_its_service_moves_the_state_only_through_the_table(name):
    workflow, _model, choices, services = WORKFLOWS[name]
    source = inspect.getsource(services)
    setting = re.compile(rf"\.{workflow.field} = ({choices.__name__}\.|to\b|target\b)")
    assert not setting.findall(source)
    assert "WORKFLOW" in source


def test_no_second_table_of_transitions_is_left():
    assert not hasattr(mentoring.services.pairings, "TRANSITIONS")
    assert not hasattr(mentoring.models, "EVENT_TRANSITIONS")
    assert not hasattr(actionplans.permissions, "TRANSITIONS")
