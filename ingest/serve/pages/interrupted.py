"""A query that ran past ``sql_time_limit_ms`` where no view catches it: Datasette's own answer,
a 400 "SQL query took too long", never a 500."""

from __future__ import annotations

from datasette.views.base import DatasetteError

TOO_LONG = ("<p>SQL query took too long. The time limit is controlled by the "
            '<a href="https://docs.datasette.io/en/stable/settings.html#sql-time-limit-ms">sql_time_limit_ms</a> '
            "configuration option.</p>")


def too_long() -> DatasetteError:
    """The error Datasette's query and table views raise for an interrupted query."""
    return DatasetteError(TOO_LONG, title="SQL Interrupted", status=400, message_is_html=True)
