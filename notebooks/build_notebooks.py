"""Write the teaching notebooks (without outputs) from the cells below.

    .venv/bin/python notebooks/build_notebooks.py

Edit the cells here, not the .ipynb files, so that the notebooks stay reviewable as code and are
committed without outputs; tests/test_notebooks.py runs every notebook top to bottom.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def md(text: str) -> nbformat.NotebookNode:
    return new_markdown_cell(text.strip("\n"))


def code(text: str) -> nbformat.NotebookNode:
    return new_code_cell(text.strip("\n"))


SETUP = """
%matplotlib inline
import warnings

import numpy as np
import pandas as pd

# Mesa imports tqdm's notebook progress bar, which asks for ipywidgets; alignsim does not use it.
warnings.filterwarnings("ignore", message="IProgress not found")

import alignsim

pd.set_option("display.width", 160)
pd.set_option("display.max_colwidth", 120)
"""

# ============================================================================================
QUICKSTART = [
    md("""
# Quickstart: the article timeline

alignsim is an agent-based simulator of diplomatic alignment. Every state has **interests**
(positions on named dimensions such as the US alliance system or the socialist heritage), and every
pair of states has a **relation** `W[i, j]` between -1 (hostile) and +1 (friendly): how state *i*
regards state *j*. Relations are pulled toward what interests alone justify — the **interest
baseline** `X0` — pushed by structural balance ("the friend of my enemy…"), jolted by events, and
states react to each other's moves by simple rules (court, cool, counter-court, reciprocate).

In this notebook you will

1. run the flagship scenario, North Korea's post-pandemic diplomacy of 2023–24 as told by one news
   analysis (the Seoul–Havana recognition, Mongolia's dzud, Pyongyang's outreach to Ulaanbaatar);
2. read the **drift of old friends**: which friendships cooled, and whether interests explain it;
3. open the **event log** and see why each reaction happened;
4. check, with an ensemble of runs, how typical those reactions are.

Run the cells from top to bottom (*Run → Run All Cells*).
"""),
    code(SETUP),
    md("""
## 1. Run the scenario

A scenario is a YAML file: the world (states, interests, initial relations, formal ties), the
parameters, the start date, the number of monthly steps, the seed and the scripted shocks. Only the
exogenous events of the article are scripted; every reaction comes from the agents' rules.
"""),
    code("""
scenario = alignsim.load_scenario("../scenarios/article_timeline_2024.yaml")
print(scenario.description)
print(f"{scenario.steps} months from {scenario.start}, seed {scenario.seed}")
for shock in scenario.shocks:
    print(f"  {shock.date}  {shock.type:18} {shock.source} -> {shock.target or '-'}")
"""),
    code("""
result = alignsim.run(scenario)
result
"""),
    md("""
The result holds three tidy tables (pandas DataFrames) — `relations` (one row per month and
directed pair: `weight` is W, `baseline` is X0), `events` and `metrics` — each with a `replicate`
column (0 for a single run).
"""),
    code("""
result.relations.head()
"""),
    md("""
## 2. The tracked pairs

Each panel shows how the first state regards the second (thick line, red when they started as
friends), the reverse view (grey), and what interests justify (orange dashes). Dotted vertical lines
are the scripted shocks; markers are the agents' reactions within the pair.
"""),
    code("""
result.plot_pairs()
"""),
    md("""
## 3. The drift of old friends

*Old friends* are the pairs that started at or above the friendship threshold (0.3). For each we
compare the **drift** (W at the end minus W at the start) with the **interest pull** (X0 at the end
minus W at the start): where relations would have gone on interests alone. When the two agree, the
friendship changed because interests told it to; when they differ, events and balance did the work.
"""),
    code("""
from alignsim.results.chart_data import drift_data

drift = drift_data(result)
friends = drift[drift.old_friend].copy()
friends["explained_by_interests"] = (friends.drift - friends.interest_pull).abs() < 0.1
friends[["source", "target", "start", "end", "baseline_end", "drift", "interest_pull", "explained_by_interests"]].round(2)
"""),
    code("""
cooled = friends[friends.drift < -0.1]
print("Old friends who drifted apart:")
for r in cooled.itertuples():
    print(f"  {r.source} -> {r.target}: {r.start:+.2f} -> {r.end:+.2f}; interests justify {r.baseline_end:+.2f}")
print(f"\\n{friends.explained_by_interests.mean():.0%} of the old friendships ended within 0.1 of where interests alone would have taken them.")
"""),
    md("""
Mongolia's socialist-era friendships with Russia, China and North Korea cool — not because of any
quarrel in the scenario, but because what Mongolia and those states want (on democracy, on
non-proliferation, on diversifying partners) no longer matches; the relations relax toward that
baseline. The chart shows the same thing for every pair: bars are the drift, the orange ticks the
interest pull.
"""),
    code("""
