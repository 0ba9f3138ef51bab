"""Table-page query parameters that Datasette 0.65 would answer with a 500 (or take to SQL
unchecked) are answered with a 400 that names the parameter, before any query runs:

- ``_facet…=`` configs: JSON, when given, must be an object (Datasette's ``load_facet_configs``
  raises on anything else, in every facet class); the column of a column, counted, array or date
  facet must be one of the table's columns (the counted facet checks it again itself).
- ``_sort`` / ``_sort_desc``: a sortable column, and not both (Datasette raises a 500).
- ``_timelimit``: a whole number of milliseconds (Datasette calls ``int()`` on it).
- ``_through``: a JSON object with ``table``, ``column`` and ``value`` (Datasette indexes it).
"""

import json

from datasette import hookimpl
from datasette.utils.asgi import BadRequest

COLUMN_FACETS = ("_facet", "_facet_column", "_facet_counted", "_facet_array", "_facet_date")
THROUGH_KEYS = ("table", "column", "value")


@hookimpl(tryfirst=True)
def filters_from_request(request, database, table, datasette):
    async def check():
        db = datasette.get_database(database)
        columns = await db.table_columns(table)
        check_facets(request, columns)
        sortable = set(datasette.table_metadata(database, table).get("sortable_columns") or columns)
        if not await db.primary_keys(table):
            sortable.add("rowid")
        check_sort(request, sortable)
        check_timelimit(request)
        check_through(request)

    return check


def check_facets(request, columns: list[str]) -> None:
    for key in request.args:
        if not key.startswith("_facet") or key == "_facet_size":
            continue
        for value in request.args.getlist(key):
            config = json_object(key, value) if value.startswith("{") else {"simple": value}
            if key in COLUMN_FACETS:
                column = config.get("column") or config.get("simple")
                if column not in columns:
                    raise BadRequest(f"{key}: {column!r} is not a column of this table (one of: {', '.join(columns)})")


def check_sort(request, sortable: set[str]) -> None:
    if "_sort" in request.args and "_sort_desc" in request.args:
        raise BadRequest("_sort and _sort_desc: give one of them")
    for key in ("_sort", "_sort_desc"):
        column = request.args.get(key)
        if column is not None and column not in sortable:
            raise BadRequest(f"{key}: cannot sort by {column!r} (sortable: {', '.join(sorted(sortable))})")


def check_timelimit(request) -> None:
    value = request.args.get("_timelimit")
    if value is not None and not (value.isascii() and value.isdigit()):
        raise BadRequest(f"_timelimit: {value!r} is not a whole number of milliseconds")


def check_through(request) -> None:
    for value in request.args.getlist("_through"):
        through = json_object("_through", value)
        if not all(isinstance(through.get(key), (str, int, float)) for key in THROUGH_KEYS):
            raise BadRequest("_through: give a JSON object with table, column and value")


def json_object(key: str, value: str) -> dict:
    try:
        config = json.loads(value)
    except json.JSONDecodeError as error:
        raise BadRequest(f"{key}: not valid JSON ({error})") from None
    if not isinstance(config, dict):
        raise BadRequest(f"{key}: expected a JSON object")
    return config
