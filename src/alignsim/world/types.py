"""Strict scalar types for the fields users write in YAML: ``steps: true`` is not 1, ``"0.5"`` is not
a number, ``.inf`` and ``.nan`` are not finite; pydantic's strict mode refuses them all (an integer
is still accepted where a real number is asked for)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AllowInfNan, Strict

Int = Annotated[int, Strict()]
Real = Annotated[float, Strict(), AllowInfNan(False)]
Flag = Annotated[bool, Strict()]
