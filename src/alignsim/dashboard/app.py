"""The classroom dashboard, a Streamlit script: ``alignsim dashboard [SCENARIO]`` runs it.

Streamlit reruns this script top to bottom on every click; everything a browser tab changes lives
in ``st.session_state`` (its own for each session), never in module globals, so two students on
one server never see each other's edits.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

import alignsim
from alignsim.dashboard import editing as ed
from alignsim.results import chart_data as cd
from alignsim.viz import report_html as rh

UPLOADED = "uploaded"  # session_state key: name -> Scenario accepted from an upload


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
    label = where.selectbox("Scenario", list(options), key="choice")
    value = options[label]
    return label, value if not isinstance(value, Path) else load_shipped(value)


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


def parameter_sliders(prefix: str, scenario: Any) -> dict[str, Any]:
    st.sidebar.subheader("Parameters")
    values: dict[str, Any] = {}
    for name, (meaning, low, high, step) in ed.PARAMETERS.items():
        current = float(getattr(scenario.params, name))
        digits = max(0, -int(np.floor(np.log10(step))))
        values[name] = st.sidebar.slider(
            name,
            min(low, current),
            max(high, current),
            current,
            step=step,
            format=f"%.{digits}f",
            key=f"{prefix}:p:{name}",
        )
        st.sidebar.caption(meaning)
    values["agents"] = st.sidebar.checkbox(
        "States react (court, cool, counter-court, answer)",
        bool(scenario.params.agents),
        key=f"{prefix}:p:agents",
        help="Off: only the scripted shocks and the dynamics move relations.",
    )
    return values


def world_panel(scenario: Any) -> None:
    world = scenario.resolved()["world"]
    with st.expander(
        f"The world: {ed.escaped(world.get('name', ''), 80)}, {len(world['states'])} states", expanded=False
    ):
        st.text(ed.shown(world.get("description", "")))
        rows = [
            {
                "code": s["code"],
                "name": s["name"],
                "capability": s["capability"],
                "loyalty": s.get("loyalty"),
                "need": s.get("need"),
            }
            for s in world["states"]
        ]
        st.dataframe(rows, hide_index=True, width="stretch")


def shock_editor(prefix: str, scenario: Any) -> list[ed.ShockEdit]:
    """One row per scripted shock: on/off, date (within the run), intensity."""
    st.subheader("Scripted shocks")
    if not scenario.shocks:
        st.caption("This scenario has no scripted shocks: only the agents' own decisions move the world.")
    first, last = scenario.start, scenario.date_of(scenario.steps - 1)
    last = last.replace(day=28) if last.day < 28 else last
    edits = []
    if scenario.shocks:
        for column, title in zip(st.columns([3, 2, 2, 5]), ["on / off", "date", "intensity", "what it encodes"]):
            column.markdown(f"**{title}**")
    for k, shock in enumerate(scenario.shocks):
        key = f"{prefix}:s{k}"
        on, when, strength, note = st.columns([3, 2, 2, 5], vertical_alignment="center")  # the header's widths
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
        note.text(ed.shown(shock.note or "", 300))
        edits.append(ed.ShockEdit(enabled=enabled, date=date, intensity=intensity))
    return edits


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


def report_of(result: Any) -> rh.RunReport:
    """The run's chart data (the PNGs' and report.html's), computed once per result in this session."""
    held = st.session_state.get("report")
    if held is None or held[0] is not result:
        st.session_state["report"] = held = (result, cd.run_report(result))
    return held[1]  # type: ignore[no-any-return]


def results_tabs(result: Any, shipped: Any, scenario_name: str, edited_yaml: str) -> None:
    report = report_of(result)
    pairs = list(dict.fromkeys(report.pairs.series.pair))
    tabs = st.tabs(
        [
            "Tracked pairs",
            "Network and blocs",
            "Drift and measures",
            "Event log",
            "Compared with the scenario as shipped",
            "Downloads",
        ]
    )
    with tabs[0]:
        st.plotly_chart(
            rh.pairs_figure(report.pairs, report.names), key="pairs", theme=None, config={"displaylogo": False}
        )
        st.caption(
            "Solid: how the first state regards the second. Dashed: what their interests justify (X0). Markers: events between them; hover for the cause."
        )
    with tabs[1]:
        left, right = st.columns(2)
        left.plotly_chart(rh.network_figure(report.network, report.names, height=460), key="network", theme=None)
        right.plotly_chart(rh.blocs_figure(report.blocs, height=460), key="blocs", theme=None)
    with tabs[2]:
        st.plotly_chart(rh.drift_figure(report.drift, report.names), key="drift", theme=None)
        st.plotly_chart(rh.measures_figure(report.measures), key="measures", theme=None)
    with tabs[3]:
        event_log(result)
    with tabs[4]:
        comparison(result, shipped, pairs)
    with tabs[5]:
        downloads(result, scenario_name, edited_yaml)


