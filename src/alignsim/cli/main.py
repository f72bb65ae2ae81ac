"""The ``alignsim`` command. Its arguments are declared in :mod:`alignsim.cli.arguments` (standard
library only); the module that carries a command out is imported only once the command line names
it (``COMMANDS``), so ``alignsim --help``, ``shocks`` and ``validate`` never load Mesa, pandas,
matplotlib or scipy. A new command is one entry here, one in ``arguments.ARGUMENTS`` and its module.

Every user mistake prints one clear message (file, line, field, what is allowed) and exits with 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from alignsim.cli.arguments import ARGUMENTS
from alignsim.errors import EXIT_BAD_INPUT, InputError, Terminated

# Before numpy loads (it reads this once): no transparent-huge-page advice for large arrays. Where the
# kernel compacts memory to serve it (defrag=madvise, as on the project's machines), the first write to
# each 2 MB of a run's relation record cost 21 ms instead of 1.4 (docs/performance.md). Worker
# processes inherit it; a user's own setting wins.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

EXIT_TERMINATED = 128 + signal.SIGTERM
EXIT_BROKEN_PIPE = 141  # what a shell reports for a command ended by SIGPIPE (128 + 13)

#: Command -> "module:function" that carries it out (imported after parsing: dynamic dispatch).
COMMANDS: dict[str, str] = {
    "run": "alignsim.cli.run:cmd_run",
    "validate": "alignsim.cli.validate:cmd_validate",
    "shocks": "alignsim.cli.shocks:cmd_shocks",
    "new": "alignsim.cli.new:cmd_new",
    "check": "alignsim.cli.check:cmd_check",
    "compare": "alignsim.cli.compare:cmd_compare",
    "landscape": "alignsim.cli.landscape:cmd_landscape",
    "sweep": "alignsim.cli.sweep:cmd_sweep",
    "world": "alignsim.cli.world:cmd_build",
    "hindcast": "alignsim.cli.hindcast:cmd_hindcast",
    "calibrate": "alignsim.cli.calibrate:cmd_calibrate",
    "verify": "alignsim.cli.verify:cmd_verify",
    "dashboard": "alignsim.cli.dashboard:cmd_dashboard",
}


def main(argv: Sequence[str] | None = None) -> int:
    previous = _stop_on_sigterm()
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapedStream(sys.stdout), EscapedStream(sys.stderr)  # type: ignore[assignment]
    try:
        args = build_parser().parse_args(argv)
        return command(args.command)(args)
    except InputError as err:
        print(f"error: {getattr(err, 'full_text', None) or err}", file=sys.stderr)
        return getattr(err, "exit_status", EXIT_BAD_INPUT)
    except Terminated:
        print("terminated (SIGTERM); nothing was written", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `alignsim ... | head` closed the pipe: stop quietly, as cat and grep do
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    finally:
        sys.stdout, sys.stderr = streams
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


#: Control characters a terminal would obey (ESC starts colour, cursor and title sequences); tab,
#: line feed and carriage return (a progress bar's) are kept.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with every control character written as its escape (``\\x1b``): a scenario name or
    file name cannot move the cursor, retitle the window or hide what follows."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class EscapedStream:
    """A text stream that writes everything through :func:`printable`; everything else is the stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _stop_on_sigterm() -> signal.Handlers | Callable[..., object] | int | None:
    """Make SIGTERM raise :class:`Terminated` (a KeyboardInterrupt) so that it cleans up as Ctrl-C
    does; returns the handler it replaced (None when not in the main thread, where it cannot)."""
    try:
        return signal.signal(signal.SIGTERM, _raise_terminated) or signal.SIG_DFL
    except ValueError:  # signal only works in the main thread
        return None


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit raises no second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no real file (a test's capture): nothing to flush
        pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alignsim", description="Agent-based simulator of diplomatic alignment.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in ARGUMENTS.values():
        add(sub)
    return parser


def command(name: str) -> Callable[[argparse.Namespace], int]:
    """The function that carries out command ``name``, its module imported now."""
    module, function = COMMANDS[name].split(":")
    return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
