"""Small timing helpers for the bench: child processes, peak memory, percentiles."""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def in_child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh Python; it prints a JSON dict as its last line. Adds peak RSS (MiB)."""
    wrapper = (
        "import json, resource, sys, time\n"
        "t0 = time.perf_counter()\n"
        f"{code}\n"
        "result['seconds'] = round(time.perf_counter() - t0, 3)\n"
        "result['peak_mib'] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)\n"
        "print(json.dumps(result))\n"
    )
    done = subprocess.run([sys.executable, "-c", wrapper, *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    p95_index = max(0, min(len(ordered) - 1, round(0.95 * len(ordered)) - 1))
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(ordered[p95_index], 1), "n": len(ordered)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def datasette_server(db_path: Path):
    """A real `datasette serve`, configured as `make serve` configures it, on a free loopback port."""
    settings = json.loads((ROOT / "settings.json").read_text())
    port = free_port()
    command = [str(Path(sys.executable).parent / "datasette"), "serve", str(db_path),
               "--metadata", str(ROOT / "metadata.json"), "--plugins-dir", str(ROOT / "plugins"),
               "--host", "127.0.0.1", "--port", str(port)]
    if (ROOT / "templates").is_dir():
        command += ["--template-dir", str(ROOT / "templates")]
    if (ROOT / "static").is_dir():
        command += ["--static", f"static:{ROOT / 'static'}"]
    for key, value in settings.items():
        command += ["--setting", key, json.dumps(value)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    try:
        for _ in range(600):
            try:
                if client.get("/-/versions.json").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("datasette did not start: " + process.stderr.read().decode()[-2000:])
        client.startup_seconds = round(time.perf_counter() - started, 2)
        yield client
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)


def time_requests(client: httpx.Client, path: str, count: int, budget_s: float, warmup: int = 2) -> tuple[dict, httpx.Response]:
    """Bounded loop: at most ``count`` timed requests and ``budget_s`` seconds; every answer must be 200."""
    (timing,), (response,) = time_alternating(client, [path], count, budget_s, warmup)
    return timing, response


def time_alternating(client: httpx.Client, paths: list[str], count: int, budget_s: float,
                     warmup: int = 2) -> tuple[list[dict], list[httpx.Response]]:
    """Like ``time_requests`` for several paths at once, taking turns, so that a page and its
    baseline see the same machine: a slow spell slows both, not one."""
    responses = [None] * len(paths)
    for _ in range(warmup):
        responses = [client.get(path) for path in paths]
    samples: list[list[float]] = [[] for _ in paths]
    deadline = time.perf_counter() + budget_s
    while len(samples[0]) < count and time.perf_counter() < deadline:
        for index, path in enumerate(paths):
            t0 = time.perf_counter()
            response = client.get(path)
            samples[index].append((time.perf_counter() - t0) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:500]}")
            responses[index] = response
    return [percentiles(s) for s in samples], responses
