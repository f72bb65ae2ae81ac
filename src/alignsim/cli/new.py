"""``alignsim new NAME [--dir DIR]``: write a commented starter scenario (templates/starter.yaml)."""

from __future__ import annotations

import argparse
from importlib import resources

from alignsim.errors import InputError


def cmd_new(args: argparse.Namespace) -> int:
    name = args.name.removesuffix(".yaml")
    if not name.replace("_", "").replace("-", "").isalnum():
        raise InputError("use letters, digits, '-' and '_' only", field="NAME")
    path = args.dir / f"{name}.yaml"
    if path.exists():
        raise InputError("exists already; choose another name", path=path)
    template = (resources.files("alignsim") / "templates" / "starter.yaml").read_text(encoding="utf-8")
    args.dir.mkdir(parents=True, exist_ok=True)
    path.write_text(template.replace("{name}", name), encoding="utf-8")
    print(f"wrote {path}; run it with: alignsim run {path}")
    return 0
