"""What a feed shows of its findings, read from the database in one go (plugins/feeds.py):
their records as the memo reads them, each source's organization (an entry's author: never a
speaker), and when the build was made (an empty feed's date)."""

from __future__ import annotations

import json
from collections.abc import Callable

from ingest.memo.records import FindingRecord, Selection, read_findings


def read_feed_rows(conn, ids: list[str], url_for: Callable[[str], str],
                   lang: str) -> tuple[list[FindingRecord], dict[str, str], str | None]:
    """(records of ``ids`` in that order, finding id → organization, build_info.built_at or None)."""
    selection = Selection("select value as id from json_each(?) order by key", [json.dumps(ids)])
    records = list(read_findings(conn, selection, url_for, lang))
    organizations = dict(conn.execute(
        "select f.id, coalesce(case when ? = 'ko' then s.organization_ko end, s.organization) "
        "from findings f join sources s on s.id = f.source_id "
        "where f.id in (select value from json_each(?))", [lang, json.dumps(ids)]).fetchall())
    has_build_info = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = 'build_info'").fetchone()
    built = conn.execute("select built_at from build_info").fetchone() if has_build_info else None
    return records, organizations, built[0] if built else None
