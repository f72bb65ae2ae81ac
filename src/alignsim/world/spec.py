"""States, interest dimensions, relations and formal ties: the world file and its arrays.

A world file (YAML) is validated into a frozen :class:`WorldSpec`; :meth:`WorldState.from_spec` turns
it into numpy arrays that the engine mutates as shocks land. :func:`interest_baseline` builds X0.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import difflib
import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from alignsim.measures.similarity import s_score, s_score_matrix
from alignsim.world.params import Params
from alignsim.world.types import Flag, Real

TIE_KINDS = ("diplomatic", "treaty", "alliance", "rivalry")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Dimension(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Identifier, snake_case.")
    meaning: str = Field(min_length=1, description="One line: what +1 and -1 mean.")


class InterestPosition(_Frozen):
    position: Real = Field(ge=-1, le=1)
    salience: Real = Field(ge=0, le=10)
    note: str = ""


class Border(_Frozen):
    closed: Flag = False
    open_to: tuple[str, ...] = ()


class StateSpec(_Frozen):
    code: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code.")
    name: str
    capability: Real = Field(gt=0, le=1)
    capability_note: str = ""
    economy: Real | None = Field(
        None, gt=0, description="GDP in USD billions; decides who can afford aid. Defaults to capability-proportional."
    )
    economy_note: str = ""
    loyalty: Real = Field(0.3, ge=0, le=1)
    loyalty_note: str = ""
    need: Real = Field(0.0, ge=0, le=1)
    need_note: str = ""
    border: Border = Border()
    border_note: str = ""
    interests: dict[str, InterestPosition] = {}


class RelationSpec(_Frozen):
    source: str
    target: str
    weight: Real = Field(ge=-1, le=1)
    reverse: Real | None = Field(None, ge=-1, le=1)
    note: str = ""


class TieSpec(_Frozen):
    a: str
    b: str
    note: str = ""


class SanctionSpec(_Frozen):
    source: str
    target: str
    note: str = ""


class TiesSpec(_Frozen):
    diplomatic: tuple[TieSpec, ...] = ()
    treaty: tuple[TieSpec, ...] = ()
    alliance: tuple[TieSpec, ...] = ()
    rivalry: tuple[TieSpec, ...] = Field(
        (),
        description="Enduring rivalries (e.g. Thompson's strategic rivalries): each adds tie_rivalry to X0 both ways.",
    )
    sanction: tuple[SanctionSpec, ...] = ()


class AffinitySpec(_Frozen):
    """A pair's measured affinity on X0's scale (e.g. chance-corrected UN-vote agreement with fitted terms)."""

    a: str
    b: str
    value: Real = Field(ge=-1, le=1)


class WorldSpec(_Frozen):
    """A world file: dimensions, states and their interests, initial relations and formal ties."""

    name: str
    description: str = ""
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    states: tuple[StateSpec, ...] = Field(min_length=2)
    relations: tuple[RelationSpec, ...] = ()
    ties: TiesSpec = TiesSpec()
    affinity: tuple[AffinitySpec, ...] = Field(
        (),
        description=(
            "Measured pair affinities on X0's scale: for a listed pair X0's interest term is this value (plus "
            "interest_weight times any later change in the S of interests); unlisted pairs use interest_weight * S."
        ),
    )
    params_set: str | None = Field(
        None,
        description="A calibrated parameter set (alignsim/data/calibration/NAME.json) the world's X0 terms were built for; scenarios default to it.",
    )

    @field_validator("dimensions")
    @classmethod
    def _unique_dimensions(cls, dims: tuple[Dimension, ...]) -> tuple[Dimension, ...]:
        _no_repeats([d.id for d in dims], "dimension")
        return dims

    @model_validator(mode="after")
    def _references_exist(self) -> WorldSpec:
        problems = world_problems(self)
        if problems:
            raise WorldProblems(problems)
        return self

    @property
    def codes(self) -> list[str]:
        return [s.code for s in self.states]


class WorldProblems(ValueError):
    """Every cross-reference mistake of a world at once, each with its location in the file; pydantic
    keeps the exception in the error's ``ctx``, so the scenario loader can report them one by one."""

    def __init__(self, problems: list[tuple[tuple[Any, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


_Codes = tuple[set[str], list[str]]  # the world's state codes, as a set (to look up) and in file order (to list)


def world_problems(world: WorldSpec | dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """(location, message) of each reference to a state or dimension that does not exist, each state
    given twice, and each meaningless relation: a state related or tied to itself, a pair listed twice.
    Works on a raw mapping too (entries of the wrong shape are skipped: their own errors say why), so
    that a file with both kinds of mistake is reported in one pass."""
    raw = world.model_dump() if isinstance(world, WorldSpec) else world
    listed = [c for s in _entries(raw.get("states")) if isinstance(c := s.get("code"), str)]
    codes = (set(listed), listed)
    dims = [d["id"] for d in _entries(raw.get("dimensions")) if isinstance(d.get("id"), str)]
    ties = raw.get("ties") if isinstance(raw.get("ties"), dict) else {}
    problems = _state_problems(raw.get("states"), codes, dims) + _relation_problems(raw.get("relations"), codes)
    for kind in (*TIE_KINDS, "sanction"):
        problems += _tie_problems(kind, ties.get(kind), codes)
    check = code_check(problems, codes)
    for n, t in _indexed(raw.get("affinity")):
        check(t.get("a"), ("affinity", n, "a"))
        check(t.get("b"), ("affinity", n, "b"))
    return problems


def code_check(
    problems: list[tuple[tuple[Any, ...], str]], codes: _Codes | WorldSpec
) -> Callable[[Any, tuple[Any, ...]], None]:
    """A function ``check(code, loc)`` that notes in ``problems`` a reference to a state code the
    world (a :class:`WorldSpec`, or its codes as a set and a list) does not have; anything but text
    (None: no state) is checked elsewhere. The one check of state codes, for worlds and scenarios."""
    known, listed = (set(codes.codes), list(codes.codes)) if isinstance(codes, WorldSpec) else codes

    def check(code: Any, loc: tuple[Any, ...]) -> None:
        if isinstance(code, str) and code not in known:
            problems.append((loc, unknown_code_message(code, listed)))

    return check


def _state_problems(states: Any, codes: _Codes, dims: list[str]) -> list[tuple[tuple[Any, ...], str]]:
    """States given twice, interests on unknown dimensions, borders opened to unknown states or to the state itself."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    check = code_check(problems, codes)
    first: dict[str, int] = {}
    for n, s in _indexed(states):
        code = s.get("code")
        if isinstance(code, str) and code in first:
            problems.append(
                (("states", n, "code"), f"state code '{code}' is given twice (states[{first[code]}] and states[{n}])")
            )
        elif isinstance(code, str):
            first[code] = n
        interests = s.get("interests")
        for dim in interests if isinstance(interests, dict) else ():
            if dims and dim not in dims:
                problems.append(
                    (
                        ("states", n, "interests", dim),
                        f"state {code}: unknown interest dimension '{dim}'{did_you_mean(str(dim), dims)}; known dimensions: {', '.join(dims)}",
                    )
                )
        border = s.get("border")
        open_to = border.get("open_to") if isinstance(border, dict) else None
        for m, other in enumerate(open_to if isinstance(open_to, (list, tuple)) else ()):
            check(other, ("states", n, "border", "open_to", m))
            if other == code:
                problems.append(
                    (("states", n, "border", "open_to", m), f"state {code}: a border is not opened to the state itself")
                )
    return problems


def _relation_problems(relations: Any, codes: _Codes) -> list[tuple[tuple[Any, ...], str]]:
    """Relations naming unknown states, relating a state to itself, or listing a pair twice (either direction)."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    check = code_check(problems, codes)
    pairs: dict[frozenset[Any], int] = {}
    for n, r in _indexed(relations):
        source, target = r.get("source"), r.get("target")
        check(source, ("relations", n, "source"))
        check(target, ("relations", n, "target"))
        if source == target:
            problems.append(
                (("relations", n, "target"), f"relation {source}->{target}: a state has no relation to itself")
            )
        pair = frozenset((str(source), str(target)))
        if pair in pairs:  # an entry sets both directions, so A->B and B->A are the same pair
            message = (
                f"relation {source}->{target}: the pair is given twice (relations[{pairs[pair]}] and relations[{n}]); "
                "one entry sets both directions ('weight' and 'reverse')"
            )
            problems.append((("relations", n), message))
        pairs.setdefault(pair, n)
    return problems


def _tie_problems(kind: str, ties: Any, codes: _Codes) -> list[tuple[tuple[Any, ...], str]]:
    """Ties of one kind naming unknown states, tying a state to itself, or given twice (sanctions are directed)."""
    keys = ("source", "target") if kind == "sanction" else ("a", "b")
    problems: list[tuple[tuple[Any, ...], str]] = []
    check = code_check(problems, codes)
    seen: dict[tuple[str, ...], int] = {}
    for n, t in _indexed(ties):
        a, b = t.get(keys[0]), t.get(keys[1])
        check(a, ("ties", kind, n, keys[0]))
        check(b, ("ties", kind, n, keys[1]))
        if a == b:
            problems.append((("ties", kind, n, keys[1]), f"{kind} tie {a}-{b}: a state has no tie to itself"))
        ident = (str(a), str(b)) if kind == "sanction" else tuple(sorted((str(a), str(b))))
        if ident in seen:
            problems.append(
                (
                    ("ties", kind, n),
                    f"{kind} tie {a}-{b} is given twice (ties.{kind}[{seen[ident]}] and ties.{kind}[{n}])",
                )
            )
        seen.setdefault(ident, n)
    return problems


def _indexed(items: Any) -> list[tuple[int, dict[str, Any]]]:
    """(index, entry) of the mapping entries of a list; anything else has no entries to check."""
    return (
        [(n, item) for n, item in enumerate(items) if isinstance(item, dict)]
        if isinstance(items, (list, tuple))
        else []
    )


def _entries(items: Any) -> list[dict[str, Any]]:
    """The mapping entries of a list (see :func:`_indexed`)."""
    return [item for _, item in _indexed(items)]


def world_warnings(world: WorldSpec) -> list[tuple[tuple[Any, ...], str]]:
    """Legal but probably unmeant: a state that gives no position on a dimension (it counts as
    position 0 with salience 0, i.e. neutral, weighed by the other state's salience alone)."""
    dims = [d.id for d in world.dimensions]
    out = []
    for n, s in enumerate(world.states):
        missing = [d for d in dims if d not in s.interests]
        if missing:
            message = (
                f"state {s.code} gives no position on {', '.join(repr(d) for d in missing)}: it counts as neutral "
                "there (position 0, salience 0; the pair's weight is half the other state's salience)"
            )
            out.append((("states", n, "interests"), message))
    return out


#: Did-you-mean searches one validation may make (None: no limit). A file of 32,000 unknown keys made
#: 32,000 (36 s of difflib) for a message that shows 30 problems; past the budget a message has no hint.
HINTS_PER_VALIDATION = 300
_hints_left: contextvars.ContextVar[int | None] = contextvars.ContextVar("hints_left", default=None)
MAX_HINTED_WORD = 64  # characters: a longer word is nobody's typo of a key or a code


@contextlib.contextmanager
def hint_budget(hints: int = HINTS_PER_VALIDATION) -> Iterator[None]:
    """Within this block, at most ``hints`` calls of :func:`did_you_mean` search for a near word."""
    token = _hints_left.set(hints)
    try:
        yield
    finally:
        _hints_left.reset(token)


def did_you_mean(word: str, choices: list[str]) -> str:
    left = _hints_left.get()
    if len(word) > MAX_HINTED_WORD or left == 0:
        return ""
    if left is not None:
        _hints_left.set(left - 1)
    return _did_you_mean(word, tuple(choices))


@functools.lru_cache(maxsize=4096)  # a list of a thousand bad codes repeats the same few
def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    """ " (did you mean 'PRK'?)" for the nearest of ``choices``, or nothing when none is near."""

    def score(choice: str) -> tuple[float, int]:  # similarity, then the longer common start ('IRM': IRN before ISR)
        ratio = max(difflib.SequenceMatcher(None, w, choice).ratio() for w in (word, word.upper()))
        return ratio, len(os.path.commonprefix([word.upper(), choice.upper()]))

    ranked = sorted(choices, key=score, reverse=True)
    return f" (did you mean '{ranked[0]}'?)" if ranked and score(ranked[0])[0] >= 0.6 else ""


def unknown_code_message(code: str, codes: list[str]) -> str:
    return f"unknown state code '{code}'{did_you_mean(code, codes)}; known states: {', '.join(codes)}"


def _no_repeats(items: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise ValueError(f"{what} '{item}' is given twice")
        seen.add(item)


def shipped_worlds() -> list[str]:
    """Names of the worlds shipped with the package (``data/worlds/*.yaml``)."""
    folder = resources.files("alignsim") / "data" / "worlds"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def shipped_world_path(name: str) -> Path:
    return Path(str(resources.files("alignsim") / "data" / "worlds" / f"{name}.yaml"))


def merge_world(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Apply a scenario's world overrides to a base world's raw mapping.

    States and dimensions are matched by ``code``/``id``: a known one has its given fields replaced
    (``interests`` merged per dimension), a new one is appended. Relations are matched by
    (source, target) and ties by pair; new ones are appended. Other keys replace the base's.
    """
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if key == "states":
            merged["states"] = _merge_by(merged.get("states", []), value, "code", nested="interests")
        elif key == "dimensions":
            merged["dimensions"] = _merge_by(merged.get("dimensions", []), value, "id")
        elif key == "relations":
            merged["relations"] = _merge_by(merged.get("relations", []), value, ("source", "target"))
        elif key == "ties" and isinstance(value, dict):
            ties = merged.setdefault("ties", {})
            for kind, items in value.items():
                ident: tuple[str, str] = ("source", "target") if kind == "sanction" else ("a", "b")
                ties[kind] = _merge_by(ties.get(kind, []), items, ident)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _merge_by(base: list[Any], new: Any, key: str | tuple[str, str], nested: str | None = None) -> Any:
    if not isinstance(new, list):
        return new  # let validation report the wrong type
    out = [dict(item) if isinstance(item, dict) else item for item in base]

    def ident(item: Any) -> Any:
        if not isinstance(item, dict):
            return None
        return tuple(item.get(k) for k in key) if isinstance(key, tuple) else item.get(key)

    index = {ident(item): i for i, item in enumerate(out)}
    for item in new:
        i = index.get(ident(item))
        if i is None or not isinstance(item, dict):
            out.append(copy.deepcopy(item))
            continue
        updated = dict(out[i])
        for k, v in item.items():
            if k == nested and isinstance(v, dict) and isinstance(updated.get(k), dict):
                updated[k] = {**updated[k], **copy.deepcopy(v)}
            else:
                updated[k] = copy.deepcopy(v)
        out[i] = updated
    return out


@dataclass
class WorldState:
    """The world as arrays; shocks mutate it in place, the engine reads it.

    ``relations[i, j]`` is how state i regards state j. Tie matrices are symmetric 0/1 floats except
    ``sanction[i, j]`` (i sanctions j). ``contact[i, j]`` is 1 where the two can meet, 0 where a
    closed border stands between them.
    """

    codes: list[str]
    names: list[str]
    dimensions: list[str]
    capability: np.ndarray
    economy: np.ndarray
    loyalty: np.ndarray
    need: np.ndarray
    interests: np.ndarray  # N x K positions in [-1, 1]
    salience: np.ndarray  # N x K weights >= 0
    relations: np.ndarray  # N x N, zero diagonal
    ties: dict[str, np.ndarray] = field(default_factory=dict)
    contact: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    memory: np.ndarray | None = None  # N x N symmetric memory of hostility M (docs/model.md, X0); zeros if None
    # Measured affinities (WorldSpec.affinity): values, where given (0/1), and the S of interests at the start.
    affinity: np.ndarray | None = None
    affinity_given: np.ndarray | None = None
    similarity_start: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.codes)

    def index(self, code: str) -> int:
        """Position of a state code; a dict lookup, since every event asks (codes never change)."""
        positions = self.__dict__.get("_positions")
        if positions is None or len(positions) != len(self.codes):
            positions = self.__dict__["_positions"] = {c: i for i, c in enumerate(self.codes)}
        try:
            return positions[code]
        except KeyError:
            raise ValueError(f"{code!r} is not a state of this world") from None

    def copy(self) -> WorldState:
        return copy.deepcopy(self)

    @classmethod
    def from_spec(cls, spec: WorldSpec) -> WorldState:
        codes = spec.codes
        idx = {c: i for i, c in enumerate(codes)}
        dims = [d.id for d in spec.dimensions]
        n, k = len(codes), len(dims)
        interests, salience = np.zeros((n, k)), np.zeros((n, k))
        for i, s in enumerate(spec.states):
            for d, pos in s.interests.items():
                interests[i, dims.index(d)] = pos.position
                salience[i, dims.index(d)] = pos.salience
        relations = np.zeros((n, n))
        for r in spec.relations:
            i, j = idx[r.source], idx[r.target]
            relations[i, j] = r.weight
            relations[j, i] = r.weight if r.reverse is None else r.reverse
        ties = {kind: np.zeros((n, n)) for kind in (*TIE_KINDS, "sanction")}
        for kind in TIE_KINDS:
            for t in getattr(spec.ties, kind):
                ties[kind][idx[t.a], idx[t.b]] = ties[kind][idx[t.b], idx[t.a]] = 1.0
        for sanc in spec.ties.sanction:
            ties["sanction"][idx[sanc.source], idx[sanc.target]] = 1.0
        contact = np.ones((n, n))
        for i, s in enumerate(spec.states):
            if s.border.closed:
                allowed = [idx[c] for c in s.border.open_to]
                contact[i, :] = contact[:, i] = 0.0
                contact[i, allowed] = contact[allowed, i] = 1.0
        np.fill_diagonal(contact, 1.0)
        affinity = given = start = None
        if spec.affinity:
            affinity, given = np.zeros((n, n)), np.zeros((n, n))
            for e in spec.affinity:
                i, j = idx[e.a], idx[e.b]
                affinity[i, j] = affinity[j, i] = e.value
                given[i, j] = given[j, i] = 1.0
            start = interest_similarity(interests, salience)
        return cls(
            codes=codes,
            names=[s.name for s in spec.states],
            dimensions=dims,
            capability=np.array([s.capability for s in spec.states]),
            economy=_economies(spec),
            loyalty=np.array([s.loyalty for s in spec.states]),
            need=np.array([s.need for s in spec.states]),
            interests=interests,
            salience=salience,
            relations=relations,
            ties=ties,
            contact=contact,
            memory=np.zeros((n, n)),
            affinity=affinity,
            affinity_given=given,
            similarity_start=start,
        )


def _economies(spec: WorldSpec) -> np.ndarray:
    """GDP per state; a state without one gets the GDP its capability share implies among the others."""
    cap = np.array([s.capability for s in spec.states])
    gdp = np.array([s.economy if s.economy is not None else np.nan for s in spec.states])
    known = ~np.isnan(gdp)
    per_capability = gdp[known].sum() / cap[known].sum() if known.any() else 1.0
    return np.where(known, gdp, cap * per_capability)


def interest_similarity(interests: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """Salience-weighted S-score of every pair of interest vectors (Signorino & Ritter 1999).

    S_ij = 1 - 2 sum_k w_ijk |u_ik - u_jk| / (d_max sum_k w_ijk), with d_max = 2 (positions lie in
    [-1, 1]) and the pair's combined salience w_ijk = (w_ik + w_jk) / 2 -- exactly
    :func:`alignsim.measures.similarity.s_score_matrix` with per-state weights. A pair with no salience
    anywhere has S = 0 (no basis for judgement); the diagonal is 0 (no relation to itself).
    """
    n = interests.shape[0]
    has = salience.sum(axis=1) > 0
    if has.all():
        s = s_score_matrix(interests, weights=salience, d_max=2.0)
    else:
        # s_score_matrix refuses weightless pairs, so states without any salience are left out of
        # the call. With one of them, a pair's weight is half the other's salience, and S does not
        # depend on the scale of the weights; two of them have no weight at all: S = 0.
        s = np.zeros((n, n))
        some, none = np.flatnonzero(has), np.flatnonzero(~has)
        if some.size:
            s[np.ix_(some, some)] = s_score_matrix(interests[some], weights=salience[some], d_max=2.0)
        for i in some:
            for j in none:
                s[i, j] = s[j, i] = s_score(interests[i], interests[j], weights=salience[i], d_max=2.0)
    np.fill_diagonal(s, 0.0)
    return s


def interest_baseline(world: WorldState, params: Params, terms: np.ndarray | None = None) -> np.ndarray:
    """X0: the relations that interests and formal ties alone justify, clipped to [-1, 1].

    X0_ij = clip(a S_ij + t_d D_ij + t_t T_ij + t_a A_ij + t_r R_ij + t_s max(Z_ij, Z_ji) - M_ij, -1, 1),
    zero diagonal, with S the interest similarity, D/T/A/R diplomatic, treaty, alliance and rivalry
    ties, Z sanctions and M the fading memory of hostility. For a pair with a measured affinity F_ij
    (WorldSpec.affinity), a S_ij is replaced by F_ij + a (S_ij - S_ij at the start). ``terms``:
    :func:`baseline_terms` of the world when the caller holds them (they change only with interests
    or ties, the memory every month).
    """
    x0 = baseline_terms(world, params) if terms is None else terms
    if world.memory is not None:
        x0 = x0 - world.memory
    x0 = np.clip(x0, -1.0, 1.0)
    np.fill_diagonal(x0, 0.0)
    return x0


def baseline_terms(world: WorldState, params: Params) -> np.ndarray:
    """The sum of :func:`interest_baseline` before the memory of hostility is taken off and it is clipped."""
    t = world.ties
    sanctions = np.maximum(t["sanction"], t["sanction"].T)
    similarity = interest_similarity(world.interests, world.salience)
    interest = params.interest_weight * similarity
    if world.affinity is not None and world.affinity_given is not None and world.similarity_start is not None:
        # A measured affinity replaces the interest term; interest shocks still move it (docs/model.md §10).
        shifted = world.affinity + params.interest_weight * (similarity - world.similarity_start)
        interest = np.where(world.affinity_given > 0, shifted, interest)
    return (
        interest
        + params.tie_diplomatic * t["diplomatic"]
        + params.tie_treaty * t["treaty"]
        + params.tie_alliance * t["alliance"]
        + params.tie_rivalry * t["rivalry"]
        + params.tie_sanction * sanctions
    )
