"""The classroom dashboard, a Streamlit script: ``alignsim dashboard [SCENARIO]`` runs it.

Streamlit reruns this script top to bottom on every click; everything a browser tab changes lives
in ``st.session_state`` (its own for each session), never in module globals, so two students on
one server never see each other's edits. The configuration is also written to the page's URL
(``st.query_params``), so a refresh or a shared link restores it.

The page tells the story first: the chosen pairs as shipped and as edited, then the months one by
one (Step / Play / Pause / Reset and a month scrubber), then the editors, the comparison of saved
variants, a one-parameter sweep, the downloads, and the researcher's measures.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

import alignsim
from alignsim.dashboard import editing as ed
from alignsim.model.rules import rule_labels
from alignsim.results import chart_data as cd
from alignsim.viz import report_html as rh

#: Rules the history data do not support, off by default; a class may switch them on as hypotheses.
RULE_SWITCHES = {
    "cool_on": "Hypothesis: a state cools toward a friend who warms to its adversary",
    "court_on": "Hypothesis: a state that lost a partner courts new friends",
}
HYPOTHESIS = "Off by default: its test on the history data failed (docs/model.md, evidence for each rule)."
UPLOADED = "uploaded"  # session_state key: name -> Scenario accepted from an upload
URL_KEY = "s"  # the query parameter holding the configuration
#: Session keys kept in the URL: the scenario, the run settings, the pairs, the month and every edit.
KEPT = ("choice", "mode", "replicates", "seed", "pairs", "t", "variant", "added")
MAX_PAIRS = 4
PICKABLE_STATES = 20  # the pairs offered are among the most capable states (and the tracked ones)


# ---------------------------------------------------------------------------------------------
# the configuration in the URL
def restore_from_url() -> None:
    """Once per session: the widgets' values from the URL (a refresh or a shared link)."""
    if st.session_state.get("_restored"):
        return
    st.session_state["_restored"] = True
    raw = st.query_params.get(URL_KEY)
    if not raw:
        return
    try:
        saved = json.loads(base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4)).decode())
    except (ValueError, UnicodeDecodeError):
        return  # a broken link opens the default page
    for key, value in saved.items() if isinstance(saved, dict) else []:
        if isinstance(value, dict) and set(value) == {"date"}:
            value = dt.date.fromisoformat(value["date"])
        st.session_state[key] = value


def save_to_url(prefix: str, scenario: Any) -> None:
    """The configuration written to the URL, compactly: the run settings, pairs, month and every
    widget of this scenario that differs from the scenario as shipped."""
    shipped = _shipped_values(prefix, scenario)
    kept: dict[str, Any] = {}
    for key, value in st.session_state.items():
        if not isinstance(key, str) or not (key in KEPT or key.startswith(f"{prefix}:")):
            continue
        if key in shipped and shipped[key] == value:
            continue  # as shipped: the link stays short
        if isinstance(value, dt.date):
            kept[key] = {"date": value.isoformat()}
        elif isinstance(value, bool | int | float | str | list):
            kept[key] = value
    encoded = base64.urlsafe_b64encode(json.dumps(kept, sort_keys=True, separators=(",", ":")).encode()).decode()
    encoded = encoded.rstrip("=")
    if st.query_params.get(URL_KEY) != encoded:
        st.query_params[URL_KEY] = encoded


def _shipped_values(prefix: str, scenario: Any) -> dict[str, Any]:
    values: dict[str, Any] = {f"{prefix}:p:{name}": float(getattr(scenario.params, name)) for name in ed.PARAMETERS}
    values[f"{prefix}:p:agents"] = bool(scenario.params.agents)
    values |= {f"{prefix}:p:{name}": bool(getattr(scenario.params, name)) for name in RULE_SWITCHES}
    for k, shock in enumerate(scenario.shocks):
        values |= {f"{prefix}:s{k}:on": True, f"{prefix}:s{k}:date": shock.date}
        values |= {
            f"{prefix}:s{k}:intensity": float(shock.intensity),
            f"{prefix}:s{k}:target": getattr(shock, "target", None),
        }
    return values


