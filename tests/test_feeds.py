"""Atom feeds of findings selections (plugins/feeds.py, ingest/serve/feed.py) and the dates they
are ordered by (findings.updated, kept across builds by ingest/db/dates.py): read back with
feedparser from a real Datasette over a real build."""

from __future__ import annotations

import sqlite3
import urllib.parse
from contextlib import closing
from pathlib import Path

import feedparser
import pytest

from ingest.build import build

from .conftest import WILTON, make_datasette

T1, T2, T3 = "1767225600", "1769904000", "1772323200"  # 2026-01-01, 2026-02-01, 2026-03-01 (UTC)
ISO = {T1: "2026-01-01T00:00:00+00:00", T2: "2026-02-01T00:00:00+00:00", T3: "2026-03-01T00:00:00+00:00"}
EDITED = "so the discussion reflects a broad, mostly European view."


def dates(db: Path) -> dict[str, str]:
    with closing(sqlite3.connect(db)) as conn:
        return dict(conn.execute("select id, updated from findings"))


def ids_where(db: Path, sql: str, params=()) -> set[str]:
    with closing(sqlite3.connect(db)) as conn:
        return {row[0] for row in conn.execute(sql, params)}


async def feed_of(ds, query: str = ""):
    response = await ds.client.get("/insights/findings.atom" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return response, parsed


def entry_ids(parsed) -> list[str]:
    """Finding ids, from the entries' links (…/insights/findings/<note>~2F<finding>)."""
    return [urllib.parse.unquote(e.link.rsplit("/", 1)[1]).replace("~2F", "/") for e in parsed.entries]


def newest_first(parsed) -> bool:
    updated = [e.updated for e in parsed.entries]
    return updated == sorted(updated, reverse=True)


# What a feed holds ----------------------------------------------------------------------------

async def test_a_theme_feed_holds_the_findings_of_its_theme_newest_first(ds, db_path):
    """Broken if the feed's selection is not the page's ``_theme`` filter, if it is not valid
    Atom, or if entries are not in order of ``updated``."""
    response, parsed = await feed_of(ds, "_theme=crowdfunding")
    tagged = ids_where(db_path, "select finding_id from findings_themes where theme_id = 'crowdfunding'")
    assert tagged and set(entry_ids(parsed)) == tagged and len(parsed.entries) == len(tagged)
    assert newest_first(parsed)
    entry = parsed.entries[0]
    assert "크라우드펀딩" in entry.title and "crowdfunding" in entry.title  # Korean title with the English one
    assert entry.updated == ISO[T1] and entry.author == "국토연구원"
    assert "crowdfunding" in [t.term for t in entry.tags]
    html = entry.content[0].value
    assert "<blockquote>" in html and "클라우드" in html  # the quote
    assert "Wilton Park" in html  # the source's title


async def test_a_search_feed_holds_what_the_findings_page_finds(ds):
    """Broken if ``_search`` in a feed is not the page's Korean-aware search (korean_search's
    escape_fts through the page's filters_from_request hooks)."""
    _, parsed = await feed_of(ds, "_search=" + urllib.parse.quote("거버넌스"))
    page = (await ds.client.get("/insights/findings.json?_shape=objects&_size=max&_search="
                                + urllib.parse.quote("거버넌스"))).json()
    found = {row["id"] for row in page["rows"]}
    assert found and set(entry_ids(parsed)) == found


async def test_entries_are_in_order_of_updated_newest_first(notes_dir, db_path, wilton_note, monkeypatch):
    """Broken if the feed is in the table's order rather than newest first, or cuts the newest."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", T2)
    other = wilton_note.replace(f"id: {WILTON}", "id: 2016-04-other-forum")
    (notes_dir / "other.md").write_text(other, encoding="utf-8")
    build(notes_dir, db_path)
    _, parsed = await feed_of(make_datasette(db_path))
    assert newest_first(parsed)
    newer = [e for e in parsed.entries if e.updated == ISO[T2]]
    assert len(newer) == 15 and parsed.entries[:15] == newer
    assert all("2016-04-other-forum" in e.link for e in newer)
    assert parsed.feed.updated == ISO[T2]


async def test_an_empty_selection_is_a_valid_empty_feed(ds):
    """Broken if an empty selection is an error (datasette-atom's is a 500) or not valid Atom."""
    for query in ("_theme=no-such-theme", "_search=zzzqqqxxx", "kind=no-such-kind"):
        response, parsed = await feed_of(ds, query)
        assert parsed.entries == [] and parsed.feed.updated and parsed.feed.title


async def test_korean_arrives_intact_as_utf8(ds):
    """Broken if the feed drops its XML declaration or writes Korean as anything but UTF-8."""
    response, parsed = await feed_of(ds, "_theme=crowdfunding")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert "시민이 주체가 되는 크라우드펀딩의 필요성".encode() in response.content
    assert b"&#" not in response.content


async def test_links_are_absolute_on_the_cited_site(db_path):
    """Broken if a feed links relatively, or names another site than ``public_url``."""
    ds = make_datasette(db_path, {"insights": {"public_url": "https://insights.example.org"}})
    _, parsed = await feed_of(ds, "_theme=crowdfunding")
    for entry in parsed.entries:
        assert entry.link.startswith("https://insights.example.org/insights/findings/")
        assert entry.id == entry.link
    assert parsed.feed.id == "https://insights.example.org/insights/findings.atom?_theme=crowdfunding"
    assert parsed.feed.link == "https://insights.example.org/insights/findings?_theme=crowdfunding"
    _, served = await feed_of(make_datasette(db_path), "_theme=crowdfunding")
    assert all(e.link.startswith("http://localhost/insights/findings/") for e in served.entries)


async def test_hostile_text_in_the_query_stays_bound(ds):
    """Broken if a feed's request values reach its SQL as text."""
    for query in ("_search=" + urllib.parse.quote("'; drop table findings; --"),
                  "_theme=" + urllib.parse.quote("x' or 1=1 --"), "source_id=" + urllib.parse.quote("' or ''='")):
        _, parsed = await feed_of(ds, query)
        assert parsed.entries == []


async def test_hostile_html_in_a_summary_arrives_sanitised(db_path):
    """Broken if a summary's script, event handler, javascript: link or remote image reaches the
    feed (a database written by other means: the build refuses remote content in notes)."""
    hostile = ("Fine text. <script>alert('s')</script><img src=x onerror=\"alert('e')\">"
               "[click](javascript:alert('j')) <a href=\"JaVaScRiPt:alert('k')\">k</a> "
               "![remote](https://tracker.example/pixel.png) <img src=\"https://tracker.example/i.png\">"
               "<iframe src=\"https://evil.example/\"></iframe><a href=\"/insights/themes\" onclick=\"x()\">local</a>")
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("update findings set summary = ? where id = ?", (hostile, f"{WILTON}/citizen-crowdfunding"))
    _, parsed = await feed_of(make_datasette(db_path), "_theme=crowdfunding")
    html = next(e for e in parsed.entries if e.link.endswith("citizen-crowdfunding")).content[0].value
    assert "Fine text." in html
    for forbidden in ("<script", "alert(", "onerror", "onclick", "javascript:", "<img", "tracker.example",
                      "<iframe", "evil.example"):
        assert forbidden not in html.lower(), forbidden
    assert 'href="http://localhost/insights/themes"' in html  # a relative link made absolute


async def test_a_public_instance_feed_holds_only_public_findings(tmp_path, notes_dir, wilton_note):
    """Broken if a public build (hence its feeds) held an internal finding."""
    secret = "- id: citizen-crowdfunding\n- access: internal"
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace("- id: citizen-crowdfunding", secret), encoding="utf-8")
    public = tmp_path / "public" / "insights.db"
    public.parent.mkdir()
    build(notes_dir, public, public=True)
    _, parsed = await feed_of(make_datasette(public))
    _, crowdfunding = await feed_of(make_datasette(public), "_theme=crowdfunding")
    assert len(parsed.entries) == 14
    assert not [e for e in parsed.entries + crowdfunding.entries if "citizen-crowdfunding" in e.link]


# Where the feeds are linked ------------------------------------------------------------------

async def test_the_findings_page_links_the_feed_of_its_selection(ds):
    """Broken if the findings page loses its <link rel=alternate> or its visible feed link, or
    they stop carrying the page's selection."""
    query = "_theme=crowdfunding&_search=" + urllib.parse.quote("펀딩")
    html = (await ds.client.get(f"/insights/findings?{query}")).text
    href = f"/insights/findings.atom?{query}".replace("&", "&amp;")
    assert f'<link rel="alternate" type="application/atom+xml" title="시사점 · Findings (Atom)" href="{href}">' in html
    assert f'<a class="feed-link" href="{href}">' in html
    _, parsed = await feed_of(ds, query)
    assert entry_ids(parsed) == [f"{WILTON}/citizen-crowdfunding"]


@pytest.mark.parametrize("page", ["/", "/themes"])
async def test_each_theme_on_the_home_and_themes_pages_links_its_feed(ds, db_path, page):
    """Broken if a theme on the home or themes page has no feed link, or it points elsewhere."""
    html = (await ds.client.get(page)).text
    themes = ids_where(db_path, "select id from themes")
    for theme in themes:
        assert f'<a class="feed-link" href="/insights/findings.atom?_theme={theme}"' in html, theme
    assert '<link rel="alternate" type="application/atom+xml"' in html
    _, parsed = await feed_of(ds, "_theme=financing")
    assert parsed.entries


# Dates that survive builds -------------------------------------------------------------------

def test_dates_stay_the_same_across_a_full_rebuild(notes_dir, db_path, monkeypatch):
    """Broken if a full build (``--full``, a new vocabulary or schema) dates findings anew."""
    before = dates(db_path)
    assert set(before.values()) == {ISO[T1]}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", T2)
    stats, _ = build(notes_dir, db_path, full=True)
    assert stats.full and dates(db_path) == before
    with closing(sqlite3.connect(db_path)) as conn, conn:  # an older schema: the next build is a full one
        conn.execute("update build_info set schema_version = 1")
    build(notes_dir, db_path)
    assert dates(db_path) == before


def test_a_public_build_keeps_the_dates_of_the_file_it_replaces(tmp_path, notes_dir, monkeypatch):
    """Broken if a public build (always a full build into a fresh file) forgets its dates."""
    public = tmp_path / "public" / "insights.db"
    public.parent.mkdir()
    build(notes_dir, public, public=True)
    before = dates(public)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", T2)
    build(notes_dir, public, public=True)
    assert dates(public) == before and set(before.values()) == {ISO[T1]}


async def test_new_and_edited_findings_get_a_later_date_unchanged_ones_keep_theirs(notes_dir, db_path, wilton_note,
                                                                                  monkeypatch):
    """Broken if an incremental build redates the unchanged findings of a changed note, or does
    not date a new note's findings or an edited finding at its own time."""
    assert EDITED in wilton_note
    monkeypatch.setenv("SOURCE_DATE_EPOCH", T2)
    (notes_dir / "other.md").write_text(wilton_note.replace(f"id: {WILTON}", "id: 2016-04-other-forum"),
                                        encoding="utf-8")
    stats, _ = build(notes_dir, db_path)
    assert not stats.full
    after = dates(db_path)
    assert {d for i, d in after.items() if i.startswith("2016-04-other-forum/")} == {ISO[T2]}
    assert {d for i, d in after.items() if i.startswith(WILTON)} == {ISO[T1]}

    monkeypatch.setenv("SOURCE_DATE_EPOCH", T3)
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace(EDITED, "so the view was mostly European."),
                                            encoding="utf-8")
    build(notes_dir, db_path)
    edited = dates(db_path)
    changed = {i for i in edited if edited[i] != after[i]}
    assert changed == {f"{WILTON}/forum-scope"} and edited[f"{WILTON}/forum-scope"] == ISO[T3]
    _, parsed = await feed_of(make_datasette(db_path))
    assert entry_ids(parsed)[0] == f"{WILTON}/forum-scope" and newest_first(parsed)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775001600")
    stats, _ = build(notes_dir, db_path, full=True)  # and a full rebuild keeps every one of them
    assert dates(db_path) == edited


