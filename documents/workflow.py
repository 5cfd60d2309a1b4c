"""One way to declare a workflow: its states, its transitions, who may take each and what a
person is told when they may not.

Pairings, events, timesheet months, good practices and action plans each declare one
`Workflow` next to their permissions; their services call `take` (or `check`) inside their
transaction, and their views and templates ask `available` and `allowed` for what to offer and
why not, so that a page shows the reason the service would give.

    PLAN = Workflow(
        field="stage",
        wrong_state=lambda plan, step: _("The plan is %(stage)s ...") % ...,
        transitions=[
            Transition("submit", {Stage.DRAFT}, Stage.SUBMITTED, _("Submit for review"),
                       allowed=authors_only),
            ...
        ],
    )

`allowed(user, obj) -> (bool, reason)` says who may take a transition; the state it starts
from is the table's business. A refusal is a ValidationError with the reason and a code,
"wrong_state" or "wrong_role", which a view turns into 400 or 403.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise

Allowed = tuple[bool, str]
Rule = Callable[[Any, Any], Allowed]

WRONG_STATE = "wrong_state"
WRONG_ROLE = "wrong_role"


def anyone(user: Any, obj: Any) -> Allowed:
    """A transition whose service has no person to check (the view decides who reaches it)."""
    return True, ""


@dataclass(frozen=True)
class Transition:
    """From any of `source` to `target`, for those `allowed` lets through.

    `label`, `help` and `done` are what a person reads: the button, the line under it and the
    message once the step is taken. `wrong_state(obj, transition)` overrides the workflow's
    message for a refused state. `state_first` checks the state before the person (by default
    the person comes first, so that someone who never takes this step is told so whatever the
    state)."""

    name: str
    source: Iterable[Any]
    target: str
    label: str | Promise = ""
    allowed: Rule = anyone
    help: str | Promise = ""
    done: str | Promise = ""
    wrong_state: Callable[[Any, "Transition"], str] | None = None
    state_first: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", frozenset(self.source))


class Workflow:
    """The transitions of one kind of object, whose state is held in its `field`.

    `wrong_state(obj, transition) -> str` is the message when the object is not in a state the
    transition starts from; with `error_field`, that message is put on the form's field of that
    name (pairings and events show it under the status they were asked to take)."""

    def __init__(
        self,
        *,
        field: str,
        transitions: Iterable[Transition],
        wrong_state: Callable[[Any, Transition], str],
        error_field: str | None = None,
    ) -> None:
        self.field = field
        self.wrong_state = wrong_state
        self.error_field = error_field
        self.transitions: dict[str, Transition] = {}
        for transition in transitions:
            if transition.name in self.transitions:
                raise ValueError(f"Two transitions are called {transition.name!r}.")
            self.transitions[transition.name] = transition

    def __contains__(self, name: object) -> bool:
        return name in self.transitions

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __iter__(self) -> Iterator[Transition]:
        return iter(self.transitions.values())

    @property
    def states(self) -> set[str]:
        return {s for t in self for s in t.source} | {t.target for t in self}

    def state(self, obj: Any) -> str:
        return getattr(obj, self.field)

    def leaving(self, obj: Any) -> list[Transition]:
        """The transitions that start from the object's state, whoever takes them."""
        state = self.state(obj)
        return [t for t in self if state in t.source]

    def _state_refusal(self, obj: Any, transition: Transition) -> ValidationError:
        message = (transition.wrong_state or self.wrong_state)(obj, transition)
        if self.error_field:
            return ValidationError({self.error_field: ValidationError(message, code=WRONG_STATE)})
        return ValidationError(message, code=WRONG_STATE)

    def refusal(self, user: Any, obj: Any, name: str) -> ValidationError | None:
        """Why this person may not take the transition now, as the error to raise; or None.

        A name the table does not know is a state no transition leads to (pairings and events
        name their transitions by the status they lead to): refused as from a wrong state."""
        transition = self.transitions.get(name) or Transition(name, frozenset(), name)

        def state() -> ValidationError | None:
            if self.state(obj) not in transition.source:
                return self._state_refusal(obj, transition)
            return None

        def person() -> ValidationError | None:
            ok, reason = transition.allowed(user, obj)
            return None if ok else ValidationError(reason, code=WRONG_ROLE)

        checks = (state, person) if transition.state_first else (person, state)
        for check in checks:
            error = check()
            if error is not None:
                return error
        return None

    def allowed(self, user: Any, obj: Any, name: str) -> Allowed:
        """(True, "") or (False, the reason the service would give)."""
        error = self.refusal(user, obj, name)
        if error is None:
            return True, ""
        return False, " ".join(error.messages)

    def available(self, user: Any, obj: Any) -> list[Transition]:
        """The transitions this person may take now, in the order they are declared."""
        return [t for t in self.leaving(obj) if self.refusal(user, obj, t.name) is None]

    def check(self, user: Any, obj: Any, name: str) -> Transition:
        """Raise the ValidationError that says why not, or return the transition."""
        error = self.refusal(user, obj, name)
        if error is not None:
            raise error
        return self[name]

    def take(self, user: Any, obj: Any, name: str) -> tuple[str, str]:
        """Check, then move the object to the target state (unsaved: the service saves it with
        whatever else the step changes). Returns (from, to)."""
        transition = self.check(user, obj, name)
        before = self.state(obj)
        setattr(obj, self.field, transition.target)
        return before, transition.target
