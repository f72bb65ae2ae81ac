"""In a real browser: the dashboard's server (started as ``alignsim dashboard`` starts it) driven
by Debian's Chromium through Playwright, and report.html opened with the network blocked.

Locally the tests skip when /usr/bin/chromium (or Playwright) is missing; in CI (``CI`` set, as
.ci/run does after installing Chromium) they fail instead. On a failure every open page is saved
as a PNG under a temporary folder whose path is printed.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import FLAGSHIP, SCENARIOS, alignsim_cli

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DZUD = SCENARIOS / "dzud_aid.yaml"
REPO_WORLDS = SCENARIOS.parent / "src" / "alignsim" / "data" / "worlds"
AID = "aid KOR → MNG"
TIMEOUT_MS = 60_000  # generous: two cores shared with other jobs
SCREENSHOTS = Path(tempfile.gettempdir()) / "alignsim-dashboard-screenshots"  # printed by the tests that take them


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests (.ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install 'alignsim[browser]')")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's world: its working folder (cwd/), its temporary folder (tmp/, its TMPDIR) and
    the test's own files beside them; nothing the server does may write outside tmp/."""
    root = tmp_path_factory.mktemp("sandbox")
    for folder in ("cwd", "tmp", "outside"):
        (root / folder).mkdir()
    return root


