"""The states' decision rules: one module per rule, one registry, one vocabulary of rule names.

Everything that names rules -- the charts (through ``results.chart_data``), report.html, the
dashboard, sweep outcomes, the docs' completeness test -- reads :data:`RULES` or
:func:`rule_names`. The order of :data:`REGISTERED` is the order in which rules act on one news
item (where two may fire for one state: cool before counter-court, retaliate before balance) and
the order of the charts' marks.
"""

from __future__ import annotations

from alignsim.model.rules import balance, cool, counter_court, court, reciprocate, retaliate, solidarity
from alignsim.model.rules.base import RULES, Row, Rows, Rule, Turn, register

__all__ = ["RULES", "Row", "Rule", "Rows", "Turn", "register", "rule_labels", "rule_names"]

#: The registered rules, in the order they act on one news item (a new rule: its module, added here).
REGISTERED = (court, cool, counter_court, reciprocate, retaliate, solidarity, balance)
for _module in REGISTERED:
    register(_module.RULE)


def rule_names() -> tuple[str, ...]:
    """The names of the registered rules (the ``rule`` column of agents' events), in registry order."""
    return tuple(RULES)


def rule_labels() -> dict[str, str]:
    """Rule name -> the words charts and tables use for it, in registry order."""
    return {name: rule.label for name, rule in RULES.items()}
