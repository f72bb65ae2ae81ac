"""What the dashboard does to scenarios and results, without Streamlit (so it is tested directly):
find the shipped scenarios, read an upload, apply the edits (shocks on/off, dates, intensities,
parameters), write the edited YAML and the run folder as a zip, and take run-by-run differences
from the scenario as shipped.

Only the public API is used: ``alignsim.load_scenario``, ``alignsim.run``, the scenario's pydantic
model (``model_dump`` / ``model_validate`` / ``resolved``) and the RunResult's tables and ``save``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import alignsim
from alignsim.config.scenario import is_world_mapping, load_world_file
from alignsim.config.starter import starter_text
from alignsim.config.yaml_errors import input_error
from alignsim.config.yaml_reader import read_text_file, read_yaml
from alignsim.errors import InputError
from alignsim.results.folders import safe_name
from alignsim.results.scaling import plain_yaml
from alignsim.world.events.base import EVENT_TYPES
from alignsim.world.spec import shipped_worlds


@dataclass(frozen=True)
class ShockEdit:
    """The dashboard's settings for one scripted shock."""

    enabled: bool = True
    date: dt.date | None = None  # None: keep the shock's date (or its step)
    intensity: float | None = None
    target: str | None = None  # None: keep the shock's target (retargeting sends it to another state)


# Plain-words meaning of the parameters a class can move, with slider bounds (min, max, step).
# The ranges stay inside what alignsim.params.Params accepts.
PARAMETERS: dict[str, tuple[str, float, float, float]] = {
    "beta": (
        "How fast relations return to what interests justify (X0). Goodwill halves every ln 2 / beta months: 7 months at 0.1, 3.5 at 0.2.",
        0.01,
        1.0,
        0.01,
    ),
    "alpha": (
        "Pull of structural balance: 'the friend of my enemy is my enemy'. Past a tipping point (about twice the "
        "default here) it locks the world into two blocs.",
        0.0,
        0.015,
        0.0005,
    ),
    "noise": ("Month-to-month randomness added to every relation.", 0.0, 0.1, 0.005),
    "reciprocity": ("How warmly a courted state answers a visit or aid (0: it does not answer).", 0.0, 3.0, 0.1),
    "kappa": (
        "How far one event (a visit, aid, a sanction) moves the actor's own relation to the target.",
        0.0,
        1.0,
        0.05,
    ),
    "cool_threshold": (
        "How easily a state punishes a friend who warms to its adversary: lower is touchier.",
        0.05,
        1.0,
        0.05,
    ),
}


def scenario_folders() -> list[Path]:
    """Where shipped scenarios are looked for: ./scenarios, then the repository's (an editable install)."""
    repo = Path(alignsim.__file__).resolve().parents[2] / "scenarios"
    return [p for p in dict.fromkeys([Path.cwd() / "scenarios", repo]) if p.is_dir()]


def shipped_scenarios() -> dict[str, Path]:
    """Scenario name (file stem) -> path, first folder first."""
    found: dict[str, Path] = {}
    for folder in scenario_folders():
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, path)
    return found


def error_text(err: BaseException, hide: str | None = None) -> str:
    """The message ``alignsim validate`` prints for this error, with a temporary folder hidden."""
    text = f"error: {getattr(err, 'full_text', None) or err}"
    return text.replace(f"{hide}/", "") if hide else text


class UploadError(Exception):
    """An uploaded scenario that does not validate; the message is alignsim validate's."""


#: Characters of a description, note or name shown on the page; the rest is cut (a 5 MB description froze a tab).
MAX_TEXT = 600


def shown(text: Any, limit: int = MAX_TEXT) -> str:
    """``text`` as the page shows it (plain text, never Markdown or HTML): cut at ``limit`` characters."""
    text = "" if text is None else str(text)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit:,} more characters not shown)"


def escaped(text: Any, limit: int = MAX_TEXT) -> str:
    """:func:`shown`, with Markdown's punctuation escaped: for the few places Streamlit reads Markdown
    (titles, labels), so that a name shows as written and never as a link, an image or HTML."""
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~$:])", r"\\\1", shown(text, limit))


def load_uploaded(name: str, data: bytes) -> Any:
    """Validate an uploaded scenario exactly as ``alignsim validate`` would a file of that name."""
    return load_uploads([(name, data)])


def load_uploads(files: Sequence[tuple[str, bytes]]) -> Any:
    """The scenario of one upload: a scenario file, a scenario with the world file it names, or a
    world file alone (a starter scenario on it). A scenario may name a shipped world or a world
    uploaded with it, never a path on the server: refused before any file is opened."""
    with tempfile.TemporaryDirectory(prefix="alignsim-upload-") as tmp:
        saved = [(Path(tmp) / _upload_name(name), data) for name, data in files]
        for path, data in saved:
            path.write_bytes(data)
        try:
            worlds, scenarios = _split_uploads([path for path, _ in saved])
            if not scenarios:
                return _starter_on(worlds[-1])
            _check_world_reference(scenarios[-1], {p.name for p in worlds})  # the latest scenario uploaded
            return alignsim.load_scenario(scenarios[-1])
        except Exception as err:  # noqa: BLE001 -- any broken upload must leave the app working
            raise UploadError(error_text(err, hide=tmp)) from None


