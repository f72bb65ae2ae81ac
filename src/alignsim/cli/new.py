"""``alignsim new NAME [--world FILE]``: write a commented starter scenario, from the template or
from a world file (its states, a start date after its year, pairs to track)."""

from __future__ import annotations

import argparse
import os
from importlib import resources
from pathlib import Path

from alignsim.config.scenario import load_world_file
from alignsim.config.starter import starter_text
from alignsim.config.yaml_reader import read_text_file
from alignsim.errors import InputError, OutputError


def cmd_new(args: argparse.Namespace) -> int:
    name = args.name.removesuffix(".yaml")
    if not name.replace("_", "").replace("-", "").isalnum():
        raise InputError("use letters, digits, '-' and '_' only", field="NAME")
    path = args.dir / f"{name}.yaml"
    if path.exists():
        raise InputError("exists already; choose another name", path=path)
    text = _from_world(name, args.world, args.dir) if getattr(args, "world", None) else _template(name)
    try:
        args.dir.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as fh:  # "x": never replace a file written meanwhile
            fh.write(text)
    except FileExistsError:
        raise InputError("exists already; choose another name", path=path) from None
    except OSError as err:
        raise OutputError(
            f"cannot write the scenario: {err.strerror or err}; choose another --dir", path=path
        ) from None
    print(f"wrote {path}; run it with: alignsim run {path}")
    return 0


def _template(name: str) -> str:
    template = (resources.files("alignsim") / "templates" / "starter.yaml").read_text(encoding="utf-8")
    return template.replace("{name}", name)


def _from_world(name: str, world: Path, folder: Path) -> str:
    """The starter on a world file, validated first; the scenario names the world relative to its own folder."""
    spec = load_world_file(world)  # a broken world is reported here, with its file and line
    reference = Path(os.path.relpath(world.resolve(), folder.resolve())).as_posix()
    if reference.startswith("../.."):  # far away: the absolute path reads better
        reference = world.resolve().as_posix()
    return starter_text(name, reference, spec, read_text_file(world, "world file"))