@pytest.fixture(scope="module")
def server(sandbox: Path) -> Iterator[str]:
    """The dashboard on a free port, opened on the dzud-aid scenario, as ``alignsim dashboard`` starts it."""
    pytest.importorskip("streamlit")
    from alignsim.dashboard.launch import start

    port, log = _free_port(), sandbox / "outside" / "streamlit.log"
    with log.open("wb") as out:
        process = start(
            DZUD,
            port=port,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=sandbox / "cwd",
            extra_env={"TMPDIR": str(sandbox / "tmp")},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the dashboard server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the dashboard server did not answer within 90 s:\n{log.read_text()}")


@contextmanager
def screenshots_on_failure(name: str, pages: list[Any]) -> Iterator[None]:
    try:
        yield
    except BaseException:
        folder = Path(tempfile.mkdtemp(prefix=f"alignsim-browser-{name}-"))
        for k, page in enumerate(pages):
            try:
                page.screenshot(path=str(folder / f"page{k}.png"), full_page=True)
            except Exception as err:  # noqa: BLE001 -- a dead page must not hide the real failure
                print(f"could not screenshot page {k}: {err}", file=sys.stderr)
        print(f"\nscreenshots of the failure: {folder}", file=sys.stderr)
        raise


# ---------------------------------------------------------------------------------------------
# reading the page
TRACE_Y = """(name) => {
    for (const plot of document.querySelectorAll('.js-plotly-plot'))
        for (const trace of (plot.data || []))
            if (trace.meta === name) return Array.from(trace.y);
    return null;
}"""


STORY = """(name) => {  // the story chart's last variant of a pair: 'edited' once edited, else 'as shipped'
    let found = null;
    for (const plot of document.querySelectorAll('.js-plotly-plot'))
        for (const trace of (plot.data || []))
            if (typeof trace.meta === 'string' && trace.meta.endsWith(': ' + name)) found = Array.from(trace.y);
    return found;
}"""


def open_dashboard(browser: Any, url: str, width: int = 1440) -> Any:
    page = browser.new_context(viewport={"width": width, "height": 1000}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.wait_for_function(f"({TRACE_Y})('as shipped: KOR→MNG') !== null")
    return page


def kor_mng(page: Any) -> list[float]:
    return page.evaluate(STORY, "KOR→MNG")  # type: ignore[no-any-return]


def edit_tab(page: Any) -> None:
    page.get_by_role("tab", name="Edit the scenario").click()


def untick_aid(page: Any) -> float:
    """Switch the aid shock off; seconds until the KOR→MNG chart shows the new run."""
    edit_tab(page)
    before = kor_mng(page)
    started = time.perf_counter()
    page.get_by_text(AID, exact=True).click()
    page.wait_for_function(f"(old) => JSON.stringify(({STORY})('KOR→MNG')) !== JSON.stringify(old)", arg=before)
    return time.perf_counter() - started


def aid_checkbox(page: Any) -> Any:
    return page.get_by_role("checkbox", name=AID)


# ---------------------------------------------------------------------------------------------
def test_unticking_the_aid_shock_changes_the_kor_mng_chart(browser: Any, server: str) -> None:
    page = open_dashboard(browser, server)
    with screenshots_on_failure("untick", [page]):
        assert page.locator("[data-testid=stSelectbox] input").first.input_value() == "dzud_aid (command line)"
        edit_tab(page)
        assert aid_checkbox(page).is_checked()
        with_aid = kor_mng(page)
        latency = untick_aid(page)
        without = kor_mng(page)
        print(
            f"\nclick-to-chart latency, a single run (untick the aid to new KOR→MNG chart): {latency:.2f} s; "
            f"{page.get_by_text('Ran one run').inner_text()}"
        )
        assert not aid_checkbox(page).is_checked()
        # Without Seoul's aid (March 2024), Seoul's regard for Ulaanbaatar stays lower afterwards.
        aid_step = 2  # the scenario starts in January 2024
        assert max(a - b for a, b in zip(with_aid[aid_step + 1 :], without[aid_step + 1 :])) > 0.05
        assert with_aid[:aid_step] == without[:aid_step]  # the past before the aid is unchanged
        assert latency < 30  # generous: it is printed, not timed
        # the story shows both: the scenario as shipped and as edited, and names the edit
        assert page.evaluate(TRACE_Y, "as shipped: KOR→MNG") == with_aid
        assert page.get_by_text("removed: aid KOR → MNG").count() >= 1
        idle(page)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.get_by_role("tab", name="Month by month").click()
        page.mouse.move(0, 0)
        page.screenshot(path=str(SCREENSHOTS / "month_view_after_an_edit.png"))
        print(
            f"the month view after an edit (network and matrix at month t): {SCREENSHOTS / 'month_view_after_an_edit.png'}"
        )


def test_a_broken_upload_shows_the_validate_message_and_the_app_keeps_working(
    browser: Any, server: str, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "steps: 12\nshocks:\n  - type: visit\n    step: 1\n    source: PRK\n    target: XXX\n", encoding="utf-8"
    )
    validate = alignsim_cli("validate", broken.name, cwd=tmp_path)
    expected = validate.stderr.strip()
    assert validate.returncode == 2 and expected.startswith("error: broken.yaml:6")
    page = open_dashboard(browser, server)
    with screenshots_on_failure("upload", [page]):
        page.locator("input[type=file]").set_input_files(str(broken))
        alert = page.get_by_role("alert").filter(has_text="broken.yaml")
        alert.wait_for()
        assert " ".join(alert.inner_text().split()) == " ".join(expected.split())
        # The app keeps working: the scenario it had is still there and still reruns.
        untick_aid(page)
        assert not aid_checkbox(page).is_checked()


def test_two_sessions_do_not_share_state(browser: Any, server: str) -> None:
    first, second = open_dashboard(browser, server), open_dashboard(browser, server)
    with screenshots_on_failure("sessions", [first, second]):
        shipped = kor_mng(second)
        untick_aid(first)
        assert not aid_checkbox(first).is_checked()
        second.get_by_role("tab", name="Reactions").click()
        edit_tab(second)
        assert aid_checkbox(second).is_checked()
        assert kor_mng(second) == shipped != kor_mng(first)
        third = open_dashboard(browser, server)  # a new session starts from the scenario as shipped
        pages = [first, second, third]
        with screenshots_on_failure("sessions-new", pages):
            edit_tab(third)
            assert aid_checkbox(third).is_checked() and kor_mng(third) == shipped


# ---------------------------------------------------------------------------------------------
# report.html, offline
POINT_OF = """([plotIndex, traceIndex, pointIndex]) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[plotIndex];
    const trace = gd._fullData.find(t => t.index === traceIndex);
    const xa = gd._fullLayout[trace.xaxis.replace('x', 'xaxis')], ya = gd._fullLayout[trace.yaxis.replace('y', 'yaxis')];
    const box = gd.getBoundingClientRect();
    return [box.left + xa._offset + xa.l2p(xa.d2c(trace.x[pointIndex])), box.top + ya._offset + ya.l2p(ya.d2c(trace.y[pointIndex]))];
}"""


def open_offline(browser: Any, report: Path) -> tuple[Any, list[str]]:
    """report.html with every non-file request aborted; the list of requests that tried."""
    page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    tried: list[str] = []

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            tried.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    page.goto(report.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length > 0")
    return page, tried


def hover_text(page: Any, plot: int, trace: int, point: int) -> str:
    x, y = page.evaluate(POINT_OF, [plot, trace, point])
    page.mouse.move(x + 2, y + 2)  # on the marker, off its centre: the line's own point under it is 2 px away
    label = page.locator(".hoverlayer .hovertext").first
    label.wait_for()
    return str(label.text_content())


def test_report_renders_offline_and_a_hover_shows_a_cause(browser: Any, tmp_path: Path) -> None:
    import alignsim

    result = alignsim.run(FLAGSHIP, progress=False, cool_on=True, court_on=True)  # cool: off by default
    folder = result.save(tmp_path / "article")
    page, tried = open_offline(browser, folder / "report.html")
    with screenshots_on_failure("report", [page]):
        assert page.locator(".js-plotly-plot").count() == 5
        assert page.locator(".js-plotly-plot .main-svg").count() >= 5  # every chart drew
        trace, point = page.evaluate(
            """() => { const data = document.querySelector('.js-plotly-plot')._fullData;
                for (const t of data) if (t.meta === 'events PRK–CUB') {
                    const k = t.text.findIndex(x => x.includes('media_freeze')); if (k >= 0) return [t.index, k]; }
                return null; }"""
        )
        label = hover_text(page, 0, trace, point)
        assert "PRK media_freeze → CUB" in label and "cause: CUB (friend" in label and "acted warmly with KOR" in label
        assert tried == [], f"the report tried to reach the network: {tried}"


# ---------------------------------------------------------------------------------------------
# hostile uploads: nothing written or opened outside the server's temporary folder
ANSWER_MS = 5_000  # the page answers a hostile upload within 5 s (the bound), or the test fails
HOSTILE_NAMES = ["../x/escape", "..", "a/b/../../../escape", "/tmp/alignsim-hostile-escape"]


def files_outside_tmp(sandbox: Path) -> set[Path]:
    return {p for p in sandbox.rglob("*") if (sandbox / "tmp") not in p.parents and p.name != "streamlit.log"}


def upload(page: Any, *files: Path) -> float:
    """Upload the files; seconds until the page shows the scenario or the refusal."""
    started = time.perf_counter()
    page.locator("input[type=file]").set_input_files([str(f) for f in files])
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid=stAlert], h1')].some(e =>
            /uploaded|not a file on the server|error:/.test(e.innerText) || e.tagName === 'H1' && !/dzud/.test(e.innerText))""",
        timeout=ANSWER_MS,
    )
    return time.perf_counter() - started


IDLE = """() => !document.querySelector(
    '[data-testid=stStatusWidgetRunningIcon], [data-testid=stStatusWidgetRunningManIcon], [data-stale=true]')"""


def idle(page: Any) -> None:
    """Wait until the script's run has finished (Streamlit's running indicator is gone)."""
    page.wait_for_timeout(300)  # the indicator appears a moment after the click that starts a run
    page.wait_for_function(IDLE)
    page.wait_for_timeout(100)
    page.wait_for_function(IDLE)


def healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as answer:
        return bool(answer.status == 200)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_writes_nothing_outside_the_temporary_folder(
    browser: Any, server: str, sandbox: Path, name: str
) -> None:
    hostile = sandbox / "outside" / "hostile.yaml"
    hostile.write_text(f"name: {name!r}\nworld: korea_2024\nsteps: 3\n", encoding="utf-8")
    before = files_outside_tmp(sandbox)
    page = open_dashboard(browser, server)
    with screenshots_on_failure("hostile-name", [page]):
        seconds = upload(page, hostile)
        idle(page)
        page.get_by_role("tab", name="Downloads").click()
        page.get_by_role("button", name="Make the run folder (zip: tables, charts, report.html)").click()
        idle(page)
        with page.expect_download() as caught:
            page.get_by_role("button", name="Download the run folder (zip: tables, charts, report.html)").click()
        zipped = caught.value.path()
        assert zipped is not None and Path(zipped).stat().st_size > 1000
        assert "/" not in caught.value.suggested_filename and ".." not in caught.value.suggested_filename
        with page.expect_download() as caught:
            page.get_by_role("button", name="Download the edited scenario (YAML)").click()
        assert ".." not in caught.value.suggested_filename
        print(f"\nhostile name {name!r}: the page answered in {seconds:.2f} s")
    assert files_outside_tmp(sandbox) == before
    assert not Path("/tmp/alignsim-hostile-escape").exists() and not Path("/tmp/escape").exists()
    assert healthy(server)


@pytest.mark.parametrize(
    "world", ["/etc/passwd", "/proc/self/environ", "{outside}/world.yaml", "../outside/world.yaml"]
)
def test_an_uploaded_scenario_cannot_name_a_file_on_the_server(
    browser: Any, server: str, sandbox: Path, world: str
) -> None:
    """Refused before opening: even a valid world file on the server (which loading would accept) is refused."""
    (sandbox / "outside" / "world.yaml").write_bytes((REPO_WORLDS / "korea_2024.yaml").read_bytes())
    scenario = sandbox / "outside" / "points_out.yaml"
    scenario.write_text(f"name: points_out\nworld: {world.format(outside=sandbox / 'outside')}\nsteps: 3\n")
    for base in (False, True):
        if base:  # the same through a base world with overrides
            scenario.write_text(
                f"name: points_out\nworld:\n  base: {world.format(outside=sandbox / 'outside')}\nsteps: 3\n"
            )
        page = open_dashboard(browser, server)
        with screenshots_on_failure("hostile-world", [page]):
            seconds = upload(page, scenario)
            alert = page.get_by_role("alert").filter(has_text="not a file on the server")
            alert.wait_for(timeout=ANSWER_MS)
            text = alert.inner_text()
            assert "points_out.yaml:2" in text or "points_out.yaml:3" in text
            assert "root:" not in text and "PATH=" not in text  # nothing of the file leaks
            print(f"\nworld {world!r} (base: {base}): refused in {seconds:.2f} s")
    assert healthy(server)


def test_a_world_uploaded_with_its_scenario_is_used(browser: Any, server: str, sandbox: Path) -> None:
    world = sandbox / "outside" / "my_world.yaml"
    world.write_bytes((REPO_WORLDS / "korea_2019_data.yaml").read_bytes())
    scenario = sandbox / "outside" / "on_my_world.yaml"
    scenario.write_text("name: on_my_world\nworld: my_world.yaml\nstart: 2020-01-01\nsteps: 6\ntrack: [PRK-KOR]\n")
    page = open_dashboard(browser, server)
    with screenshots_on_failure("world-upload", [page]):
        upload(page, world, scenario)
        page.get_by_role("heading", name="on my world").wait_for()
        assert page.get_by_text("korea_2019_data").count() >= 1


def test_a_five_megabyte_description_is_cut_and_the_page_answers(browser: Any, server: str, sandbox: Path) -> None:
    big = sandbox / "outside" / "big.yaml"
    big.write_text('name: big\ndescription: "' + "[a](http://x) **b** " * 245_000 + '"\nsteps: 3\n', encoding="utf-8")
    assert big.stat().st_size > 4.8e6
    page = open_dashboard(browser, server)
    with screenshots_on_failure("big", [page]):
        seconds = upload(page, big)
        page.get_by_role("heading", name="big").wait_for(timeout=ANSWER_MS)
        shown = page.get_by_text("more characters not shown").inner_text()
        assert len(shown) < 2_000 and "[a](http://x)" in shown  # plain text, not Markdown
        assert page.locator("a[href='http://x']").count() == 0
        print(f"\n4.9 MB description: the page answered in {seconds:.2f} s")
    assert healthy(server)


# ---------------------------------------------------------------------------------------------
# the story first, time that passes, the configuration in the URL, editing in the browser
VISIBLE_STORY = """() => { const plot = [...document.querySelectorAll('.js-plotly-plot')].find(p =>
        (p.data || []).some(t => typeof t.meta === 'string' && t.meta.startsWith('as shipped: ')));
    if (!plot) return null;
    const box = plot.getBoundingClientRect();
    const titles = [...plot.querySelectorAll('.annotation-text')].map(e => {
        const r = e.getBoundingClientRect();
        return [e.textContent, r.left >= box.left - 1 && r.right <= box.right + 1]; });
    return {top: box.top, bottom: box.bottom, titles: titles, scroll: window.scrollY}; }"""


def month_shown(page: Any) -> str:
    return str(
        page.evaluate("""() => { for (const p of document.querySelectorAll('.js-plotly-plot')) {
        const t = (p.layout.title && p.layout.title.text) || ''; if (t.startsWith('Alignment network on')) return t; }
        return ''; }""")
    )


def test_the_story_shows_first_without_scrolling(browser: Any, server: str) -> None:
    page = open_dashboard(browser, server)
    with screenshots_on_failure("story", [page]):
        idle(page)
        seen = page.evaluate(VISIBLE_STORY)
        SCREENSHOTS.mkdir(exist_ok=True)
        shot = SCREENSHOTS / "landing_1440x1000.png"
        page.screenshot(path=str(shot))
        print(f"\nthe landing view at 1440x1000: {shot}")
        assert seen["scroll"] == 0 and seen["top"] >= 0 and seen["bottom"] <= 1000  # all of it in the first view
        titles = [text for text, _ in seen["titles"]]
        assert "South Korea → Mongolia" in titles and "Mongolia → South Korea" in titles  # full names, not codes
        assert all(inside for _, inside in seen["titles"])  # no title cut at the chart's edges
        assert 2 <= len(titles) <= 4


def test_months_step_play_pause_reset_and_scrubber_latency(browser: Any, server: str) -> None:
    page = open_dashboard(browser, server)
    with screenshots_on_failure("months", [page]):
        idle(page)
        assert month_shown(page).endswith("2024-01")
        started = time.perf_counter()
        page.get_by_role("button", name="Step", exact=True).click()
        page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')].some(p =>
            ((p.layout.title && p.layout.title.text) || '') === 'Alignment network on 2024-02')""")
        step = time.perf_counter() - started
        slider = page.locator("[data-testid=stSlider]").filter(has_text="Month").get_by_role("slider")
        slider.focus()
        started = time.perf_counter()
        slider.press("ArrowRight")
        page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')].some(p =>
            ((p.layout.title && p.layout.title.text) || '') === 'Alignment network on 2024-03')""")
        scrub = time.perf_counter() - started
        print(
            f"\ntime-scrubber latency (Step to the network at month 1): {step:.2f} s; (scrubber to month 2): {scrub:.2f} s"
        )
        page.get_by_role("button", name="Play", exact=True).click()
        page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')].some(p =>
            /Alignment network on 2024-0[5-9]|2024-1/.test((p.layout.title && p.layout.title.text) || ''))""")
        page.get_by_role("button", name="Pause", exact=True).click()
        idle(page)
        paused = month_shown(page)
        page.wait_for_timeout(2000)
        assert month_shown(page) == paused  # paused: the months stand still
        page.get_by_role("button", name="Reset", exact=True).click()
        page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')].some(p =>
            ((p.layout.title && p.layout.title.text) || '') === 'Alignment network on 2024-01')""")


def test_a_refresh_or_a_shared_link_restores_the_edits(browser: Any, server: str) -> None:
    page = open_dashboard(browser, server)
    with screenshots_on_failure("url", [page]):
        untick_aid(page)
        idle(page)
        page.get_by_role("tab", name="Month by month").click()
        page.get_by_role("button", name="Step", exact=True).click()
        idle(page)
        edited = kor_mng(page)
        link = page.url
        assert "?s=" in link
        page.reload()
        page.wait_for_function(f"({TRACE_Y})('edited: KOR→MNG') !== null")
        edit_tab(page)
        assert not aid_checkbox(page).is_checked() and kor_mng(page) == edited
        other = open_dashboard(browser, link)  # a shared link, in a new session
        edit_tab(other)
        assert not aid_checkbox(other).is_checked() and month_shown(other).endswith("2024-02")
        other.get_by_role("button", name="Reset to the scenario as shipped").click()
        other.wait_for_function(f"({TRACE_Y})('edited: KOR→MNG') === null")
        idle(other)
        edit_tab(other)
        assert aid_checkbox(other).is_checked()


def test_an_ensemble_of_30_runs_and_its_click_to_chart_latency(browser: Any, server: str) -> None:
    page = open_dashboard(browser, server)
    with screenshots_on_failure("ensemble", [page]):
        page.get_by_text("a small ensemble").click()
        page.wait_for_function("() => document.body.innerText.includes('Ran 30 runs')")
        idle(page)
        latency = untick_aid(page)
        print(f"\nclick-to-chart latency, a 30-run ensemble (untick the aid to new KOR→MNG chart): {latency:.2f} s")
        idle(page)
        page.get_by_role("tab", name="Downloads").click()
        with page.expect_download() as caught:
            page.get_by_role("button", name="Download the edited scenario (YAML)").click()
        text = Path(str(caught.value.path())).read_text(encoding="utf-8")
        assert "replicates: 30" in text and "#   - removed: aid KOR → MNG" in text


def test_add_a_shock_compare_variants_and_sweep(browser: Any, server: str) -> None:
    page = open_dashboard(browser, server)
    with screenshots_on_failure("edit", [page]):
        edit_tab(page)
        form = page.locator("[data-testid=stForm]").filter(has_text="Add a shock")
        form.get_by_role("button", name="Add this shock").click()
        page.get_by_text("added: recognition").wait_for()
        idle(page)
        page.get_by_role("tab", name="Compare variants").click()
        page.get_by_label("Name of this variant").fill("with_recognition")
        page.get_by_label("Name of this variant").press("Enter")
        idle(page)
        page.get_by_role("button", name="Save this variant").click()
        page.wait_for_function(f"({TRACE_Y})('with_recognition: KOR→MNG') !== null")
        page.get_by_role("tab", name="Sweep").click()
        page.get_by_role("button", name=re.compile("Run the sweep")).click()
        page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')].some(p =>
            ((p.layout.title && p.layout.title.text) || '').includes('against beta'))""")
        page.get_by_role("tab", name="Downloads").click()
        with page.expect_download() as caught:
            page.get_by_role("button", name="Download the edited scenario (YAML)").click()
        assert caught.value.suggested_filename == "with_recognition.yaml"
        assert "#   - added: recognition" in Path(str(caught.value.path())).read_text(encoding="utf-8")