def _upload_name(name: str) -> str:
    """The uploaded file's own name if harmless, else a safe one: an upload never names a folder."""
    base = Path(name).name
    return base if base and safe_name(base) == base else f"{safe_name(Path(name).stem)}.yaml"


def _split_uploads(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """World files and scenario files among the uploads (a broken YAML counts as a scenario, so
    that loading it gives validate's message)."""
    worlds, scenarios = [], []
    for path in paths:
        try:
            data, _ = read_yaml(read_text_file(path, "scenario file"), path)
        except InputError:
            data = None
        (worlds if is_world_mapping(data) else scenarios).append(path)
    return worlds, scenarios


def _check_world_reference(path: Path, uploaded: set[str]) -> None:
    """Refuse a ``world:`` (or ``world: {base: ...}``) that is neither a shipped world nor a world
    uploaded with the scenario: on a classroom server it would open a file of the server's."""
    try:
        data, tree = read_yaml(read_text_file(path, "scenario file"), path)
    except InputError:
        return  # loading it reports the mistake
    if not isinstance(data, dict):
        return
    world = data.get("world")
    ref, at = (world.get("base"), ("world", "base")) if isinstance(world, dict) else (world, ("world",))
    if not isinstance(ref, str) or ref in shipped_worlds() or ref in uploaded:
        return
    allowed = ", ".join([*shipped_worlds(), *sorted(uploaded)])
    message = (
        f"an uploaded scenario names a shipped world or a world file uploaded with it ({allowed}), "
        "not a file on the server; upload the world file together with the scenario"
    )
    raise input_error([(list(at), message)], tree, path.name)


def _starter_on(world: Path) -> Any:
    """A world uploaded alone: the starter scenario ``alignsim new NAME --world FILE`` would write."""
    spec = load_world_file(world)
    path = world.with_name(f"{safe_name(spec.name)}_starter.yaml")
    path.write_text(starter_text(path.stem, world.name, spec, read_text_file(world, "world file")), encoding="utf-8")
    return alignsim.load_scenario(path)


def shock_label(shock: Any) -> str:
    target = f" → {shock.target}" if getattr(shock, "target", None) else ""
    return f"{shock.type} {shock.source or ''}{target}"


def edited(
    scenario: Any,
    shocks: list[ShockEdit],
    params: dict[str, Any],
    added: Sequence[dict[str, Any]] = (),
    track: Sequence[str] | None = None,
) -> Any:
    """The scenario with the given shocks switched off, re-dated, re-weighted or retargeted, the
    ``added`` shocks (mappings as a file writes them) appended, its parameters changed and, when
    given, the pairs it tracks; validated like a file (a date outside the run raises the validator's error)."""
    kept = [_edit_shock(shock, e) for shock, e in zip(scenario.shocks, shocks) if e.enabled]
    data = _dump(scenario)
    data["shocks"] = [s.model_dump(mode="json", exclude_none=True) for s in kept] + [dict(a) for a in added]
    defaults = type(scenario.params)().model_dump(mode="json")
    data["params"] = {k: v for k, v in {**data.get("params", {}), **params}.items() if v != defaults.get(k)}
    if track is not None:
        data["track"] = list(track)
    return type(scenario).model_validate(data)


def _edit_shock(shock: Any, e: ShockEdit) -> Any:
    update: dict[str, Any] = {}
    if e.date is not None and shock.date is not None:
        update["date"] = e.date
    if e.intensity is not None:
        update["intensity"] = e.intensity
    if e.target is not None and getattr(shock, "target", None) not in (None, e.target):
        update["target"] = e.target
    return shock.model_copy(update=update)


def edit_list(
    scenario: Any, shocks: list[ShockEdit], params: dict[str, Any], added: Sequence[dict[str, Any]]
) -> list[str]:
    """The edits in plain words, one a line ('removed: aid KOR → MNG', 'beta 0.1 -> 0.2', ...)."""
    lines = []
    for shock, e in zip(scenario.shocks, shocks):
        label = shock_label(shock)
        if not e.enabled:
            lines.append(f"removed: {label}")
            continue
        if e.date is not None and shock.date is not None and e.date != shock.date:
            lines.append(f"moved: {label} from {shock.date} to {e.date}")
        if e.intensity is not None and abs(e.intensity - float(shock.intensity)) > 1e-9:
            lines.append(f"intensity: {label} {shock.intensity:g} -> {e.intensity:g}")
        if e.target is not None and getattr(shock, "target", None) not in (None, e.target):
            lines.append(f"retargeted: {label} to {e.target}")
    for shock in added:
        what = f"{shock['type']} {shock.get('source', '')}" + (f" → {shock['target']}" if shock.get("target") else "")
        extra = f" ({shock['dimension']} {shock.get('delta', 0):+g})" if shock["type"] == "interest_shift" else ""
        lines.append(f"added: {what}{extra} on {shock.get('date', '')}")
    for name, value in params.items():
        before = getattr(scenario.params, name, None)
        if before is not None and value != before:
            lines.append(
                f"parameter: {name} {before:g} -> {value:g}"
                if not isinstance(value, bool)
                else f"parameter: {name} {value}"
            )
    return lines


def download_yaml(changed: Any, variant: str, replicates: int, edits: Sequence[str]) -> str:
    """The edited scenario as a file: the student's name for the variant, the ensemble size it was
    run with, and a comment listing the edits."""
    data = _dump(changed)
    data["name"] = variant
    if replicates > 1:
        data["replicates"] = replicates
    defaults = type(changed.params)().model_dump(mode="json")
    data["params"] = {k: v for k, v in data.get("params", {}).items() if v != defaults.get(k)}
    if not data["params"]:
        del data["params"]
    lines = [f"# {variant}: a variant of {changed.name} made in the alignsim dashboard"]
    lines += [f"# run with {replicates} runs" if replicates > 1 else "# run as one run"]
    lines += ["# edits:", *[f"#   - {line}" for line in edits]] if edits else ["# edits: none (as shipped)"]
    return "\n".join(lines) + "\n" + plain_yaml(data, width=100)


def shock_catalogue() -> dict[str, str]:
    """Event types a student can add with a source, a target, a date and an intensity alone (those
    that need more, such as an interest shift, have forms of their own): type -> its first doc line."""
    out = {}
    for name, cls in EVENT_TYPES.items():
        required = [n for n, f in cls.model_fields.items() if f.is_required()]
        if not required:
            out[name] = (cls.__doc__ or name).strip().splitlines()[0]
    return out


def _dump(scenario: Any) -> dict[str, Any]:
    """The scenario as a file would say it; a world given by a path is inlined, since an edited or
    uploaded scenario no longer sits next to its world file."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    world = data.get("world")
    if not isinstance(world, str) or "/" in world or world.endswith((".yaml", ".yml")):
        data["world"] = scenario.resolved()["world"]
    return data


def scenario_yaml(scenario: Any) -> str:
    """The edited scenario as YAML that ``alignsim run`` accepts (parameters left at their
    defaults are omitted)."""
    data = _dump(scenario)
    defaults = type(scenario.params)().model_dump(mode="json")
    data["params"] = {k: v for k, v in data.get("params", {}).items() if v != defaults.get(k)}
    if not data["params"]:
        del data["params"]
    return plain_yaml(data, width=100)


def run_folder_zip(result: Any, name: str | None = None) -> bytes:
    """The run folder (tables, charts, report.html) as a zip archive. The folder is named by
    ``safe_name``: an uploaded scenario's ``name: ../x`` must not lead the save outside ``tmp``."""
    with tempfile.TemporaryDirectory(prefix="alignsim-zip-") as tmp:
        folder = result.save(Path(tmp) / safe_name(name or result.scenario.name))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder.parent).as_posix())
        return buffer.getvalue()


