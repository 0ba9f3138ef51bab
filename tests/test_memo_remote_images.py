"""The memo page and the Markdown memo load nothing from another server, even from a database
that holds remote images (rows written directly, as if a note had slipped past `check`).

Breaks if the memo preview renders a note's Markdown with images from anywhere (Datasette's
``render_markdown`` alone keeps ``<img src="https://…">`` and ``![x](https://…)``), if the
cross-finding reference (``[px]: https://…`` in one finding, ``![px]`` in another) reaches either,
or if the memo download writes any of them as Markdown that a viewer would load.
"""

from __future__ import annotations


import markdown
import pytest

from ingest.notes.remote_content import inspect
from ingest.serve.local_markdown import is_local, local_markdown

from .conftest import make_datasette
from .remote_rows import TRACKER, loaded, slipped_db


@pytest.fixture(scope="module")
def slipped(tmp_path_factory):
    return slipped_db(tmp_path_factory.mktemp("slipped"))




@pytest.mark.parametrize("guards", ["both", "the page's renderer alone"])
async def test_the_memo_page_shows_no_image_from_another_server(slipped, monkeypatch, guards):
    """Both guards, and the page's own (``local_markdown``) with the memo text's guard switched off."""
    if guards != "both":
        monkeypatch.setattr("ingest.memo.memo.loads_nothing", lambda text, as_text: text)
    db_path, theme = slipped
    response = await make_datasette(db_path).client.get(f"/insights/findings/-/memo?_theme={theme}")
    assert response.status_code == 200
    if guards == "both":
        assert response.text.count("tracker.invalid") >= 3  # the slipped texts are on the page, as typed
    else:
        assert "<em>[inline]</em>" in response.text and "<em>[px]</em>" in response.text  # images as their alt text
    addresses = loaded(response.text)
    assert addresses and all(is_local(address) for address in addresses), addresses  # the page's own style sheets
    if guards != "both":
        assert "/-/static/app.css" in addresses  # an image of this instance stays


async def test_the_markdown_memo_holds_no_image_a_viewer_would_load(slipped):
    db_path, theme = slipped
    response = await make_datasette(db_path).client.get(f"/insights/findings/-/memo.md?_theme={theme}")
    assert response.status_code == 200
    memo = response.text
    assert TRACKER in memo  # the text is still there, shown as typed
    found = inspect(memo)
    assert found.addresses == [] and found.images == []
    assert not [address for address in loaded(markdown.markdown(memo, output_format="html5")) if TRACKER in address]


REMOTE = {
    "shortcut reference": "![px]\n\n[px]: https://tracker.invalid/a.png",
    "full reference, title": '![a][px]\n\n   [px]: <https://tracker.invalid/a.png> "T"',
    "inline": "![a](https://tracker.invalid/a.png)",
    "protocol-relative": "![a](//tracker.invalid/a.png)",
    "backslash host": "![a](/\\tracker.invalid/a.png)",
    "raw img": '<img src="https://tracker.invalid/a.png">',
    "raw img, entity": '<img src="&#104;ttps://tracker.invalid/a.png">',
    "raw img, entity without semicolon": '<img src="&#104ttps://tracker.invalid/a.png">',
    "raw img, tab": '<img src="ht\ttps://tracker.invalid/a.png">',
    "raw img srcset": '<img srcset="https://tracker.invalid/a.png 2x">',
    "picture": '<picture><source srcset="https://tracker.invalid/a.png"></picture>',
    "video poster": '<video poster="https://tracker.invalid/a.png"></video>',
    "iframe": '<iframe src="https://tracker.invalid/"></iframe>',
    "style": '<p style="background: url(https://tracker.invalid/a.png)">x</p>',
    "link": '<link rel="stylesheet" href="https://tracker.invalid/a.css">',
}


@pytest.mark.parametrize("text", REMOTE.values(), ids=REMOTE.keys())
def test_the_memo_renderer_drops_every_remote_image_and_keeps_the_text_around_it(text):
    html = str(local_markdown(f"before {text} after"))
    assert not [address for address in loaded(html) if not is_local(address)], html
    assert "before" in html and "after" in html


def test_the_memo_renderer_keeps_images_of_this_instance():
    assert loaded(str(local_markdown("![chart](/-/static/chart.png) <img src=\"img/a.png\">"))) == [
        "/-/static/chart.png", "img/a.png"]
