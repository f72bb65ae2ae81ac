"""``alignsim new NAME``: write a commented starter scenario."""

from __future__ import annotations

import argparse
from importlib import resources

from alignsim.errors import InputError, OutputError


def cmd_new(args: argparse.Namespace) -> int:
    name = args.name.removesuffix(".yaml")
    if not name.replace("_", "").replace("-", "").isalnum():
        raise InputError("use letters, digits, '-' and '_' only", field="NAME")
    path = args.dir / f"{name}.yaml"
    if path.exists():
        raise InputError("exists already; choose another name", path=path)
    template = (resources.files("alignsim") / "templates" / "starter.yaml").read_text(encoding="utf-8")
    try:
        args.dir.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as fh:  # "x": never replace a file written meanwhile
            fh.write(template.replace("{name}", name))
    except FileExistsError:
        raise InputError("exists already; choose another name", path=path) from None
    except OSError as err:
        raise OutputError(
            f"cannot write the scenario: {err.strerror or err}; choose another --dir", path=path
        ) from None
    print(f"wrote {path}; run it with: alignsim run {path}")
    return 0
