"""What a decision rule is, and the registry of rules.

A rule is one module of this package holding a :class:`Rule`: its name (the ``rule`` column of
events.csv), the words charts use for it, its **screen** -- the rule's trigger, declared once, as
numpy over the month's news items x all states, giving the (item, state) rows on which it fires --
and its **act**, the Python that runs for those rows only: it checks what can change while states
decide (the one answer per pair per month, grievances the state itself just took, its budget of
initiatives), chooses the form of the act and writes the cause. An initiative rule (court) has no
screen: its trigger is the state's lost partners and support, measured for all states at once.

Adding a rule: write ``model/rules/my_rule.py`` with ``RULE = Rule(...)`` and add the module to
``REGISTERED`` in ``model/rules/__init__.py`` (docs/architecture.md, "Adding a decision rule").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from alignsim.model.agents import StateAgent
    from alignsim.model.model import AlignmentModel, LoggedEvent
    from alignsim.model.rules.news import Items


class Rows(NamedTuple):
    """Where a rule fires: for each row, the news item (index into ``Items.usable``), the state that
    may act, the counterpart it acts toward (or on behalf of) and a number the act needs (a score,
    a chance or a severity, as the rule says)."""

    item: np.ndarray
    state: np.ndarray
    partner: np.ndarray
    value: np.ndarray


def no_rows() -> Rows:
    empty = np.zeros(0, dtype=np.intp)
    return Rows(empty, empty, empty, np.zeros(0))


@dataclass
class Turn:
    """A state's month while it decides: initiatives left, and the partners it lost (reasons to court)."""

    budget: int
    lost: list[tuple[str, int]] = field(default_factory=list)  # (reason, depth of the act that lost the partner)


@dataclass(frozen=True)
class Row:
    """One row of a state's briefing, as its rule's act receives it."""

    event: LoggedEvent
    partner: int
    value: float


Screen = Callable[["AlignmentModel", "Items"], Rows]
Act = Callable[["StateAgent", Turn, Row], None]


@dataclass(frozen=True)
class Rule:
    """A decision rule (see the module docstring)."""

    name: str
    label: str  # the words on charts and tables, e.g. "counter-court"
    summary: str  # one line: when it fires and what it does
    kind: Literal["answer", "initiative"]
    screen: Screen | None = None
    act: Act | None = None
    switch: str | None = None  # the parameter that turns the rule on (a bool) or off (a number set to 0)


def enabled(rule: Rule, params: Any) -> bool:
    """Whether the rule's switch (if it has one) is on in ``params``."""
    return rule.switch is None or bool(getattr(params, rule.switch))


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule to the registry (the order of registration is the order rules act on one news item)."""
    if rule.name in RULES or rule.name == "scripted":
        raise ValueError(f"rule {rule.name!r} is registered twice or reserved")
    RULES[rule.name] = rule
    return rule