result.plot_drift()
"""),
    md("""
## 4. The event log: why each reaction happened

Every event carries its **origin** (`scenario` for a scripted shock, `agent` for a reaction), the
**rule** that fired and its **cause** in words: the numbers the agent looked at.
"""),
    code("""
log = result.events[["date", "source", "type", "target", "origin", "rule", "cause"]]
log
"""),
    code("""
for e in result.agent_events().itertuples():
    print(f"{e.date}  {e.source} {e.type} -> {e.target}   [{e.rule}]")
    print(f"            because: {e.cause}\\n")
"""),
    md("""
Read the chain: South Korea recognises Cuba (scripted) → North Korea, loyal and hostile to Seoul,
**cools** toward its friend Cuba (media freeze) → having lost a partner it **courts** states whose
relations lie below what interests justify, and the weakest link of its adversaries' coalition
(Japan, through Mongolia's channel) → the courted states **reciprocate** in proportion to their own
interests → South Korea **counter-courts** Mongolia with dzud aid. None of this is scripted.
"""),
    md("""
## 5. How typical is this run?

One run is one draw of the noise and of the order in which states decide. An **ensemble** repeats
the run with seeds spawned from the scenario's seed; the charts then show the median and the band
that holds 90% of the runs (5–95%), and the event table says in how many runs each reaction
happened.
"""),
    code("""
ensemble = alignsim.run(scenario, replicates=40)
ensemble.reaction_frequencies().head(10)
"""),
    code("""
ensemble.plot_pairs(["PRK-CUB", "PRK-MNG", "PRK-JPN", "KOR-MNG"], runs=10)
"""),
    code("""
freq = ensemble.reaction_frequencies().set_index(["source", "rule", "target"]).share
for e in result.agent_events().itertuples():
    print(f"{e.source} {e.rule:13} -> {e.target}: in this run, and in {freq.get((e.source, e.rule, e.target), 0.0):4.0%} of the 40 runs")
"""),
    md("""
Some reactions happen in every run: they follow from the scripted shocks whatever the noise. Others
happen only in some runs: they depend on a threshold being crossed that month — for a state to
court another, the gap between their relation and what interests justify must reach
`court_gap` (0.05), and the noise decides whether it does. A single run can tell a story that the
ensemble does not back; an ensemble tells you how robust the story is.

## 6. Save and load

A run folder holds the tables (CSV, and Parquet for ensembles when pyarrow is installed), the
charts, the resolved scenario and a manifest (versions, seed, sha256). It is written whole or not at
all, and `alignsim.load` reads it back.
"""),
    code("""
import tempfile
from pathlib import Path

folder = result.save(Path(tempfile.mkdtemp()) / "article_timeline_2024")
print(sorted(p.name for p in folder.iterdir()))
again = alignsim.load(folder)
print(again, "-", len(again.relations), "relation rows,", len(again.agent_events()), "agent reactions")
"""),
    md("""
Next: `02_compare_scenarios.ipynb` compares scenarios as ensembles, and
`03_only_interests_endure.ipynb` is a lesson on the thesis behind the model.
"""),
]

# ============================================================================================
COMPARE = [
    md("""
# Comparing scenarios: recognition, disaster aid, both

Two events of early 2024 touched North Korea's small circle of friends:

* **14 February** — South Korea and Cuba establish diplomatic relations (agreed at the UN in New York);
* **March** — during Mongolia's worst dzud in 30 years, South Korea sends USD 200,000 of emergency aid.

What did each change, what did both together change, and how sure can we be? We run four
scenarios as **ensembles** — the same model many times with different random draws — and compare
them with **common random numbers**: replicate *k* of every scenario uses the same seed, so the
difference between two scenarios is measured run by run and the noise they share cancels.
"""),
    code(SETUP),
    md("""
## 1. The four scenarios

Three are files in `scenarios/`; the fourth puts the shocks of the recognition and the aid scenarios
together.
"""),
    code("""
from alignsim.config.scenario import Scenario

baseline = alignsim.load_scenario("../scenarios/baseline_2024.yaml")
recognition = alignsim.load_scenario("../scenarios/seoul_havana_recognition.yaml")
aid = alignsim.load_scenario("../scenarios/dzud_aid.yaml")

both = Scenario.model_validate({
    **aid.resolved(),
    "name": "recognition_and_aid",
    "description": "The Seoul-Havana recognition and the dzud aid together.",
    "shocks": recognition.resolved()["shocks"] + aid.resolved()["shocks"],
    "track": list(dict.fromkeys(recognition.track + aid.track)),
})
for s in (baseline, recognition, aid, both):
    print(f"{s.name:26} {len(s.shocks)} shocks: {', '.join(sh.type for sh in s.shocks) or '-'}")
"""),
    md("""
## 2. Run them as ensembles

`REPLICATES` runs per scenario; the replicates run in parallel on all cores. 40 keeps this notebook
under a minute; use a few hundred for a report.
"""),
    code("""
REPLICATES = 40

cmp = alignsim.compare(baseline, recognition, aid, both, replicates=REPLICATES, at=["2024-06"])
cmp
"""),
    md("""
## 3. Outcomes and differences

For every tracked pair, at the end and in June 2024: the mean relation, the interval that holds 90%
of runs, and — the important column — the **difference from the baseline**, taken run by run, with
its own interval. An effect whose interval excludes 0 is there in (almost) every run.
"""),
    code("""
columns = ["when", "pair", "scenario", "mean", "p5", "p95", "diff_mean", "diff_p5", "diff_p95", "p_sign_change"]
table = cmp.outcomes[columns].round(3)
table[table.pair.isin(["KOR-CUB", "PRK-CUB", "KOR-MNG", "MNG-KOR"])]
"""),
    code("""
cmp.plot_differences(date="2024-06-01")
"""),
    code("""
cmp.plot_differences()
"""),
    md("""
Three months after the events, the recognition has warmed Seoul toward Havana and cooled Pyongyang
toward Havana; the aid has warmed Seoul and Ulaanbaatar toward each other. By the end of 2026 most
of those effects have shrunk back toward zero: goodwill that does not change interests fades.
What remains of the recognition is the formal tie — diplomatic relations are part of what interests
justify (the baseline), so that part endures.

Each pair's chart shows the scenarios' bands (left) and the run-by-run differences from the
baseline with their bands (right):
"""),
    code("""
cmp.plot_pair("KOR-MNG")
"""),
    code("""
cmp.plot_pair("PRK-CUB")
"""),
    code("""
cmp.plot_pair("KOR-CUB")
"""),
    md("""
## 4. How often did each reaction happen?

The agents' reactions are not scripted, so they happen in some runs and not in others. The share
of runs in which each happened at least once:
"""),
    code("""
from alignsim.experiments.comparison import reactions_wide

reactions_wide(cmp.reactions, cmp.names).head(15).round(2)
"""),
    code("""
cmp.plot_reactions()
"""),
    code("""
def share(scenario: str, source: str, rule: str, target: str) -> float:
    r = cmp.reactions
    hit = r[(r.scenario == scenario) & (r.source == source) & (r.rule == rule) & (r.target == target)]
    return float(hit.share.sum())

for name in cmp.names:
    print(f"{name:26} North Korea cools on Cuba in {share(name, 'PRK', 'cool', 'CUB'):4.0%} of runs, "
          f"courts Mongolia in {share(name, 'PRK', 'court', 'MNG'):4.0%}, "
          f"South Korea counter-courts Mongolia in {share(name, 'KOR', 'counter_court', 'MNG'):4.0%}")
"""),
    md("""
## 5. Do the two events add up?

If the recognition and the aid acted independently, the effect of both would be the sum of the two
effects. With common random numbers we can check this run by run: the **interaction** is
(both − baseline) − (recognition − baseline) − (aid − baseline).
"""),
    code("""
rows = []
for pair in ["KOR-CUB", "PRK-CUB", "KOR-MNG", "MNG-KOR", "PRK-MNG"]:
    a, b = pair.split("-")
    d_rec = cmp.difference(a, b, "seoul_havana_recognition")
    d_aid = cmp.difference(a, b, "dzud_aid")
    d_both = cmp.difference(a, b, "recognition_and_aid")
    interaction = (d_both - d_rec - d_aid).loc["2024-06-01"]
    rows.append({"pair": pair, "both − baseline": d_both.loc["2024-06-01"].mean(),
                 "sum of the two effects": (d_rec + d_aid).loc["2024-06-01"].mean(),
                 "interaction (mean)": interaction.mean(),
                 "interaction 5%": interaction.quantile(0.05), "interaction 95%": interaction.quantile(0.95)})
pd.DataFrame(rows).round(3)
"""),
    md("""
Where the interaction's 5–95% interval contains zero, the effect of both events is just the sum of
the two: the recognition plays out around Havana and Pyongyang, the aid around Ulaanbaatar and
Seoul, and they hardly touch.

## 6. Blocs

The blocs at the end of each run (the sign pattern of the leading eigenvector of W, each bloc named
after its most capable member), and how often each partition occurs:
"""),
    code("""
cmp.blocs
"""),
    md("""
## 7. What a reader should conclude

The cell below states the conclusions with this run's numbers.
"""),
    code("""
end = cmp.outcomes[cmp.outcomes.when == "end"].set_index(["pair", "scenario"])
june = cmp.outcomes[cmp.outcomes.when == "2024-06"].set_index(["pair", "scenario"])

def effect(table, pair, scenario):
    \"\"\"The paired difference from the baseline, and whether (almost) every run agrees on its sign.\"\"\"
    r = table.loc[(pair, scenario)]
    verdict = "up in 95% of runs or more" if r.diff_p5 > 0 else "down in 95% of runs or more" if r.diff_p95 < 0 else "not distinguishable from no change"
    return f"{r.diff_mean:+.2f} [{r.diff_p5:+.2f}, {r.diff_p95:+.2f}] ({verdict})"

def robustness(x):
    return "a robust outcome" if x >= 0.9 else "a fragile outcome" if x >= 0.1 else "a rare outcome"

print("1. Recognition, Seoul toward Havana (KOR->CUB): June 2024", effect(june, "KOR-CUB", "seoul_havana_recognition"),
      "| end", effect(end, "KOR-CUB", "seoul_havana_recognition"))
print("2. Recognition, Pyongyang toward Havana (PRK->CUB): June 2024", effect(june, "PRK-CUB", "seoul_havana_recognition"),
      "| end", effect(end, "PRK-CUB", "seoul_havana_recognition"),
      f"| Pyongyang cools on Havana in {share('seoul_havana_recognition', 'PRK', 'cool', 'CUB'):.0%} of runs")
print("3. Aid, Seoul toward Ulaanbaatar (KOR->MNG): June 2024", effect(june, "KOR-MNG", "dzud_aid"), "| end", effect(end, "KOR-MNG", "dzud_aid"))
x = share("recognition_and_aid", "PRK", "court", "MNG")
print(f"4. Pyongyang courting Ulaanbaatar after both events: {x:.0%} of runs, {robustness(x)}.")
top = cmp.blocs.sort_values("share", ascending=False).drop_duplicates("scenario").set_index("scenario")
same = top.blocs.nunique() == 1
print("5. Blocs at the end:", "the same in every scenario," if same else "they differ:",
      "; ".join(f"{n}: {top.loc[n, 'blocs']} in {top.loc[n, 'share']:.0%} of runs" for n in cmp.names) if not same
      else f"{top.blocs.iloc[0]}, in " + ("every run." if top.share.min() == 1 else f"at least {top.share.min():.0%} of the runs of each scenario."))
"""),
    md("""
In words: events move relations, and an ensemble shows by how much and how reliably. The moves
that are not backed by interests — goodwill bought with aid, a loyal ally's sulk — fade with a
half-life of a few months, while what changes the interest baseline (a new formal tie, diplomatic
relations between Seoul and Havana) stays. Neither event redraws the blocs of Northeast Asia.
Reactions that need a threshold to be crossed that month (Pyongyang's approach to Ulaanbaatar) are
fragile: a single run that shows them tells a story the ensemble may not back. Read every number
here as a property of the model and of the world file's coding, not as a forecast.

The command line does the same comparison and writes a folder with every table and chart:

```sh
alignsim compare scenarios/baseline_2024.yaml scenarios/seoul_havana_recognition.yaml scenarios/dzud_aid.yaml --replicates 200
```
"""),
]

# ============================================================================================
LESSON = [
    md("""
# Only interests endure — a lesson in four experiments

> "We have no eternal allies, and we have no perpetual enemies. Our interests are eternal and
> perpetual, and those interests it is our duty to follow."
> — Lord Palmerston, House of Commons, 1 March 1848

**The thesis.** Friendships and hostilities between states change; only national interests endure.
A gesture of goodwill — a state visit, a gift of aid — warms a relation for a while, but the
relation drifts back to what the two states' interests justify. When interests change, relations
follow them, and old friends drift apart.

**The model.** How state *i* regards state *j* is a number `W[i, j]` between -1 and +1. What their
interests (and formal ties) alone justify is the **interest baseline** `X0[i, j]`. Each month

    dW/dt = -beta (W - X0)  +  L tanh(alpha B(W) / L)  +  impulses  +  noise

* `-beta (W - X0)` pulls every relation back to its baseline: **interests endure**;
* `B(W)` is structural balance (I cool toward those who like my enemies), with strength `alpha`;
* impulses are events (a visit, aid, a recognition); noise is everything else.

**Plan.** Three experiments test the thesis; a fourth looks for where it fails. Exercises at the end
ask you to change one cell and predict the result before you run it.

Run the cells from top to bottom. The whole notebook takes well under a minute.
"""),
    code(SETUP + """
from alignsim.config.scenario import Scenario, parse_scenario
from alignsim.world.spec import WorldState, interest_baseline
from alignsim.measures.analytics import alpha_critical
from matplotlib.figure import Figure

CODES = ["PRK", "KOR", "JPN", "USA", "CHN", "RUS", "CUB", "MNG"]   # the states of the article world


def random_start(seed: int) -> list[dict]:
    \"\"\"Random initial relations for every pair of states, both directions, uniform in [-1, 1].\"\"\"
    rng = np.random.default_rng(seed)
    return [{"source": a, "target": b, "weight": float(rng.uniform(-1, 1)), "reverse": float(rng.uniform(-1, 1))}
            for n, a in enumerate(CODES) for b in CODES[n + 1:]]


def world_scenario(*, steps: int, params: dict | None = None, relations: list | None = None, shocks: list | None = None,
                   name: str = "lesson") -> Scenario:
    \"\"\"The article world with the given parameters, initial relations and shocks.\"\"\"
    world = "korea_2024" if relations is None else {"base": "korea_2024", "relations": relations}
    return Scenario.model_validate({"name": name, "world": world, "start": "2024-01-01", "steps": steps,
                                    "params": params or {}, "shocks": shocks or []})


def gap_to_interests(result) -> pd.Series:
    \"\"\"Mean |W - X0| over all directed pairs, per month: how far relations are from what interests justify.\"\"\"
    r = result.relations
    return (r.weight - r.baseline).abs().groupby(r.step).mean()
"""),
    md("""
## The knobs

The mechanisms are easiest to see with the agents' own reactions switched off and no noise, so the
first experiments use `QUIET`. `BETA` is the restoring rate (per month) and `ALPHA` the strength of
structural balance; the article world's defaults are 0.1 and 0.003.
"""),
    code("""
BETA = 0.1      # restoring rate toward the interest baseline, per month
ALPHA = 0.003   # strength of structural balance
QUIET = {"agents": False, "noise": 0.0, "beta": BETA, "alpha": ALPHA}
"""),
    md("""
## Experiment 1 — Random friendships all converge to the alignment interests determine

We give the eight states **random** initial relations — twelve different worlds in which anyone may
be anyone's friend — and let ten years pass with no events at all.
"""),
    code("""
STARTS = 12     # how many random starting worlds
YEARS = 10

runs = [alignsim.run(world_scenario(steps=12 * YEARS, params=QUIET, relations=random_start(seed)), progress=False)
        for seed in range(STARTS)]
"""),
    code("""
fig = Figure(figsize=(11, 3.8), layout="constrained")
left, right = fig.subplots(1, 2)
for r in runs:
    gap = gap_to_interests(r)
    left.plot(gap.index / 12, gap.values, color="#1f4e79", alpha=0.6)
left.set_xlabel("years"); left.set_ylabel("mean |W − X0|"); left.set_yscale("log")
left.set_title("Distance from what interests justify, 12 random starts", fontsize=10)
for r in runs:
    series = r.relation("MNG", "RUS")
    right.plot(np.arange(len(series)) / 12, series.values, color="#c0392b", alpha=0.6)
right.axhline(runs[0].relations.query("source == 'MNG' and target == 'RUS'").baseline.iloc[-1], color="#e67e22", ls="--", label="interest baseline X0")
right.set_xlabel("years"); right.set_ylabel("W"); right.set_ylim(-1.05, 1.05); right.legend()
right.set_title("How Mongolia regards Russia, 12 random starts", fontsize=10)
fig
"""),
    code("""
finals = [r.relation_cube.values["weight"][0, -1] for r in runs]
starts = [r.relation_cube.values["weight"][0, 0] for r in runs]
spread_start = max(np.abs(s - starts[0]).max() for s in starts)
spread_end = max(np.abs(f - finals[0]).max() for f in finals)
blocs = {str(r.metrics.filter(like="bloc_").iloc[-1].filter(regex="^bloc_").to_dict()) for r in runs}
print(f"Largest difference between two starting worlds: {spread_start:.2f}")
print(f"Largest difference between two final worlds:    {spread_end:.1e}")
print(f"Distinct bloc patterns at the end: {len(blocs)}")
print(f"Distance from X0 at the end: {gap_to_interests(runs[0]).iloc[-1]:.3f} (balance keeps it a little off X0)")
"""),
    md("""
**Result.** Whatever the starting friendships, the world ends in the same place, a few hundredths
from the interest baseline (structural balance adds a small, systematic push). History is
forgotten: the alignment is determined by interests.

## Experiment 2 — Goodwill without interests fades, with a measurable half-life

In March 2024 South Korea's president visits Beijing and brings an economic package — pure goodwill:
no interest changes. We run the world with and without these gestures (same seed, no noise) and
follow the **excess** of Seoul's regard for Beijing over the run without them.
"""),
    code("""
GOODWILL = [
    {"type": "visit", "date": "2024-03-01", "source": "KOR", "target": "CHN", "level": "head_of_state"},
    {"type": "aid", "date": "2024-03-01", "source": "KOR", "target": "CHN", "kind": "economic"},
]
BETAS = [BETA / 2, BETA, 2 * BETA]   # restoring rates to compare


def goodwill_excess(beta: float) -> pd.Series:
    params = {**QUIET, "beta": beta}
    with_gift = alignsim.run(world_scenario(steps=48, params=params, shocks=GOODWILL), progress=False)
    without = alignsim.run(world_scenario(steps=48, params=params), progress=False)
    return with_gift.relation("KOR", "CHN") - without.relation("KOR", "CHN")


def half_life(excess: pd.Series) -> float:
    \"\"\"Months from the peak until the excess has halved (log-linear interpolation); NaN if it never does.\"\"\"
    e = excess.to_numpy()
    peak = int(np.argmax(e))
    k = next((k for k in range(peak + 1, len(e)) if e[k] <= e[peak] / 2), None)
    if k is None:
        return float("nan")
    return (k - 1 - peak) + np.log(e[k - 1] / (e[peak] / 2)) / np.log(e[k - 1] / e[k])


excesses = {beta: goodwill_excess(beta) for beta in BETAS}
pd.DataFrame({
    "beta": BETAS,
    "measured half-life (months)": [half_life(excesses[b]) for b in BETAS],
    "ln 2 / beta": [np.log(2) / b for b in BETAS],
    "ln 2 / -ln(1 - beta)  (monthly steps)": [np.log(2) / -np.log(1 - b) for b in BETAS],
    "excess left after 3 years": [excesses[b].iloc[-12] for b in BETAS],
}).round(3)
"""),
    code("""
fig = Figure(figsize=(7, 3.6), layout="constrained")
ax = fig.add_subplot()
for beta, e in excesses.items():
    ax.plot(pd.to_datetime(e.index), e.values, label=f"beta = {beta}: half-life {half_life(e):.1f} months")
ax.axhline(0, color="0.5", lw=0.6)
ax.set_ylabel("excess of W(KOR → CHN)"); ax.legend(); ax.set_title("Goodwill from a state visit and aid fades", fontsize=10)
fig
"""),
    md("""
**Result.** The warmth bought by the visit decays geometrically. Its half-life matches the theory:
`ln 2 / beta` in continuous time (6.9 months at `beta = 0.1`), or `ln 2 / -ln(1 - beta)` for the
model's monthly steps (6.6 months). Goodwill is real, but it is a loan, not a gift: nothing in the
interests changed, so the relation returns to where it was.

## Experiment 3 — An interest shift redraws the alignments, and old friends drift

Now the opposite: no gesture at all, but a change of **interests**. Suppose (hypothetically) that a
new government in Ulaanbaatar turns toward its two neighbours: it comes to oppose the US alliance
system in East Asia, gives up its "third neighbour" diversification and moves away from liberal
democracy. This time the agents react and there is noise: a realistic ensemble of runs.
"""),
    code("""
SHIFT_STATE = "MNG"
SHIFT = [   # hypothetical, April 2024
    {"type": "interest_shift", "date": "2024-04-01", "source": SHIFT_STATE, "dimension": "us_alliance", "position": -0.6, "salience": 1.0},
    {"type": "interest_shift", "date": "2024-04-01", "source": SHIFT_STATE, "dimension": "partner_diversification", "position": -0.6},
    {"type": "interest_shift", "date": "2024-04-01", "source": SHIFT_STATE, "dimension": "political_system", "position": -0.2},
]
REALISTIC = {"beta": BETA, "alpha": ALPHA}   # agents on, noise on

# the same 30 seeds with and without the shift (common random numbers), run in one go
experiment = alignsim.compare(world_scenario(steps=48, params=REALISTIC, name="unchanged"),
                              world_scenario(steps=48, params=REALISTIC, shocks=SHIFT, name="shifted"), replicates=30)
unchanged, shifted = experiment.runs["unchanged"], experiment.runs["shifted"]
"""),
    code("""
end = shifted.metrics[shifted.metrics.step == shifted.metrics.step.max()]
before = unchanged.metrics[unchanged.metrics.step == unchanged.metrics.step.max()]
print(f"{SHIFT_STATE}'s bloc at the end without the shift: {before[f'bloc_{SHIFT_STATE}'].value_counts(normalize=True).round(2).to_dict()}")
print(f"{SHIFT_STATE}'s bloc at the end with the shift:    {end[f'bloc_{SHIFT_STATE}'].value_counts(normalize=True).round(2).to_dict()}")

rows = []
for other in [c for c in CODES if c != SHIFT_STATE]:
    band = shifted.band(SHIFT_STATE, other)
    base_end = np.median(shifted.relation_cube.series(SHIFT_STATE, other, "baseline")[:, -1])
    rows.append({"pair": f"{SHIFT_STATE} → {other}", "other": other, "start": band["mean"].iloc[0], "end (median)": band["median"].iloc[-1],
                 "5%": band.p5.iloc[-1], "95%": band.p95.iloc[-1], "new interest baseline": base_end,
                 "old friends": band["mean"].iloc[0] >= 0.3})
moves = pd.DataFrame(rows).assign(change=lambda t: t["end (median)"] - t.start)
friends = moves[moves["old friends"]]
WATCH = friends.nsmallest(1, "change").other.iloc[0] if len(friends) else moves.nsmallest(1, "change").other.iloc[0]
print(f"The old friendship that cooled most (or warmed least): {SHIFT_STATE} → {WATCH}")
moves.drop(columns="other").round(2)
"""),
    code("""
largest = moves.assign(size=moves.change.abs()).nlargest(4, "size").other   # the four relations that moved most
shifted.plot_pairs([f"{SHIFT_STATE}-{other}" for other in largest], runs=8)
"""),
    md("""
**Result.** Mongolia changes bloc in every run. Its old friends in Seoul, Tokyo and Washington
drift away and its relations with Moscow and Beijing warm — and, unlike the goodwill of experiment
2, the new relations **stay**: they settle on the new interest baseline. The agents' reactions and
the noise make the path wobble, but not the destination.

So far the thesis holds. Now look for where it fails.

## Experiment 4 — Where the thesis fails

### 4a. Near the tipping point

Structural balance feeds on itself: friends of friends become friends, enemies of friends enemies.
In the unsaturated model a peaceful equilibrium near `X0` exists only while
`alpha < alpha_c = beta / (4 λ1(X0))` (Morrison, Kutz & Gabbay 2023), λ1 being the leading
eigenvalue of the baseline. Above it the system tips into polarized "systemic war". We raise
`alpha` and measure, from random starts, how far relations settle from what interests justify.
"""),
    code("""
x0 = interest_baseline(WorldState.from_spec(world_scenario(steps=1).world_spec), world_scenario(steps=1, params=QUIET).params)
a_c = alpha_critical(x0, BETA)
print(f"alpha_c = beta / (4 λ1(X0)) = {a_c:.4f}; the default alpha = {ALPHA} is {ALPHA / a_c:.2f} of it")

ALPHAS = [round(f * a_c, 5) for f in (0.2, 0.5, 0.8, 1.2, 1.6, 2.4, 3.2)]   # in units of the tipping point
sweep = []
for alpha in ALPHAS:
    for seed in range(3):
        r = alignsim.run(world_scenario(steps=150, params={**QUIET, "alpha": alpha}, relations=random_start(seed)), progress=False)
        last = r.relations[r.relations.step == r.relations.step.max()]
        sweep.append({"alpha": alpha, "alpha / alpha_c": alpha / a_c, "seed": seed, "gap to X0 at the end": gap_to_interests(r).iloc[-1],
                      "share of relations at ±1": (last.weight.abs() > 0.95).mean(),
                      "share interests put at ±1": (last.baseline.abs() > 0.95).mean()})
sweep = pd.DataFrame(sweep)
sweep.groupby("alpha")[["alpha / alpha_c", "gap to X0 at the end", "share of relations at ±1", "share interests put at ±1"]].mean().round(3)
"""),
    code("""
fig = Figure(figsize=(11, 3.6), layout="constrained")
left, right = fig.subplots(1, 2)
left.scatter(sweep["alpha / alpha_c"], sweep["gap to X0 at the end"], color="#1f4e79")
left.set_ylabel("mean |W − X0| at the end")
left.set_title("Distance from what interests justify", fontsize=10)
right.scatter(sweep["alpha / alpha_c"], sweep["share of relations at ±1"], color="#c0392b", label="relations W")
right.plot(sweep["alpha / alpha_c"], sweep["share interests put at ±1"], color="#e67e22", ls="--", label="interest baseline X0")
right.set_ylabel("share of pairs with |W| > 0.95"); right.legend()
right.set_title("Relations driven to the extremes", fontsize=10)
for ax in (left, right):
    ax.axvline(1.0, color="0.3", ls=":", label="tipping point")
    ax.set_xlabel("alpha / alpha_c")
fig
"""),
    md("""
Well below the tipping point the world settles within a few hundredths of the baseline. As `alpha`
approaches and passes `alpha_c` the gap grows fast, and relations are driven to the extremes —
allies become perfect allies and rivals perfect enemies: at two to three times `alpha_c` most or all
relations sit at ±1, although interests put only one pair in seven there. (Relations are bounded
and the balance force saturates, so the gap grows steeply rather than jumping.) The thesis assumes
that the restoring force wins; near and past the tipping point, balance dynamics win instead.

### 4b. Balance locks blocs in

Far past the tipping point, history matters again. From different random starts the world no
longer ends in one place; and the same interest shift that moved Mongolia in every run of
experiment 3 now moves it only in some.
"""),
    code("""
LOCK_ALPHA = 0.05   # far past the tipping point

locked = [alignsim.run(world_scenario(steps=150, params={**QUIET, "alpha": LOCK_ALPHA}, relations=random_start(seed)), progress=False)
          for seed in range(STARTS)]
patterns = pd.Series([" / ".join(f"{c}:{r.metrics[f'bloc_{c}'].iloc[-1]}" for c in CODES) for r in locked])
n = patterns.nunique()
print(f"alpha = {LOCK_ALPHA} ({LOCK_ALPHA / a_c:.1f} x alpha_c): {n} distinct end state{'s' if n > 1 else ''} from {STARTS} random starts")
patterns.value_counts().to_frame("random starts")
"""),
    code("""
shifted_locked = alignsim.run(world_scenario(steps=48, params={**REALISTIC, "alpha": LOCK_ALPHA}, shocks=SHIFT, name="shifted_locked"), replicates=30)
last = shifted_locked.metrics[shifted_locked.metrics.step == shifted_locked.metrics.step.max()]
moved = (last[f"bloc_{SHIFT_STATE}"] != "USA").mean()
print(f"With alpha = {LOCK_ALPHA}, {SHIFT_STATE} ends outside the US bloc in {moved:.0%} of runs (with alpha = {ALPHA}: "
      f"{(end[f'bloc_{SHIFT_STATE}'] != 'USA').mean():.0%}).")
band = shifted_locked.band(SHIFT_STATE, WATCH)
print(f"{SHIFT_STATE} → {WATCH} at the end: median {band['median'].iloc[-1]:+.2f}, 5–95% [{band.p5.iloc[-1]:+.2f}, {band.p95.iloc[-1]:+.2f}] "
      f"(interests justify about {np.median(shifted_locked.relation_cube.series(SHIFT_STATE, WATCH, 'baseline')[:, -1]):+.2f})")
"""),
    md("""
**Result.** When balance is strong, blocs lock in: where the world ends depends on where it began,
and a change of interests becomes a coin toss — the noise of the first months decides which camp
Mongolia ends in, and its relations overshoot to ±1 instead of settling on the new baseline.

## What we learned

| claim | evidence in this notebook | holds when |
|---|---|---|
| Relations converge to what interests justify, whatever the starting friendships | Exp. 1: 12 random worlds, one end state | balance is weak (`alpha` below `alpha_c`) |
| Goodwill without interests fades | Exp. 2: half-life `ln 2 / beta`, ≈ 6.6–6.9 months at `beta = 0.1` | always, at rate `beta` |
| Interest shifts redraw alignments; old friends drift | Exp. 3: Mongolia changes bloc in every run | balance is weak |
| History and balance can beat interests | Exp. 4: past the tipping point relations polarize and blocs lock in | `alpha` near or above `alpha_c` |

Palmerston's maxim is a statement about a world in which states can afford to follow their
interests. In a polarized world — close to the tipping point — alignments feed on themselves, and
friendships and hostilities can outlast the interests that made them.

## Exercises

Each exercise changes **one cell**; then run that cell and the cells below it (*Run → Run Selected
Cell and All Below*). Write down your prediction first.

1. **Faster forgetting.** In the knobs cell set `BETA = 0.3`. Predict the goodwill half-life of
   experiment 2 before you run it. Does experiment 1 still converge? Does the tipping point
   `alpha_c` move, and in which direction?
2. **A different shift.** In the `SHIFT` cell make South Korea the shifting state
   (`SHIFT_STATE = "KOR"`) and give it a neutral stance on the US alliance (`position: 0.0`,
   delete the other two shifts). Which of its old friendships drift? Does it change bloc?
3. **Goodwill that is not only goodwill.** In the `GOODWILL` cell add a formal agreement,
   `{"type": "agreement", "action": "sign", "domain": "trade", "date": "2024-03-01", "source": "KOR", "target": "CHN"}`,
   and rerun experiment 2. Does the excess still fade to zero? Why not? (Hint: formal ties enter `X0`.)
4. **Find the lock-in.** In the `LOCK_ALPHA` cell try 0.01, 0.02 and 0.03. From which `alpha` do
   random starts stop agreeing? How does that compare with `alpha_c`?
5. **Another kind of balance.** In the knobs cell add `"balance_kernel": "marvel"` to `QUIET`
   (B = W², "I take my friends' view of you" instead of "I cool toward those who like my
   enemies"). Do the conclusions of experiments 1 and 4 change?
6. **How many runs?** In experiment 3 change `replicates=30` to `replicates=5` and to
   `replicates=100`. Which numbers in the table move, and which conclusions would you not trust
   with five runs?
"""),
]


def build(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    return nb


NOTEBOOKS = {
    "01_quickstart.ipynb": QUICKSTART,
    "02_compare_scenarios.ipynb": COMPARE,
    "03_only_interests_endure.ipynb": LESSON,
}


def main() -> None:
    for name, cells in NOTEBOOKS.items():
        nb = build(cells)
        for k, cell in enumerate(nb.cells):  # stable ids, so that rebuilding changes nothing
            cell["id"] = f"{Path(name).stem[:2]}-{k:02d}"
        nbformat.validate(nb)
        nbformat.write(nb, HERE / name)
        print(f"wrote {HERE / name} ({len(cells)} cells)")


if __name__ == "__main__":
    main()
