"""Start the dashboard: ``streamlit run app.py`` with telemetry off and nothing fetched from outside.

Streamlit serves its own JavaScript and fonts from the installed package, so the page works with no
network. ``browser.gatherUsageStats=false`` turns its usage statistics off; ``server.headless``
stops it opening a browser or asking for an e-mail address on first start.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

APP = Path(__file__).with_name("app.py")
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8501

SETTINGS = {
    "browser.gatherUsageStats": "false",
    "server.headless": "true",
    "server.fileWatcherType": "none",  # a classroom server does not reload on file changes
    "server.maxUploadSize": "5",  # MB; a scenario is a few kB
    "global.developmentMode": "false",
    "client.toolbarMode": "minimal",  # no "Deploy" button pointing to a cloud service
    "theme.base": "light",
}


def has_streamlit() -> bool:
    return importlib.util.find_spec("streamlit") is not None


def command(scenario: Path | None = None, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> list[str]:
    """The ``streamlit run`` command line; the SCENARIO is passed to the script after ``--``."""
    args = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", host, "--server.port", str(port)]
    for name, value in SETTINGS.items():
        args += [f"--{name}", value]
    if scenario is not None:
        args += ["--", "--scenario", str(Path(scenario).resolve())]
    return args


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment (``extra`` added, e.g. a TMPDIR): statistics off even if a config file says otherwise."""
    return {
        **os.environ,
        **(extra or {}),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_HEADLESS": "true",
    }


def start(
    scenario: Path | None = None,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    extra_env: dict[str, str] | None = None,
    **popen: object,
) -> subprocess.Popen[bytes]:
    """Start the server in a subprocess (the tests use this) and return it. On Linux the server is
    stopped (SIGTERM) when the process that started it dies, even by ``kill -9``, which no handler sees."""
    if sys.platform.startswith("linux"):
        popen.setdefault("preexec_fn", _stop_with(os.getpid()))
    return subprocess.Popen(command(scenario, host=host, port=port), env=environment(extra_env), **popen)  # type: ignore[call-overload, no-any-return]


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _stop_with(parent: int) -> Callable[[], None]:
    """Run in the child before streamlit starts: ask the kernel for SIGTERM when ``parent`` dies, and
    stop at once if it died already (between the fork and this call)."""

    def arrange() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return arrange


def serve(scenario: Path | None = None, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Run the server in the foreground until Ctrl-C; its exit status."""
    print(f"alignsim dashboard on http://{host}:{port}  (Ctrl-C stops it)", flush=True)
    process = start(scenario, host=host, port=port)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=10)
        return 0