# ---------------------------------------------------------------------------------------------
# the sidebar: scenario, run, pairs, parameters
def cli_scenario() -> Path | None:
    """The SCENARIO given to ``alignsim dashboard`` (passed after ``--`` to streamlit run)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--scenario", type=Path)
    return parser.parse_known_args(sys.argv[1:])[0].scenario


def choices() -> dict[str, Any]:
    """Scenario label -> a path (shipped, or the one given on the command line) or an uploaded Scenario."""
    options: dict[str, Any] = {}
    given = cli_scenario()
    if given is not None:
        options[f"{given.stem} (command line)"] = given
    options.update(ed.shipped_scenarios())
    options.update(st.session_state.get(UPLOADED, {}))
    return options


def upload_box() -> None:
    """A scenario upload (with the world file it names, or a world alone); a broken upload shows
    alignsim validate's message and changes nothing else."""
    files = st.sidebar.file_uploader(
        "…or upload a scenario, a scenario with its world file, or a world built by `alignsim world build`",
        type=["yaml", "yml"],
        key="upload",
        accept_multiple_files=True,
    )
    if not files:
        return
    ids = tuple(file.file_id for file in files)
    if st.session_state.get("upload_seen") == ids:
        return  # read once: the files stay in the uploader through every rerun
    st.session_state["upload_seen"] = ids
    try:
        scenario = ed.load_uploads([(file.name, file.getvalue()) for file in files])
    except ed.UploadError as err:
        st.session_state["upload_error"] = str(err)
    else:
        st.session_state.pop("upload_error", None)
        uploads = st.session_state.setdefault(UPLOADED, {})
        label = f"{ed.shown(scenario.name, 60)} (uploaded)"
        uploads[label] = scenario
        st.session_state["choice"] = label  # show what was just uploaded
        st.session_state.pop("pairs", None)


def upload_error() -> None:
    """The last upload's refusal (it names the file, line and field), Markdown escaped: shown as written."""
    if "upload_error" in st.session_state:
        st.sidebar.error(ed.escaped(st.session_state["upload_error"], 2000).replace("\n", "  \n"))


def pick_scenario(where: Any) -> tuple[str, Any]:
    options = choices()
    given = cli_scenario()
    if given is not None:
        default = f"{given.stem} (command line)"  # `alignsim dashboard FILE` opens on FILE
    else:
        default = next((k for k in ("article_timeline_2024", "dzud_aid") if k in options), next(iter(options)))
    if st.session_state.get("choice") not in options:
        st.session_state["choice"] = default
    label = where.selectbox("Scenario", list(options), key="choice", on_change=_new_scenario)
    value = options[label]
    return label, value if not isinstance(value, Path) else load_shipped(value)


def _new_scenario() -> None:
    for key in ("pairs", "added", "t"):
        st.session_state.pop(key, None)


def load_shipped(path: Path) -> Any:
    cache = st.session_state.setdefault("loaded", {})
    if str(path) not in cache:
        cache[str(path)] = alignsim.load_scenario(path)
    return cache[str(path)]


def run_settings() -> tuple[int, int]:
    st.sidebar.subheader("Run")
    mode = st.sidebar.radio(
        "What to run",
        ["a single run", "a small ensemble"],
        key="mode",
        horizontal=True,
        help="One run is one draw of the noise; an ensemble repeats it and shows the median and the band that holds 90% of runs.",
    )
    replicates = 1
    if mode == "a small ensemble":
        replicates = st.sidebar.slider("Runs in the ensemble", 5, 200, 30, step=5, key="replicates")
    seed = int(
        st.sidebar.number_input(
            "Seed", min_value=0, value=2024, step=1, key="seed", help="The same seed gives the same run."
        )
    )
    return replicates, seed


def pair_picker(scenario: Any) -> list[str]:
    """2-4 directed pairs for the story, by their full names; the scenario's tracked pairs first."""
    names = {s.code: s.name for s in scenario.world_spec.states}
    ranked = sorted(scenario.world_spec.states, key=lambda s: (-s.capability, s.code))
    codes = [s.code for s in ranked[:PICKABLE_STATES]]  # a 193-state world: the most capable, not 37,000 pairs
    codes += [c for p in scenario.track for c in p.split("-") if c not in codes]
    options = [f"{a}-{b}" for a in codes for b in codes if a != b]
    default = [p for p in scenario.track if p in options][:MAX_PAIRS] or options[:2]
    if not st.session_state.get("pairs") or not set(st.session_state["pairs"]) <= set(options):
        st.session_state["pairs"] = default
    chosen = st.sidebar.multiselect(
        "Pairs to follow (2 to 4)",
        options,
        key="pairs",
        max_selections=MAX_PAIRS,
        format_func=lambda p: rh.pair_title(p, names),
        help="How the first state regards the second. The downloads track these pairs.",
    )
    return list(chosen) or default


