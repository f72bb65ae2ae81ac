"""``alignsim dashboard [SCENARIO]``: the classroom dashboard in the browser (the ``dashboard`` extra)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from alignsim.config.scenario import load_scenario
from alignsim.dashboard.launch import DEFAULT_HOST, DEFAULT_PORT, has_streamlit, serve
from alignsim.errors import InputError


def register(sub: Any) -> None:
    p = sub.add_parser("dashboard", help="start the classroom dashboard, a local web app (needs the 'dashboard' extra)")
    p.add_argument("scenario", type=Path, nargs="?", help="scenario to open first (default: the shipped article timeline)")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to serve on (default {DEFAULT_HOST}: this machine only)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.set_defaults(func=cmd_dashboard)


def cmd_dashboard(args: argparse.Namespace) -> int:
    if not has_streamlit():
        raise InputError("the dashboard needs streamlit: pip install 'alignsim[dashboard]'", field="dashboard")
    if not 0 < args.port < 65536:
        raise InputError("must be a port number, 1 to 65535", field="--port")
    if args.scenario is not None:
        load_scenario(args.scenario)  # a broken file is reported here, as by alignsim validate
    return serve(args.scenario, host=args.host, port=args.port)
