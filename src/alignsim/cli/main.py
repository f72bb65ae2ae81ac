"""The ``alignsim`` command. Its arguments are declared in :mod:`alignsim.cli.arguments` (standard
library only); the module that carries a command out is imported only once the command line names
it (``COMMANDS``), so ``alignsim --help``, ``shocks`` and ``validate`` never load Mesa, pandas,
matplotlib or scipy. A new command is one entry here, one in ``arguments.ARGUMENTS`` and its module.

Every user mistake prints one clear message (file, line, field, what is allowed) and exits with 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from alignsim.cli.arguments import ARGUMENTS
from alignsim.errors import InputError

EXIT_BAD_INPUT = 2

#: Command -> "module:function" that carries it out (imported after parsing: dynamic dispatch).
COMMANDS: dict[str, str] = {
    "run": "alignsim.cli.run:cmd_run",
    "validate": "alignsim.cli.core:cmd_validate",
    "shocks": "alignsim.cli.shocks:cmd_shocks",
    "new": "alignsim.cli.new:cmd_new",
    "check": "alignsim.cli.check:cmd_check",
    "compare": "alignsim.cli.compare:cmd_compare",
    "landscape": "alignsim.cli.landscape:cmd_landscape",
    "sweep": "alignsim.cli.sweep:cmd_sweep",
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return command(args.command)(args)
    except InputError as err:
        print(f"error: {getattr(err, 'full_text', None) or err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


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
