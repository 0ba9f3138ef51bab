"""SQL function ``finding_url(id)``: the public URL of a finding's row page.

Memo exports and canned queries cite findings by URL; ids contain '/', which
Datasette tilde-encodes in row URLs. The host comes from the ``insights`` plugin
setting ``public_url`` in metadata.json.
"""

from datasette import hookimpl
from datasette.utils import tilde_encode

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8001"


def finding_path(datasette, finding_id: str) -> str:
    return datasette.urls.row("insights", "findings", tilde_encode(finding_id))


@hookimpl
def prepare_connection(conn, database, datasette):
    config = datasette.plugin_config("insights") or {}
    public_url = config.get("public_url", DEFAULT_PUBLIC_URL).rstrip("/")

    def finding_url(finding_id):
        return None if finding_id is None else public_url + finding_path(datasette, finding_id)

    conn.create_function("finding_url", 1, finding_url, deterministic=True)
