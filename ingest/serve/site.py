"""The site a citation names, for a request: ``plugins.insights.public_url`` in metadata.json
when it is set, else the address the page was served from (``ingest.memo.citation.cited_site``)."""

from ingest.memo.citation import cited_site


def request_site(datasette, request) -> str:
    """``cited_site`` for a Datasette request (``https`` when the ``force_https_urls`` setting is on).

    Its ``public_url`` is the ``insights`` plugin's setting in metadata.json.
    """
    public_url = (datasette.plugin_config("insights") or {}).get("public_url")
    try:
        return cited_site(public_url, datasette.absolute_url(request, "/"))
    except ValueError:
        return ""  # a forged Host: cite the path alone, never an address nobody served
