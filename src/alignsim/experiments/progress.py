"""A one-line progress bar with the time left, for ensembles, comparisons and sweeps."""

from __future__ import annotations

import sys
import time
from typing import IO


class Progress:
    """A one-line progress bar with the time left, on stderr; silent when disabled or when the
    stream is not a terminal (pipes, CI logs, notebooks)."""

    def __init__(
        self, label: str, *, enabled: bool = True, stream: IO[str] | None = None, min_interval: float = 0.2
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and _is_tty(self.stream)
        self.min_interval = min_interval
        self.total = 0
        self.done = 0
        self._started = 0.0
        self._shown = 0.0

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self._started = self._shown = time.monotonic()
        self._draw()

    def advance(self, k: int) -> None:
        self.done += k
        now = time.monotonic()
        if now - self._shown >= self.min_interval or self.done >= self.total:
            self._shown = now
            self._draw()

    def close(self) -> None:
        if self.enabled and self.total:
            self.stream.write("\r" + " " * self._width() + "\r")
            self.stream.flush()

    def line(self) -> str:
        """The bar as text, e.g. ``replicates  340/1000 [######......]  34%  0:07 left``."""
        share = self.done / self.total if self.total else 1.0
        cells = 24
        bar = "#" * int(share * cells) + "." * (cells - int(share * cells))
        elapsed = time.monotonic() - self._started
        left = "" if self.done == 0 else f"  {_clock(elapsed / self.done * (self.total - self.done))} left"
        width = len(str(self.total))
        return f"{self.label} {self.done:>{width}}/{self.total} [{bar}] {share:4.0%}{left}"

    def _draw(self) -> None:
        if self.enabled:
            self.stream.write("\r" + self.line().ljust(self._width()))
            self.stream.flush()

    def _width(self) -> int:
        return len(self.label) + 2 * len(str(self.total)) + 48


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def _is_tty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
