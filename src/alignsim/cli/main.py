"""The ``alignsim`` command. Each module in ``alignsim.cli`` adds its subcommands through a
``register(subparsers)`` function, so a new command is one new module.

Every user mistake prints one clear message (file, line, field, what is allowed) and exits with 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Callable, Sequence

import alignsim.cli
from alignsim.errors import InputError

EXIT_BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except InputError as err:
        print(f"error: {getattr(err, 'full_text', None) or err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="alignsim", description="Agent-based simulator of diplomatic alignment.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(alignsim.cli.__path__), key=lambda m: (m.name != "core", m.name)):
        if info.name == "main":
            continue
        importlib.import_module(f"alignsim.cli.{info.name}").register(sub)
    return parser


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
