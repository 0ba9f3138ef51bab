"""SQL functions for citing findings: ``finding_url(id)``, ``citation(...)`` and ``unwrap(text)``.

Memo exports and canned queries cite findings by URL; ids contain '/', which
Datasette tilde-encodes in row URLs. The host comes from the ``insights`` plugin
setting ``public_url`` in metadata.json. ``citation`` and ``unwrap`` are the very
functions the memo draft and the Excel exports use (``ingest/memo/citation.py``,
``ingest/memo/text.py``), so a canned query cites and unwraps text exactly as they do.
"""

from datasette import hookimpl

from ingest.memo.citation import DEFAULT_PUBLIC_URL, citation_sql_function, finding_url
from ingest.memo.text import unwrap


@hookimpl
def prepare_connection(conn, database, datasette):
    config = datasette.plugin_config("insights") or {}
    public_url = config.get("public_url", DEFAULT_PUBLIC_URL)
    base_url = datasette.setting("base_url")

    def sql_finding_url(finding_id):
        return None if finding_id is None else finding_url(public_url, finding_id, base_url)

    conn.create_function("finding_url", 1, sql_finding_url, deterministic=True)
    # citation(lang, organization, title, source_type, event, place, start, end, rule, url)
    conn.create_function("citation", 10, citation_sql_function, deterministic=True)
    conn.create_function("unwrap", 1, unwrap, deterministic=True)
