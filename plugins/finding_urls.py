"""SQL functions for citing findings: ``finding_url(id[, site])``, ``citation(...)``, ``unwrap(text)``,
and the magic parameter ``:_insights_public_url`` that gives canned queries the site to cite.

Memo exports and canned queries cite findings by URL; ids contain '/', which Datasette
tilde-encodes in row URLs. The site is the ``insights`` plugin's ``public_url`` when
metadata.json sets it, else the scheme and host the request was served from
(``ingest.memo.citation.cited_site``). SQL functions have no request, so a canned query
passes the site as a bound parameter: ``finding_url(f.id, :_insights_public_url)``.
``finding_url(id)`` alone falls back to ``public_url`` or http://127.0.0.1:8001.
``citation`` and ``unwrap`` are the very functions the memo draft and the Excel exports use
(``ingest/memo/citation.py``, ``ingest/memo/text.py``), so a canned query cites and unwraps
text exactly as they do.
"""

from datasette import hookimpl

from ingest.memo.citation import DEFAULT_PUBLIC_URL, citation_sql_function, finding_url
from ingest.serve.site import request_site
from ingest.memo.text import unwrap


@hookimpl
def prepare_connection(conn, database, datasette):
    config = datasette.plugin_config("insights") or {}
    fallback_site = config.get("public_url") or DEFAULT_PUBLIC_URL
    base_url = datasette.setting("base_url")

    def sql_finding_url(finding_id, site=None):
        return None if finding_id is None else finding_url(fallback_site if site is None else site, finding_id, base_url)

    conn.create_function("finding_url", 1, sql_finding_url, deterministic=True)
    conn.create_function("finding_url", 2, sql_finding_url, deterministic=True)
    # citation(lang, organization, title, source_type, event, place, start, end, rule, url)
    conn.create_function("citation", 10, citation_sql_function, deterministic=True)
    conn.create_function("unwrap", 1, unwrap, deterministic=True)


@hookimpl
def register_magic_parameters(datasette):
    def insights(key, request):
        if key == "public_url":
            return request_site(datasette, request)
        raise KeyError(key)

    return [("insights", insights)]
