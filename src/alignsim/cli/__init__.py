"""Subcommands of ``alignsim``: each module has ``register(subparsers)``."""