def parameter_sliders(prefix: str, scenario: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    with st.sidebar.expander("Parameters", expanded=False):
        for name, (meaning, low, high, step) in ed.PARAMETERS.items():
            current = float(getattr(scenario.params, name))
            digits = max(0, -int(np.floor(np.log10(step))))
            values[name] = st.slider(
                name,
                min(low, current),
                max(high, current),
                current,
                step=step,
                format=f"%.{digits}f",
                key=f"{prefix}:p:{name}",
                help=meaning,
            )
        values["agents"] = st.checkbox(
            f"States react ({', '.join(rule_labels().values())})",
            bool(scenario.params.agents),
            key=f"{prefix}:p:agents",
            help="Off: only the scripted shocks and the dynamics move relations.",
        )
        for name, meaning in RULE_SWITCHES.items():
            values[name] = st.checkbox(
                meaning, bool(getattr(scenario.params, name)), key=f"{prefix}:p:{name}", help=HYPOTHESIS
            )
    return values


def reset_button(prefix: str, scenario: Any) -> None:
    """Reset to shipped: every widget of this scenario back to its shipped value (set in the
    button's callback, the one moment Streamlit lets a script set a widget), no added shock, month 0."""
    st.sidebar.button(
        "Reset to the scenario as shipped", key="reset", width="stretch", on_click=_reset, args=(prefix, scenario)
    )


def _reset(prefix: str, scenario: Any) -> None:
    shipped = _shipped_values(prefix, scenario)
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{prefix}:")]:
        if shipped.get(key) is not None:
            st.session_state[key] = shipped[key]
    st.session_state["added"] = []
    st.session_state["t"] = 0
    st.session_state["playing"] = False
    st.session_state["pairs"] = [p for p in scenario.track][:MAX_PAIRS] or st.session_state.get("pairs", [])


# ---------------------------------------------------------------------------------------------
# the editors
def shock_editor(prefix: str, scenario: Any) -> list[ed.ShockEdit]:
    """One row per scripted shock: on/off (off removes it), date, intensity, target."""
    if not scenario.shocks:
        st.caption("This scenario has no scripted shocks: only the agents' own decisions move the world.")
        return []
    first, last = scenario.start, scenario.date_of(scenario.steps - 1)
    last = last.replace(day=28) if last.day < 28 else last
    codes = [s.code for s in scenario.world_spec.states]
    widths = [3, 2, 2, 2, 4]
    for column, title in zip(st.columns(widths), ["on / off", "date", "intensity", "target", "what it encodes"]):
        column.markdown(f"**{title}**")
    edits = []
    for k, shock in enumerate(scenario.shocks):
        key = f"{prefix}:s{k}"
        on, when, strength, aim, note = st.columns(widths, vertical_alignment="center")
        enabled = on.checkbox(ed.escaped(ed.shock_label(shock), 80), True, key=f"{key}:on")
        date = None
        if shock.date is not None:
            date = when.date_input(
                "date",
                shock.date,
                min_value=first,
                max_value=last,
                key=f"{key}:date",
                disabled=not enabled,
                label_visibility="collapsed",
            )
        else:
            when.caption(f"step {shock.step}")
        intensity = strength.slider(
            "intensity",
            0.1,
            5.0,
            float(shock.intensity),
            0.1,
            key=f"{key}:intensity",
            disabled=not enabled,
            label_visibility="collapsed",
        )
        target = None
        if getattr(shock, "target", None) in codes:
            others = [c for c in codes if c != shock.source]
            target = aim.selectbox(
                "target", others, others.index(shock.target), key=f"{key}:target", disabled=not enabled,
                label_visibility="collapsed",
            )  # fmt: skip
        note.text(ed.shown(shock.note or "", 160))
        edits.append(ed.ShockEdit(enabled=enabled, date=date, intensity=intensity, target=target))
    return edits


def add_shock_form(scenario: Any) -> None:
    """Add a shock from the event catalogue, or shift a state's interest (an interest_shift shock)."""
    codes = [s.code for s in scenario.world_spec.states]
    names = {s.code: s.name for s in scenario.world_spec.states}
    catalogue = ed.shock_catalogue()
    first, last = scenario.start, scenario.date_of(scenario.steps - 1)
    left, right = st.columns(2)
    with left.form("add_shock", border=True):
        st.markdown("**Add a shock** from the event catalogue")
        kind = st.selectbox("event", list(catalogue), format_func=lambda k: f"{k}: {catalogue[k][:70]}")
        source = st.selectbox("by", codes, format_func=lambda c: names[c])
        target = st.selectbox("toward", codes, index=min(1, len(codes) - 1), format_func=lambda c: names[c])
        when = st.date_input("on", first, min_value=first, max_value=last)
        strength = st.slider("intensity", 0.1, 5.0, 1.0, 0.1)
        if st.form_submit_button("Add this shock"):
            _add({"type": kind, "source": source, "target": target, "date": when.isoformat(), "intensity": strength})
    dims = [d.id for d in scenario.world_spec.dimensions]
    with right.form("shift_interest", border=True):
        st.markdown("**Shift a state's interest** (moves what interests justify, X0)")
        state = st.selectbox("state", codes, format_func=lambda c: names[c])
        dimension = st.selectbox("interest", dims)
        delta = st.slider("change of position (−1 … +1 scale)", -1.0, 1.0, 0.3, 0.05)
        when = st.date_input("from", first, min_value=first, max_value=last, key="shift_date")
        if st.form_submit_button("Shift this interest"):
            _add(
                {
                    "type": "interest_shift",
                    "source": state,
                    "dimension": dimension,
                    "delta": delta,
                    "date": when.isoformat(),
                }
            )
    added = st.session_state.get("added", [])
    for k, shock in enumerate(added):
        cols = st.columns([8, 1])
        extra = f" {shock['dimension']} {shock['delta']:+g}" if shock["type"] == "interest_shift" else ""
        cols[0].text(
            f"added: {shock['type']} {shock['source']}{' → ' + shock['target'] if shock.get('target') else ''}{extra} on {shock['date']}"
        )
        if cols[1].button("remove", key=f"remove_added_{k}"):
            st.session_state["added"] = added[:k] + added[k + 1 :]
            st.rerun()


def _add(shock: dict[str, Any]) -> None:
    st.session_state["added"] = [*st.session_state.get("added", []), shock]


# ---------------------------------------------------------------------------------------------
# runs, cached per session
def cached_run(slot: str, scenario: Any, replicates: int, seed: int) -> tuple[Any, float]:
    """The run of ``scenario``, computed once per settings in this session (a download click or a
    tab switch reruns the script, but not the model)."""
    key = (ed.scenario_yaml(scenario), replicates, seed)
    held = st.session_state.get(slot)
    if held and held[0] == key:
        return held[1], held[2]
    started = time.perf_counter()
    result = alignsim.run(scenario, replicates=replicates, seed=seed, workers=1, progress=False)
    elapsed = time.perf_counter() - started
    st.session_state[slot] = (key, result, elapsed)
    return result, elapsed


def report_of(slot: str, result: Any, pairs: list[str]) -> rh.RunReport:
    """The run's chart data (the PNGs' and report.html's), computed once per result and pairs."""
    held = st.session_state.get(f"report:{slot}")
    if held is None or held[0] is not result or held[1] != pairs:
        st.session_state[f"report:{slot}"] = held = (result, pairs, cd.run_report(result, pairs))
    return held[2]  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# the views
def story(box: Any, report: rh.RunReport, shipped: rh.RunReport, pairs: list[str], edits: list[str]) -> None:
    with box:
        label = "edited" if edits else "as shipped (no edit yet)"
        variants = [("as shipped", shipped.pairs), (label, report.pairs)] if edits else [("as shipped", shipped.pairs)]
        key = (tuple(pairs), tuple(edits))
        held = st.session_state.get("story_fig")
        if (
            held is None or held[0] is not report or held[1] is not shipped or held[2] != key
        ):  # built once per run and pairs: a tab click or a download redraws it free
            figure = rh.story_figure(variants, report.names, pairs, height=500 if len(pairs) > 2 else 380)
            st.session_state["story_fig"] = held = (report, shipped, key, figure)
        st.plotly_chart(
            held[3],
            key="story",
            theme=None,
            config={"displaylogo": False},
        )
        band = (
            " Shaded: the middle 90% of runs; a band that widens late means some runs took another turn (a reaction in a few runs, listed under Reactions)."
            if report.is_ensemble
            else ""
        )
        st.caption(
            "How the first state regards the second (W, −1 hostile … +1 friendly); orange dashes: what their interests justify (X0). "
            f"Dotted: scripted shocks.{band}"
            + (
                f" Edits: {'; '.join(edits)}."
                if edits
                else " Edit a shock or a parameter to see its effect against the scenario as shipped."
            )
        )


def months(result: Any, report: rh.RunReport, prefix: str, scenario: Any) -> None:
    """Time that passes: Step / Play / Pause / Reset and the month scrubber, with the network and
    the relation matrix at month t (a fragment: moving in time reruns only this part)."""
    dates = [str(d)[:10] for d in result.relation_cube.dates]
    last = len(dates) - 1
    playing = bool(st.session_state.get("playing"))

    @st.fragment(run_every=0.8 if playing else None)
    def scrubber() -> None:
        if st.session_state.get("playing"):
            st.session_state["t"] = min(int(st.session_state.get("t", 0)) + 1, last)
            if st.session_state["t"] >= last:
                st.session_state["playing"] = False
        st.session_state["t"] = min(int(st.session_state.get("t", 0)), last)
        buttons = st.columns([1, 1, 1, 1, 8], vertical_alignment="bottom")
        buttons[0].button("Step", key="step", on_click=_step, args=(1, last), width="stretch")
        if buttons[1].button("Play", key="play", width="stretch"):
            st.session_state["playing"] = True
            st.rerun()
        if buttons[2].button("Pause", key="pause", width="stretch"):
            st.session_state["playing"] = False
            st.rerun()
        buttons[3].button("Reset", key="reset_t", on_click=_step, args=(None, last), width="stretch")
        t = buttons[4].slider("Month", 0, last, key="t", format=f"month %d of {last}")
        left, right = st.columns(2)
        network = cd.network_at(result, t, report.network.positions)
        left.plotly_chart(
            rh.network_figure(network, report.names, height=430, title=f"Alignment network on {dates[t][:7]}"),
            key="network_t",
            theme=None,
        )
        codes, matrix = cd.matrix_at(result, t)
        right.plotly_chart(
            rh.matrix_figure(codes, matrix, f"Relations on {dates[t][:7]} (row regards column)", height=430),
            key="matrix_t",
            theme=None,
        )
        save_to_url(prefix, scenario)  # a fragment's rerun: the month goes to the URL here

    scrubber()


def _step(by: int | None, last: int) -> None:
    st.session_state["t"] = 0 if by is None else min(int(st.session_state.get("t", 0)) + by, last)
    st.session_state["playing"] = False


def reactions(report: rh.RunReport) -> None:
    if report.is_ensemble:
        st.markdown("**How often each reaction happened** (share of runs; the cause as in the first run that shows it)")
        st.dataframe(report.reactions, hide_index=True, width="stretch")
    else:
        st.markdown("**Every agent reaction and its cause**")
        agent = report.events[report.events.origin == "agent"]
        st.dataframe(agent[["date", "source", "type", "target", "rule", "cause"]], hide_index=True, width="stretch")
    st.markdown("**Scripted shocks**")
    st.dataframe(report.shocks[["date", "source", "type", "target", "cause"]], hide_index=True, width="stretch")


def measures(report: rh.RunReport) -> None:
    """The researcher's measures, each with the one line that explains it."""
    with st.expander("Researcher measures (drift, polarization, triads, blocs)", expanded=False):
        for line in rh.MEASURES.values():
            st.markdown(f"- {line}")
        if not st.toggle("Draw the measures (drift, system measures, blocs, every tracked pair)", key="show_measures"):
            return  # drawn on demand: four charts would slow every click for a view most students never open
        st.plotly_chart(rh.measures_figure(report.measures), key="measures", theme=None)
        st.plotly_chart(rh.drift_figure(report.drift, report.names), key="drift", theme=None)
        st.plotly_chart(rh.blocs_figure(report.blocs), key="blocs", theme=None)
        st.plotly_chart(rh.pairs_figure(report.pairs, report.names), key="pairs_detail", theme=None)


def variants(
    scenario_label: str, changed: Any, pairs: list[str], replicates: int, seed: int, names: dict[str, str]
) -> None:
    """Save the edited scenario under a name; compare two saved variants side by side (same seeds)."""
    saved = st.session_state.setdefault("variants", {})
    cols = st.columns([3, 1], vertical_alignment="bottom")
    name = cols[0].text_input("Name of this variant", key="variant", max_chars=60, placeholder="e.g. no_aid")
    if cols[1].button("Save this variant", key="save_variant") and name.strip():
        saved[ed.safe_name(name)] = changed
    options = ["as shipped", *saved]
    if len(options) < 2:
        st.caption("Save a variant (or two) to compare it with the scenario as shipped or with another variant.")
        return
    a, b = st.columns(2)
    first = a.selectbox("Left", options, key="cmp_a")
    second = b.selectbox("Right", options, index=len(options) - 1, key="cmp_b")
    shipped = load_shipped(ed.shipped_scenarios()[scenario_label]) if scenario_label in ed.shipped_scenarios() else None
    runs = []
    for slot, label in (("cmp_left", first), ("cmp_right", second)):
        scenario = saved.get(label) or shipped or changed
        result, _ = cached_run(slot, scenario, replicates, seed)
        runs.append((label, report_of(slot, result, pairs).pairs))
    st.plotly_chart(rh.story_figure(runs, names, pairs, height=460), key="variants", theme=None)


def sweep(changed: Any, pairs: list[str], replicates: int, seed: int, names: dict[str, str]) -> None:
    """One parameter against one outcome: the tipping point, live."""
    cols = st.columns(4)
    name = cols[0].selectbox("Parameter", list(ed.PARAMETERS), key="sweep_param")
    _, low, high, _ = ed.PARAMETERS[name]
    span = cols[1].slider("From – to", float(low), float(high), (float(low), float(high)), key=f"sweep_span:{name}")
    points = cols[2].slider("Points", 3, 9, 5, key="sweep_points")
    outcomes = {f"W at the end: {rh.pair_title(p, names)}": p for p in pairs} | {
        "polarization at the end": "polarization"
    }
    outcome = cols[3].selectbox("Outcome", list(outcomes), key="sweep_outcome")
    if not st.button(f"Run the sweep ({points} points × {replicates} run{'s' * (replicates > 1)})", key="sweep_run"):
        held = st.session_state.get("sweep_fig")
        if held is not None:
            st.plotly_chart(held, key="sweep_chart", theme=None)
        return
    xs = np.linspace(span[0], span[1], points)
    rows = []
    for x in xs:
        scenario = ed.edited(changed, [ed.ShockEdit()] * len(changed.shocks), {name: float(x)})
        result = alignsim.run(scenario, replicates=replicates, seed=seed, workers=1, progress=False)
        rows.append(_outcome(result, outcomes[outcome]))
    low_, mid, high_ = np.array(rows).T
    fig = rh.line_figure(xs, mid, low_, high_, x_title=name, y_title=outcome, title=f"{outcome} against {name}")
    st.session_state["sweep_fig"] = fig
    st.plotly_chart(fig, key="sweep_chart", theme=None)


def _outcome(result: Any, what: str) -> tuple[float, float, float]:
    if what == "polarization":
        end = result.metrics[result.metrics.step == result.metrics.step.max()].polarization.to_numpy()
    else:
        s, t = what.split("-")
        end = result.relation_cube.series(s, t)[:, -1]
    lo, mid, hi = np.quantile(end, [0.05, 0.5, 0.95])
    return float(lo), float(mid), float(hi)


def downloads(result: Any, changed: Any, variant: str, replicates: int, edits: list[str]) -> None:
    """Both downloads hold their bytes (no deferred file a rerun could drop) and do not rerun the
    page (``on_click="ignore"``); one that cannot be made shows its error here. They carry the
    variant's name, the ensemble size and the list of edits."""
    name = ed.safe_name(variant)
    try:
        text = ed.download_yaml(changed, name, replicates, edits)
    except Exception as err:  # noqa: BLE001 -- shown on the page, not a traceback
        st.error(f"The scenario could not be written: {ed.shown(ed.error_text(err), 300)}")
    else:
        st.download_button(
            "Download the edited scenario (YAML)", text, file_name=f"{name}.yaml", mime="text/yaml",
            key="dl_yaml", on_click="ignore",
        )  # fmt: skip
    held = st.session_state.get("zip")
    if held is None or held[0] is not result or held[1] != name:
        if not st.button("Make the run folder (zip: tables, charts, report.html)", key="make_zip"):
            return
        try:
            st.session_state["zip"] = held = (result, name, ed.run_folder_zip(result, name))
        except Exception as err:  # noqa: BLE001 -- a folder that cannot be written is shown, not a traceback
            st.error(f"The run folder could not be made: {ed.shown(ed.error_text(err), 300)}")
            return
    st.download_button(
        "Download the run folder (zip: tables, charts, report.html)", held[2], file_name=f"{name}.zip",
        mime="application/zip", key="dl_zip", on_click="ignore",
    )  # fmt: skip
    st.caption(
        "Run the downloaded scenario at home with `alignsim run FILE.yaml`; the zip is what that command writes."
    )


# ---------------------------------------------------------------------------------------------
def main() -> None:
    st.set_page_config(page_title="alignsim dashboard", layout="wide")
    restore_from_url()
    st.markdown("<style>.block-container{padding-top:2.2rem;padding-bottom:1rem}</style>", unsafe_allow_html=True)
    st.sidebar.title("alignsim")
    chooser = st.sidebar.container()  # drawn above the upload box, filled after it (an upload selects itself)
    upload_box()
    upload_error()
    label, scenario = pick_scenario(chooser)
    replicates, seed = run_settings()
    pairs = pair_picker(scenario)
    prefix = f"{label}"
    params = parameter_sliders(prefix, scenario)
    reset_button(prefix, scenario)
    st.subheader(ed.escaped(scenario.name.replace("_", " "), 80))
    st.text(ed.shown(scenario.description, 240))
    story_box = st.container()
    status = st.empty()
    tabs = st.tabs(["Month by month", "Edit the scenario", "Reactions", "Compare variants", "Sweep", "Downloads"])
    with tabs[1]:
        st.caption(f"World: {ed.shown(scenario.world_spec.name, 80)}, {len(scenario.world_spec.states)} states.")
        edits = shock_editor(prefix, scenario)
        add_shock_form(scenario)
    added = st.session_state.get("added", [])
    try:
        changed = ed.edited(scenario, edits, params, added, pairs)
    except Exception as err:  # noqa: BLE001 -- an impossible edit is the user's to fix, not a crash
        st.error(ed.escaped(ed.error_text(err), 600))
        return
    edit_lines = ed.edit_list(scenario, edits, params, added)
    result, elapsed = cached_run("run", changed, replicates, seed)
    shipped, _ = cached_run("shipped", scenario, replicates, seed)
    report, shipped_report = report_of("run", result, pairs), report_of("shipped", shipped, pairs)
    story(story_box, report, shipped_report, pairs, edit_lines)
    what = f"{replicates} runs" if replicates > 1 else "one run"
    status.caption(f"Ran {what} of {scenario.steps} months in {elapsed:.2f} s.")
    with tabs[0]:
        months(result, report, prefix, scenario)
    with tabs[2]:
        reactions(report)
    with tabs[3]:
        variants(label, changed, pairs, replicates, seed, report.names)
    with tabs[4]:
        sweep(changed, pairs, replicates, seed, report.names)
    with tabs[5]:
        variant = st.session_state.get("variant") or f"{scenario.name}_edited"
        downloads(result, changed, variant if edit_lines else scenario.name, replicates, edit_lines)
    measures(report)
    save_to_url(prefix, scenario)


main()
