"""The CSV of every canned query (``/insights/memo.csv``, the memo export the README offers)
guards its cells against formulas, as ``/-/export.csv`` does: ``ingest/serve/query_csv.py``.
The ``.csv`` twins of tables stay raw data; their pages say so beside the link."""

from datasette import hookimpl

from ingest.serve.query_csv import guard_query_csv


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: guard_query_csv(app, datasette)