def paired_differences(result: Any, reference: Any, pairs: list[str]) -> pd.DataFrame:
    """Run-by-run differences W(edited) - W(shipped) per tracked pair and date: median and 5-95%
    band. Both ran with the same seed and replicates, so run k of each shares its random numbers
    and the noise they have in common cancels."""
    rows = []
    dates = [str(d) for d in result.relation_cube.dates]
    for pair in pairs:
        s, t = pair.split("-")
        diff = result.relation_cube.series(s, t) - reference.relation_cube.series(s, t)
        lo, mid, hi = np.quantile(diff, [0.05, 0.5, 0.95], axis=0)
        rows.append(
            pd.DataFrame(
                {"pair": pair, "date": dates, "median": mid, "p5": lo, "p95": hi, "above": (diff > 0).mean(axis=0)}
            )
        )
    return pd.concat(rows, ignore_index=True)


def end_summary(result: Any, reference: Any, differences: pd.DataFrame) -> pd.DataFrame:
    """One row per tracked pair at the end: shipped, edited, the difference and its band."""
    end = differences.groupby("pair", sort=False).tail(1).set_index("pair")
    rows = []
    for pair, d in end.iterrows():
        s, t = str(pair).split("-")
        rows.append(
            {
                "pair": f"{s}→{t}",
                "as shipped": float(np.median(reference.relation_cube.series(s, t)[:, -1])),
                "edited": float(np.median(result.relation_cube.series(s, t)[:, -1])),
                "difference": d["median"],
                "5%": d["p5"],
                "95%": d["p95"],
                "share of runs higher": d["above"],
            }
        )
    return pd.DataFrame(rows)
