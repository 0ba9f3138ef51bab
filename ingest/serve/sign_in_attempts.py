"""Failed sign-ins, counted per client address: after ``max_failures`` within ``window_seconds``
that address gets a 429 until the oldest of them is older than the window.

datasette-auth-passwords has no limit of its own, and each attempt at a known name costs
480,000 rounds of PBKDF2 on the event loop: without one, a password can be guessed at leisure
and the server kept busy. A successful sign-in clears the address's count. In memory, one
server process (as Datasette is); a restart forgets.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Callable

MAX_FAILURES = 10
WINDOW_SECONDS = 600
MAX_ADDRESSES = 10_000  # beyond this many, the addresses whose failures are oldest are forgotten


class SignInAttempts:
    def __init__(self, max_failures: int = MAX_FAILURES, window_seconds: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.max_failures, self.window_seconds, self.clock = max_failures, window_seconds, clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str) -> deque[float]:
        failures = self._failures.get(address, deque())
        cutoff = self.clock() - self.window_seconds
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            self._failures.pop(address, None)
        return failures

    def wait_seconds(self, address: str) -> int:
        """0 when ``address`` may try to sign in; else how many seconds it must wait."""
        failures = self._recent(address)
        if len(failures) < self.max_failures:
            return 0
        return max(1, int(failures[0] + self.window_seconds - self.clock()) + 1)

    def failed(self, address: str) -> None:
        failures = self._recent(address)
        failures.append(self.clock())
        self._failures[address] = failures
        if len(self._failures) > MAX_ADDRESSES:
            oldest = min(self._failures, key=lambda a: self._failures[a][-1])
            del self._failures[oldest]

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)