def test_a_removed_finding_leaves_no_date_behind(notes_dir, db_path, wilton_note):
    """Broken if ``finding_dates`` keeps ids of findings the database no longer holds (a public
    file would keep the ids of findings it does not publish)."""
    (notes_dir / "other.md").write_text(wilton_note.replace(f"id: {WILTON}", "id: 2016-04-other-forum"),
                                        encoding="utf-8")
    build(notes_dir, db_path)
    (notes_dir / "other.md").unlink()
    build(notes_dir, db_path)
    assert ids_where(db_path, "select id from finding_dates") == ids_where(db_path, "select id from findings")


def test_a_mistyped_source_date_epoch_changes_nothing(notes_dir, db_path, wilton_note, monkeypatch):
    """Broken if a bad SOURCE_DATE_EPOCH is ignored, or stops the build after it wrote."""
    before = dates(db_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    (notes_dir / "other.md").write_text(wilton_note.replace(f"id: {WILTON}", "id: 2016-04-other-forum"),
                                        encoding="utf-8")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        build(notes_dir, db_path)
    assert dates(db_path) == before


def test_a_public_build_over_an_internal_file_keeps_no_byte_of_its_internal_ids(tmp_path, notes_dir, wilton_note):
    """Broken if a public build written where an internal build was keeps the internal build's
    dates of findings it does not publish: their ids would be in its bytes."""
    secret = "- id: zz-internal-budget-secret\n- access: internal"
    (notes_dir / f"{WILTON}.md").write_text(wilton_note.replace("- id: citizen-crowdfunding", secret), encoding="utf-8")
    path = tmp_path / "shared" / "insights.db"
    path.parent.mkdir()
    build(notes_dir, path)  # an internal build where the public one will be written
    assert f"{WILTON}/zz-internal-budget-secret" in dates(path)
    build(notes_dir, path, public=True)
    assert b"zz-internal-budget-secret" not in path.read_bytes()
    assert len(dates(path)) == 14 and set(dates(path).values()) == {ISO[T1]}
