"""Failed sign-ins counted per client address (ingest/serve/sign_in_attempts.py), on a clock the
test moves."""

from ingest.serve.sign_in_attempts import SignInAttempts


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_limit_holds_until_the_oldest_failure_leaves_the_window():
    clock = Clock()
    attempts = SignInAttempts(max_failures=3, window_seconds=600, clock=clock)
    for _ in range(3):
        assert attempts.wait_seconds("10.0.0.1") == 0
        attempts.failed("10.0.0.1")
        clock.now += 10
    assert attempts.wait_seconds("10.0.0.1") == 600 - 30 + 1
    assert attempts.wait_seconds("10.0.0.2") == 0  # another address is not held back
    clock.now = 1000.0 + 600  # the first failure has left the window
    assert attempts.wait_seconds("10.0.0.1") == 0


def test_a_success_forgets_the_failures():
    attempts = SignInAttempts(max_failures=2, clock=Clock())
    attempts.failed("a")
    attempts.succeeded("a")
    attempts.failed("a")
    assert attempts.wait_seconds("a") == 0


def test_old_failures_are_forgotten_not_kept():
    clock = Clock()
    attempts = SignInAttempts(max_failures=2, window_seconds=5, clock=clock)
    for address in map(str, range(100)):
        attempts.failed(address)
    clock.now += 6
    for address in map(str, range(100)):
        assert attempts.wait_seconds(address) == 0
    assert attempts._failures == {}
