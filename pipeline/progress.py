"""Progress lines: one per step, saying what happened, why, and how long it took."""

from __future__ import annotations

import os
import sys
import time


class Progress:
    """One line per step: name, what happened and why, seconds."""

    def __init__(self, quiet: bool, verbose: bool):
        self.quiet = quiet
        self.verbose = verbose
        self.started = time.perf_counter()

    def step(self, name: str, outcome: str, seconds: float) -> None:
        self._print(f"{name:<20} {outcome:<52} {seconds:6.2f} s")

    def done(self, text: str) -> None:
        self._print(f"{text} in {time.perf_counter() - self.started:.2f} s")

    def _print(self, line: str) -> None:
        if self.quiet:
            return
        try:
            print(line, flush=True)
        except BrokenPipeError:
            # The reader went away (``build.py | head``): finish the build silently.
            self.quiet = True
            sys.stdout = open(os.devnull, "w")
