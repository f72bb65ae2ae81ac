"""``alignsim dashboard [SCENARIO]``: the classroom dashboard in the browser (the ``dashboard`` extra)."""

from __future__ import annotations

import argparse

from alignsim.config.scenario import load_scenario
from alignsim.dashboard.launch import has_streamlit, serve
from alignsim.errors import InputError


def cmd_dashboard(args: argparse.Namespace) -> int:
    if not has_streamlit():
        raise InputError("the dashboard needs streamlit: pip install 'alignsim[dashboard]'", field="dashboard")
    if not 0 < args.port < 65536:
        raise InputError("must be a port number, 1 to 65535", field="--port")
    if args.scenario is not None:
        load_scenario(args.scenario)  # a broken file is reported here, as by alignsim validate
    return serve(args.scenario, host=args.host, port=args.port)
