"""``alignsim dashboard [SCENARIO]``: the classroom dashboard in the browser (the ``dashboard`` extra)."""

from __future__ import annotations

import argparse
import socket

from alignsim.config.scenario import load_scenario
from alignsim.dashboard.launch import has_streamlit, serve
from alignsim.errors import InputError


def cmd_dashboard(args: argparse.Namespace) -> int:
    if not has_streamlit():
        raise InputError("the dashboard needs streamlit: pip install 'alignsim[dashboard]'", field="dashboard")
    if not 0 < args.port < 65536:
        raise InputError("must be a port number, 1 to 65535", field="--port")
    check_host(args.host, args.port)
    if args.scenario is not None:
        load_scenario(args.scenario)  # a broken file is reported here, as by alignsim validate
    return serve(args.scenario, host=args.host, port=args.port)


def check_host(host: str, port: int) -> None:
    """A --host the server could listen on: an address or a name that resolves (999.1.1.1 is neither)."""
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError(
            f"cannot listen on {host!r}: {reason}; give an address of this machine, such as 127.0.0.1 or 0.0.0.0",
            field="--host",
        ) from None
