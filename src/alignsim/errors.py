"""Errors a user can act on: each names the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

#: The exit status of a command refused for bad input (a file, an option, a damaged folder).
EXIT_BAD_INPUT = 2


class InputError(Exception):
    """Bad user input (a scenario, world or landscape file). The CLI prints it and exits with status 2."""

    def __init__(
        self, message: str, *, path: str | Path | None = None, line: int | None = None, field: str | None = None
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.path is None and self.field and self.field.startswith("-"):  # a command-line option
            return f"{self.field}: {self.message}"
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        what = f" field '{self.field}':" if self.field else ""
        return f"{where}:{what} {self.message}"


class Terminated(KeyboardInterrupt):
    """The process was asked to stop (SIGTERM, as ``kill`` and ``timeout`` send). A
    KeyboardInterrupt, so that everything Ctrl-C cleans up (temporary folders, worker processes)
    is cleaned up the same way."""


class OutputError(InputError):
    """An output folder that cannot be written (no permission, a file in the way, a full disk).
    ``exit_status`` is 2 when another ``--out`` fixes it, 1 when the machine does (disk full, I/O error)."""

    def __init__(self, message: str, *, path: str | Path | None = None, exit_status: int = 2) -> None:
        self.exit_status = exit_status
        super().__init__(message, path=path)