def downloads(result: Any, scenario_name: str, edited_yaml: str) -> None:
    """Both downloads hold their bytes (no deferred file a rerun could drop) and do not rerun the
    page (``on_click="ignore"``); one that cannot be made shows its error here."""
    st.download_button(
        "Download the edited scenario (YAML)",
        edited_yaml,
        file_name=f"{ed.safe_name(scenario_name)}.yaml",
        mime="text/yaml",
        key="dl_yaml",
        on_click="ignore",
    )
    held = st.session_state.get("zip")
    if held is None or held[0] is not result:
        if not st.button("Make the run folder (zip: tables, charts, report.html)", key="make_zip"):
            return
        try:
            st.session_state["zip"] = held = (result, ed.run_folder_zip(result))
        except Exception as err:  # noqa: BLE001 -- a folder that cannot be written is shown, not a traceback
            st.error(f"The run folder could not be made: {ed.shown(ed.error_text(err), 300)}")
            return
    st.download_button(
        "Download the run folder (zip: tables, charts, report.html)",
        held[1],
        file_name=f"{ed.safe_name(scenario_name)}.zip",
        mime="application/zip",
        key="dl_zip",
        on_click="ignore",
    )
    st.caption(
        "Run the downloaded scenario at home with `alignsim run FILE.yaml`; the zip is what that command writes."
    )


def event_log(result: Any) -> None:
    if result.is_ensemble:
        st.markdown("**How often each reaction happened** (share of runs)")
        st.dataframe(result.reaction_frequencies(), hide_index=True, width="stretch")
        st.markdown("**The first run's event log**")
        events = result.events[result.events.replicate == 0]
    else:
        events = result.events
    columns = ["date", "source", "type", "target", "origin", "rule", "cause"]
    st.dataframe(
        events[columns],
        hide_index=True,
        width="stretch",
        column_config={"cause": st.column_config.TextColumn("cause", width="large")},
    )


def comparison(result: Any, shipped: Any, pairs: list[str]) -> None:
    differences = ed.paired_differences(result, shipped, pairs)
    if not differences[["median", "p5", "p95"]].abs().to_numpy().any():
        st.info("No edit yet: the scenario is as shipped. Switch a shock off or move a slider to see its effect.")
    st.plotly_chart(rh.differences_figure(differences, "as shipped"), key="differences", theme=None)
    summary = ed.end_summary(result, shipped, differences)
    st.dataframe(
        summary.style.format(
            {c: "{:+.3f}" for c in ["as shipped", "edited", "difference", "5%", "95%"]}
            | {"share of runs higher": "{:.0%}"}
        ),
        hide_index=True,
        width="stretch",
    )
    if not result.is_ensemble:
        st.caption("One run each: the band needs an ensemble. Choose 'a small ensemble' in the sidebar.")


def main() -> None:
    st.set_page_config(page_title="alignsim dashboard", layout="wide")
    st.sidebar.title("alignsim")
    chooser = st.sidebar.container()  # drawn above the upload box, filled after it (an upload selects itself)
    upload_box()
    upload_error()
    label, scenario = pick_scenario(chooser)
    replicates, seed = run_settings()
    prefix = f"{label}"
    params = parameter_sliders(prefix, scenario)
    st.title(ed.escaped(scenario.name.replace("_", " "), 80))
    st.text(ed.shown(scenario.description))
    world_panel(scenario)
    edits = shock_editor(prefix, scenario)
    try:
        changed = ed.edited(scenario, edits, params)
    except Exception as err:  # noqa: BLE001 -- an impossible edit is the user's to fix, not a crash
        st.error(ed.error_text(err))
        return
    result, elapsed = cached_run("run", changed, replicates, seed)
    shipped, _ = cached_run("shipped", scenario, replicates, seed)
    what = f"{replicates} runs" if replicates > 1 else "one run"
    st.caption(f"Ran {what} of {scenario.steps} months in {elapsed:.2f} s.")
    results_tabs(result, shipped, scenario.name, ed.scenario_yaml(changed))


main()
