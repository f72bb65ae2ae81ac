"""Validated, frozen inputs: scenarios, sweep blocks, landscape files, and YAML errors with file and line."""
