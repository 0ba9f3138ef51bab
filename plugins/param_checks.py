"""Query parameters that Datasette 0.65 would answer with a 500, or take to SQL as an identifier
it never checked, are answered with a 400 that names the parameter, before any query runs.

At the door (``asgi_wrapper``, every path: Datasette parses some of them before any hook):

- ``_facet…=`` configs: JSON, when given, must be an object (``load_facet_configs`` raises on
  anything else, in every facet class);
- ``column__in=[…]`` / ``column__notin=[…]``: a JSON list of plain values (Datasette parses it
  with ``json.loads`` and binds its items);
- ``_sort`` and ``_sort_desc`` not both; ``_timelimit`` a whole number of milliseconds;
- ``_through``: a JSON object with ``table``, ``column`` and a plain ``value``;
- ``_where`` (SQL by design, where execute-sql is allowed): no SQL parameters (``?``, ``:name``,
  ``@name``, ``$name``), which nothing binds.

Against the table's schema (``filters_from_request``, table pages and the exports that share
their machinery): the column of every column filter (``kind__not=``: SQLite would read an unknown
"column" as a string and match nothing), of a column, counted, array or date facet, of
``_sort``/``_sort_desc`` and ``_fts_pk``; ``_fts_table``; ``_through``'s table (with a foreign key
to this one) and column.
"""

import json
import re

from datasette import hookimpl
from datasette.handle_exception import handle_exception as datasette_error_page
from datasette.utils.asgi import BadRequest, Request

COLUMN_FACETS = ("_facet", "_facet_column", "_facet_counted", "_facet_array", "_facet_date")
PLAIN = (str, int, float, bool, type(None))  # what SQLite can bind
# SQL text without its string literals, quoted identifiers and comments (as SQLite's lexer reads them).
# An unclosed '[' runs to the end (SQLite refuses it anyway): were it required to close, each of
# n '[' would scan to the end of the text for a ']' — quadratic in a request's length.
QUOTED = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|\[[^\]]*(?:\]|\Z)|`(?:[^`]|``)*`|--[^\n]*|/\*.*?(?:\*/|\Z)""",
                    re.DOTALL)
PARAMETER = re.compile(r"[?:@$]")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def checked(scope, receive, send):
            if scope["type"] == "http" and scope.get("query_string"):
                request = Request(scope, receive)
                try:
                    check_syntax(request.args)
                except BadRequest as error:
                    response = await datasette_error_page(datasette, request, error)()
                    return await response.asgi_send(send)
            return await app(scope, receive, send)

        return checked

    return wrap


def check_syntax(args) -> None:
    for key in args:
        values = args.getlist(key)
        if key.startswith("_facet") and key != "_facet_size":
            for value in values:
                if value.startswith("{"):
                    json_value(key, value, dict)
        elif key.endswith(("__in", "__notin")):
            for value in values:
                if value.startswith("[") and not all(isinstance(item, PLAIN) for item in json_value(key, value, list)):
                    raise BadRequest(f"{key}: give a JSON list of strings or numbers")
    if "_sort" in args and "_sort_desc" in args:
        raise BadRequest("_sort and _sort_desc: give one of them")
    if (limit := args.get("_timelimit")) is not None and not (limit.isascii() and limit.isdigit()):
        raise BadRequest(f"_timelimit: {limit!r} is not a whole number of milliseconds")
    for value in args.getlist("_through"):
        through = json_value("_through", value, dict)
        if not (isinstance(through.get("table"), str) and isinstance(through.get("column"), str)
                and "value" in through and isinstance(through["value"], PLAIN)):
            raise BadRequest('_through: give {"table": …, "column": …, "value": …}')
    for clause in args.getlist("_where"):
        if PARAMETER.search(QUOTED.sub(" ", clause)):
            raise BadRequest("_where: SQL parameters (?, :name, @name, $name) cannot be given a value here; "
                             "write the value into the clause")


def json_value(key: str, value: str, kind: type):
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        raise BadRequest(f"{key}: not valid JSON ({error})") from None
    if not isinstance(parsed, kind):
        raise BadRequest(f"{key}: expected a JSON {'object' if kind is dict else 'list'}")
    return parsed


@hookimpl(tryfirst=True)
def filters_from_request(request, database, table, datasette):
    async def check():
        db = datasette.get_database(database)
        columns = await db.table_columns(table)
        check_filter_columns(request.args, columns + ["rowid"])  # every table here has a rowid
        check_facet_columns(request.args, columns)
        sortable = set(datasette.table_metadata(database, table).get("sortable_columns") or columns)
        check_sort(request.args, sortable if await db.primary_keys(table) else sortable | {"rowid"})
        if (fts_table := request.args.get("_fts_table")) is not None and fts_table not in await db.table_names():
            raise BadRequest(f"_fts_table: {fts_table!r} is not a table")
        if (fts_pk := request.args.get("_fts_pk")) is not None and fts_pk not in columns + ["rowid"]:
            raise BadRequest(f"_fts_pk: {fts_pk!r} is not a column of this table")
        for value in request.args.getlist("_through"):
            await check_through(db, table, json.loads(value))

    return check


def check_filter_columns(args, columns: list[str]) -> None:
    """``column=``, ``column__lookup=``: what Datasette's table view reads as column filters."""
    for key in args:
        if not (key.startswith("_") and "__" not in key):
            column = key.rsplit("__", 1)[0] if "__" in key else key
            if column not in columns:
                raise BadRequest(f"{key}: {column!r} is not a column of this table (one of: {', '.join(columns)})")


def check_facet_columns(args, columns: list[str]) -> None:
    for key in COLUMN_FACETS:
        for value in args.getlist(key):
            config = json.loads(value) if value.startswith("{") else {"simple": value}
            column = config.get("column") or config.get("simple")
            if column not in columns:
                raise BadRequest(f"{key}: {column!r} is not a column of this table (one of: {', '.join(columns)})")


def check_sort(args, sortable: set[str]) -> None:
    for key in ("_sort", "_sort_desc"):
        column = args.get(key)
        if column is not None and column not in sortable:
            raise BadRequest(f"{key}: cannot sort by {column!r} (sortable: {', '.join(sorted(sortable))})")


async def check_through(db, table: str, through: dict) -> None:
    if not any(fk["other_table"] == table for fk in await db.foreign_keys_for_table(through["table"])):
        raise BadRequest(f"_through: {through['table']!r} is not a table with a foreign key to {table}")
    if through["column"] not in await db.table_columns(through["table"]):
        raise BadRequest(f"_through: {through['column']!r} is not a column of {through['table']}")
