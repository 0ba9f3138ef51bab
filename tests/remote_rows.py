"""A real built database into which remote images are written directly (sqlite-utils), as if a
note had slipped past `check`: shared by the memo tests of the page, the download and the browser;
and ``loaded``, the addresses a page would fetch, read with the standard library's HTML parser."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import sqlite_utils

from ingest.build import build

from .conftest import NOTES

TRACKER = "tracker.invalid"
# Written into the summaries (and one title) of three findings of one theme, in the memo's order.
SLIPPED = [
    "\n\n[px]: https://tracker.invalid/definition.png",  # a definition in one finding …
    "\n\nLook: ![px] and ![also][px] and ![px][]",  # … used in another, in every reference form
    '\n\n![inline](https://tracker.invalid/inline.png) <img src="//tracker.invalid/raw.png" alt="raw"> '
    '<IMG SRC="&#104;ttps://tracker.invalid/entity.png"> ![local](/-/static/app.css)',
]


def slipped_db(folder: Path) -> tuple[Path, str]:
    """A database built from the real notes, then given remote images; and the theme whose memo shows them."""
    shutil.copytree(NOTES, folder / "notes")
    db_path = folder / "insights.db"
    build(folder / "notes", db_path)
    db = sqlite_utils.Database(db_path)
    theme, = db.execute("select theme_id from findings_themes group by theme_id having count(*) >= 3 "
                        "order by count(*) desc, theme_id limit 1").fetchone()
    ids = [row[0] for row in db.execute("select finding_id from findings_themes where theme_id = ? order by finding_id "
                                        "limit 3", [theme]).fetchall()]
    with db.conn:
        for finding_id, text in zip(ids, SLIPPED):
            summary = db["findings"].get(finding_id)["summary"]
            db["findings"].update(finding_id, {"summary": summary + text})
        title = db["findings"].get(ids[0])["title_ko"]
        db["findings"].update(ids[0], {"title_ko": title + " ![t](https://tracker.invalid/title.png)"})
    db.close()
    return db_path, theme


class Loads(HTMLParser):
    """Every address an element would fetch as a page opens: src, srcset, poster, data, background,
    href on anything but a link to follow (<a>), and url() in a style attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "srcset", "poster", "data", "background") or (name == "href" and tag != "a"):
                self.addresses.append(value or "")
            elif name == "style" and "url(" in (value or ""):
                self.addresses.append(value)


def loaded(page: str) -> list[str]:
    parser = Loads()
    parser.feed(page)
    parser.close()
    return parser.addresses
