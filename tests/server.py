"""A real `datasette serve` on 127.0.0.1, started with the arguments a Makefile target gives it
(read from `make -n`) but by the interpreter running the tests (``sys.executable -m datasette``,
not a .venv path), and a bounded loop of HTTP clients against it."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

import httpx

from .conftest import ROOT

STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_serve_command(target: str, **variables: str) -> list[str]:
    """The `datasette serve …` line that `make <target>` would run, with its variables set, run by
    this interpreter: PY (which reads settings.json for the Makefile) is sys.executable, and the
    Makefile's .venv/bin/datasette becomes ``sys.executable -m datasette``."""
    assignments = [f"{name}={value}" for name, value in {"PY": sys.executable, **variables}.items()]
    dry_run = subprocess.run(["make", "-s", "--no-print-directory", "-n", target, *assignments],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    line = next(line for line in dry_run.replace("\\\n", " ").splitlines() if "/bin/datasette serve" in line)
    executable, *arguments = shlex.split(line)
    assert executable.endswith("/bin/datasette") and arguments[0] == "serve", line
    return [sys.executable, "-m", "datasette", *arguments]


@contextmanager
def datasette_server(db_path: Path, target: str = "serve", env: dict[str, str] | None = None) -> Iterator[str]:
    """Serve ``db_path`` as `make <target>` would (``env`` added to its environment); yield the
    base URL; stop it afterwards."""
    port = free_port()
    database = {"serve": "DB", "serve-public": "PUBLIC_DB"}[target]
    command = make_serve_command(target, **{database: str(db_path), "PORT": str(port)})
    # Its log goes to a file: a pipe nobody reads fills up after ~800 requests and stalls the server.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})})
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, process, log)
            yield base
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    """Ask the server to stop; kill it if it has not within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_up(base: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"datasette exited with {process.returncode}: {log.read().decode(errors='replace')}")
        try:
            if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"datasette did not answer on {base} within {STARTUP_SECONDS} s")


def poll(check: Callable[[], bool], seconds: float, interval: float = 0.05) -> bool:
    """Call ``check`` until it is true, for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return check()


class Result(NamedTuple):
    path: str
    status: int  # 0: no response (connection or protocol error)
    seconds: float
    problem: str = ""  # why the response is not acceptable, if it is not


class RequestLoop:
    """``clients`` threads, each requesting ``paths`` round-robin until stopped, until
    ``max_seconds`` have passed, or until it has made ``max_requests``: bounded by design.

    ``judge(path, response)`` may return a problem with a 200 response (e.g. half a build).
    """

    def __init__(self, base: str, paths: list[str], *, clients: int, max_seconds: float, max_requests: int,
                 judge: Callable[[str, httpx.Response], str] | None = None):
        self.base, self.paths, self.clients = base, paths, clients
        self.max_seconds, self.max_requests, self.judge = max_seconds, max_requests, judge
        self.results: list[Result] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(clients)]

    def __enter__(self) -> "RequestLoop":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def run_for(self, seconds: float) -> "RequestLoop":
        with self:
            self._stop.wait(seconds)
        return self

    def _client(self, number: int) -> None:
        deadline = time.monotonic() + self.max_seconds
        with httpx.Client(base_url=self.base, timeout=30) as client:
            for count in range(self.max_requests):
                if self._stop.is_set() or time.monotonic() > deadline:
                    return
                path = self.paths[(number + count) % len(self.paths)]
                started = time.perf_counter()
                try:
                    response = client.get(path)
                    problem = "" if response.status_code == 200 else response.text[:300]
                    if not problem and self.judge:
                        problem = self.judge(path, response)
                    result = Result(path, response.status_code, time.perf_counter() - started, problem)
                except httpx.HTTPError as error:
                    result = Result(path, 0, time.perf_counter() - started, repr(error))
                with self._lock:
                    self.results.append(result)

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.status != 200 or r.problem]

    def percentile(self, fraction: float, path: str | None = None) -> float:
        times = sorted(r.seconds for r in self.results if path is None or r.path == path)
        return times[min(len(times) - 1, int(fraction * len(times)))] if times else float("nan")
