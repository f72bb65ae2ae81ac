"""Checks against published results and data: the `alignsim check` report."""
