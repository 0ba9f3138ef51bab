"""Limits of the export routes: how many run at once, how long one may take, how many rows it may hold,
and whether its client is still there.

An export reads a whole selection, so it holds a thread and a SQLite connection while it runs.
``ExportRun`` is one of them: it takes a slot of the server's ``ExportGate`` (or waits briefly,
then is refused: a 503 with ``Retry-After``), watches its client (``http.disconnect`` on the ASGI
``receive``) and its deadline, and stops its queries when either says so — ``conn.interrupt()`` and
a SQLite progress handler — so an abandoned or overlong export frees its slot at once. A server
also answers ``http.disconnect`` once the response is complete (uvicorn does): after the last
message of a download that is its end, not its client leaving. Each run ends with one outcome,
counted on the gate and logged in one line (``export complete: …`` or ``export stopped, <reason>: …``).

The limits come from ``plugins.insights.exports`` in metadata.json. On a public build
(``build_info.public = 1``: decided from the data, as ``/robots.txt`` is) a time limit and a row
cap always apply, whatever the configuration says.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
import time
import weakref
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

from datasette.database import QueryInterrupted

log = logging.getLogger(__name__)
PROGRESS_STEPS = 10_000  # SQLite instructions between two looks at the client and the clock


class ExportLimits(NamedTuple):
    concurrent: int = 3  # exports running at once, per server
    wait_seconds: float = 5  # how long one more waits for a slot before its 503
    retry_after_seconds: int = 30  # what the 503 tells the client
    time_limit_seconds: float | None = None  # from the slot to the last byte
    stall_seconds: float = 60  # how long one chunk may wait for a client that stopped reading
    max_rows: int | None = None  # rows an export may hold; more is refused before the first byte
    preview_findings: int = 100  # findings shown by the memo preview page (the download holds all)


PUBLIC_LIMITS = {"time_limit_seconds": 60, "max_rows": 20_000}  # a public build never goes without
CONFIG_PATH = "metadata.json plugins.insights.exports"


def check_config(config: dict) -> None:
    """Refuse an unknown key or a value that is not a positive number, naming it."""
    public = config.get("public") or {}
    for where, values, allowed in ((CONFIG_PATH, config, set(ExportLimits._fields) | {"public"}),
                                   (CONFIG_PATH + ".public", public, set(PUBLIC_LIMITS))):
        if not isinstance(values, dict):
            raise ValueError(f"{where} must be an object")
        for key, value in values.items():
            if key not in allowed:
                raise ValueError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(allowed))})")
            if key == "public" or (value is None and key in PUBLIC_LIMITS):
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"{where}.{key} must be a positive number, not {value!r}")


def configured_limits(config: dict, public: bool) -> ExportLimits:
    """The limits of one database's exports: the configuration, and on a public build the
    tighter of it and ``public`` (itself defaulting to PUBLIC_LIMITS)."""
    check_config(config)
    limits = ExportLimits(**{k: v for k, v in config.items() if k != "public"})
    if not public:
        return limits
    public_limits = {**PUBLIC_LIMITS, **{k: v for k, v in (config.get("public") or {}).items() if v is not None}}
    return limits._replace(**{key: min(filter(None, (getattr(limits, key), value)))
                              for key, value in public_limits.items()})


async def is_public_build(db) -> bool:
    """Whether ``db`` (a Datasette database) is a public build: ``build_info.public = 1``."""
    try:
        rows = (await db.execute("select public from build_info")).rows
    except (sqlite3.Error, QueryInterrupted):
        return False
    return [tuple(row) for row in rows] == [(1,)]


async def export_limits(datasette, db) -> ExportLimits:
    config = (datasette.plugin_config("insights") or {}).get("exports") or {}
    return configured_limits(config, await is_public_build(db))


class ExportsBusy(Exception):
    """Every slot stayed taken for as long as a request may wait."""

    def __init__(self, retry_after_seconds: int):
        super().__init__(f"Too many downloads are being made at the moment: try again in {retry_after_seconds} s.")
        self.retry_after_seconds = retry_after_seconds


class ExportStopped(Exception):
    """The run was stopped: its client went away or its time ran out."""


class TooManyRows(Exception):
    def __init__(self, rows: int, max_rows: int):
        super().__init__(
            f"This selection holds {rows:,} rows; this instance exports at most {max_rows:,} at once. "
            "Narrow it (a theme, a region, a kind, a search) and download it in parts.")


def count_rows(conn: sqlite3.Connection, sql: str, params) -> int:
    """The rows of a selection's query (``sql``: the findings page's own or a canned query's, never request text)."""
    return conn.execute(f"select count(*) from (\n{sql.strip().rstrip(';')}\n)", params).fetchone()[0]


def check_row_cap(conn: sqlite3.Connection, sql: str, params, max_rows: int | None) -> None:
    """Refuse, before its first byte, an export of more than ``max_rows`` rows."""
    if max_rows is not None and (rows := count_rows(conn, sql, params)) > max_rows:
        raise TooManyRows(rows, max_rows)


