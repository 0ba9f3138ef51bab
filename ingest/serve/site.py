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


def prefixed_once(url: str, base_url: str) -> str:
    """``url`` with the ``base_url`` prefix once: Datasette 0.65 prefixes its own "This data as"
    and CSV links (``renderers``, ``url_csv``) twice under a base_url (``/kb/kb/…``, a 404)."""
    url = str(url)
    if base_url != "/" and url.startswith(base_url + base_url.lstrip("/")):
        return url[len(base_url) - 1:]
    return url


def links_prefixed_once(page: str, base_url: str) -> str:
    """Every ``href="/kb/kb/…"`` of a rendered page as ``href="/kb/…"`` (see ``prefixed_once``)."""
    if base_url == "/":
        return page
    return page.replace(f'href="{base_url}{base_url.lstrip("/")}', f'href="{base_url}')
