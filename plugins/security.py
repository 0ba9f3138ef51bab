"""At the door, before anything else runs (the outermost ``asgi_wrapper``: ``trylast``):

- a request whose ``Host`` names no name of this instance gets a plain 400
  (``ingest/serve/allowed_hosts.py``; ``plugins.insights.allowed_hosts`` in metadata.json and
  ``INSIGHTS_ALLOWED_HOSTS`` add names to 127.0.0.1 and localhost);
- every response, that 400 included, carries the security headers and its cookies
  ``HttpOnly`` (and ``Secure`` over HTTPS) (``ingest/serve/security_headers.py``).
"""

from datasette import hookimpl

from ingest.serve.allowed_hosts import configured_hosts, refuse_other_hosts
from ingest.serve.security_headers import with_security_headers


@hookimpl(trylast=True)
def asgi_wrapper(datasette):
    allowed = configured_hosts(datasette.plugin_config("insights"))  # a bad name stops the start-up
    force_https = bool(datasette.setting("force_https_urls"))

    def wrap(app):
        return with_security_headers(refuse_other_hosts(app, allowed), force_https)

    return wrap
