"""A query interrupted by the time limit where no view catches it (Datasette 0.65's own index page
reads its hidden tables, a page its cards) answers Datasette's 400 "SQL query took too long",
rendered by Datasette's own error handler, not a 500."""

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.handle_exception import handle_exception as datasette_handle_exception

from ingest.serve.pages.interrupted import too_long


@hookimpl
def handle_exception(datasette, request, exception):
    if isinstance(exception, QueryInterrupted):
        return datasette_handle_exception(datasette, request, too_long())
    return None
