"""Properties of the two guards behind `check` against remote images, on arbitrary text made of
the pieces Markdown and HTML images are made of (and long runs of one character).

Breaks if any text makes the memo page's renderer (``local_markdown``) emit an element that
loads from another host, or if the Markdown memo's guard (``loads_nothing``) lets through a text
that `check`'s rule would still find loading something or holding a reference image.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.memo.loads_nothing import loads_nothing
from ingest.memo.memo import markdown_text
from ingest.notes.remote_content import inspect
from ingest.serve.local_markdown import is_local, local_markdown

from .remote_rows import loaded

EXAMPLES = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
PIECES = ["![", "[", "]", "(", ")", "<", ">", "px", "a", " ", "\n", "\n\n", ":", "'", '"', "\\", "`", "&#104;",
          "https://t.invalid/p.png", "//t.invalid/p", "/\\t.invalid", "/local.png", "data:image/gif;base64,AA",
          "<img src=", "<img srcset=", "<video poster=", "<iframe src=", "<link href=", "style=", "url(",
          "[px]: ", "   [px]: ", "> ", "조달", "\t"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)




@EXAMPLES
@given(TEXTS)
@example("![px]\n\n[px]: https://t.invalid/p.png")
@example('<img src="&#104;ttps://t.invalid/p.png">')
def test_the_memo_page_renderer_never_loads_from_another_host(text):
    assert all(is_local(address) for address in loaded(str(local_markdown(text))))


@EXAMPLES
@given(TEXTS)
@example("![px]")
def test_the_markdown_memo_guard_leaves_nothing_the_rule_would_find(text):
    found = inspect(loads_nothing(text, markdown_text))
    assert found.addresses == [] and found.images == []


def test_long_runs_of_one_character_render_in_bounded_time():
    """A generous bound: the guards add no pattern that backtracks on a run (2,000 of each piece)."""
    for piece in ["(", "<", ":", "/", "\\", " ", "a", "&#104;"]:
        started = time.perf_counter()
        local_markdown(piece * 2000)
        loads_nothing(piece * 2000, markdown_text)
        assert time.perf_counter() - started < 5, piece