class _Stderr(logging.StreamHandler):
    """Whatever ``sys.stderr`` is when a line is logged (as logging's last resort does)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _):
        pass


def log_outcomes() -> None:
    """Log each export's outcome on standard error, beside uvicorn's own lines (once per process).
    Through this handler only: the MCP SDK (datasette-mcp) gives the root logger a handler of its
    own, which would print every outcome twice."""
    if not log.handlers:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(levelname)s:  %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def printable(text: str) -> str:
    """Text of a request as a log line may hold it: no line breaks nor other control characters."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class ExportGate:
    """At most ``slots`` exports at once; one more waits for a slot, at most ``wait_seconds``."""

    def __init__(self, slots: int):
        self.slots = slots
        self.running = 0
        # complete, client went away, client stopped reading, time limit, too many rows, failed, refused
        self.outcomes: Counter[str] = Counter()
        self._semaphore = asyncio.Semaphore(slots)

    async def enter(self, wait_seconds: float) -> bool:
        if self._semaphore.locked():  # wait_for with nothing to wait for would time out at once
            try:
                await asyncio.wait_for(self._semaphore.acquire(), wait_seconds)
            except TimeoutError:
                self.outcomes["refused"] += 1
                log.warning("export refused: %d running, none finished within %g s", self.slots, wait_seconds)
                return False
        else:
            await self._semaphore.acquire()
        self.running += 1
        return True

    def leave(self, outcome: str) -> None:
        self.running -= 1
        self.outcomes[outcome] += 1
        self._semaphore.release()


_gates: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Datasette → its ExportGate


def gate_of(datasette, slots: int = ExportLimits.concurrent) -> ExportGate:
    """The server's one gate (made with ``slots`` on first use)."""
    if datasette not in _gates:
        _gates[datasette] = ExportGate(slots)
    return _gates[datasette]


class ExportRun:
    """One export under way: its slot, its deadline, a watch on its client, what to close at the end.

    ``stop_reason`` is set once, by the client leaving (``client went away``), not reading
    (``client stopped reading``, see export_response.Download) or the deadline passing
    (``time limit``); from then on the run's queries are interrupted and no byte is sent.
    ``what`` names it in the log: the download's route and view, never its query.
    """

    def __init__(self, gate: ExportGate, limits: ExportLimits, receive, what: str = "export"):
        self.gate, self.limits, self.what = gate, limits, printable(what)
        self.started = time.monotonic()
        self.deadline = self.started + limits.time_limit_seconds if limits.time_limit_seconds else None
        self.stop_reason: str | None = None
        self.failure: str | None = None  # the outcome of a run that ended on an error of its own
        self.sent_bytes = 0
        self.last_message = False  # the response's last message is being (or has been) sent
        self._connections: list[sqlite3.Connection] = []
        self._on_finish: list[Callable[[], object]] = []
        self._finished = False
        self._watcher = asyncio.ensure_future(self._watch(receive))

    @classmethod
    async def start(cls, datasette, db, receive, what: str = "export") -> "ExportRun":
        """Take a slot for an export of ``db`` (raise ExportsBusy if none comes free in time)."""
        limits = await export_limits(datasette, db)
        gate = gate_of(datasette, limits.concurrent)
        if not await gate.enter(limits.wait_seconds):
            raise ExportsBusy(limits.retry_after_seconds)
        return cls(gate, limits, receive, what)

    async def _watch(self, receive) -> None:
        """Wait for ``http.disconnect``. A request body (a GET has none) is read and dropped; a
        disconnect once the last message is under way is the server ending the response (uvicorn
        answers so as soon as it is complete), not the client leaving."""
        try:
            while (await receive()).get("type") != "http.disconnect":
                pass
        except Exception:  # noqa: BLE001 — a receive that fails has lost its client as surely
            log.debug("receive failed while an export ran", exc_info=True)
        if not self.last_message:
            self.stop("client went away")

    def fail(self, outcome: str = "failed") -> None:
        """The run ended on an error of its own (a refused selection, a failing query)."""
        if self.failure is None:
            self.failure = outcome

    def stop(self, reason: str) -> None:
        if self.stop_reason is None:
            self.stop_reason = reason
        for conn in self._connections:
            try:
                conn.interrupt()  # a query running in a worker thread stops with "interrupted"
            except sqlite3.ProgrammingError:  # already closed
                pass

    def should_stop(self) -> bool:
        """True once the client has gone or the time is up (SQLite's progress handler; any thread)."""
        if self.stop_reason is None and self.deadline is not None and time.monotonic() > self.deadline:
            self.stop_reason = "time limit"
        return self.stop_reason is not None

    def check(self) -> None:
        if self.should_stop():
            raise ExportStopped(self.stop_reason)

    def remaining_seconds(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def watch(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        """Stop ``conn``'s queries with the run, and close it when the run finishes."""
        conn.set_progress_handler(self.should_stop, PROGRESS_STEPS)
        self._connections.append(conn)
        self.on_finish(conn.close)
        return conn

    def on_finish(self, close: Callable[[], object]) -> None:
        self._on_finish.append(close)

    async def finish(self) -> None:
        """Stop watching, close what the run opened (in a thread: closing may wait on SQLite), free the slot."""
        if self._finished:
            return
        self._finished = True
        self._watcher.cancel()
        try:
            await asyncio.to_thread(self._close_all)
        finally:
            outcome = self.stop_reason or self.failure or "complete"
            seconds = time.monotonic() - self.started
            if outcome == "complete":
                log.info("export complete: %s, %d bytes in %.2f s", self.what, self.sent_bytes, seconds)
            else:
                log.warning("export stopped, %s: %s, %d bytes in %.2f s", outcome, self.what, self.sent_bytes, seconds)
            self.gate.leave(outcome)

    def _close_all(self) -> None:
        for close in reversed(self._on_finish):
            close()
