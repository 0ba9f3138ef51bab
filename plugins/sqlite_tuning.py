"""Read settings for Datasette's SQLite connections.

Facets and search look up thousands of scattered findings rows per request. Memory-mapped
reads and a larger page cache keep those pages in place between queries instead of copying
them through read() each time; at 100k findings this roughly halves a Korean search's
lookups (measured with `make bench`). Both only read; neither changes the file.
"""

from datasette import hookimpl

MMAP_BYTES = 1 << 30  # address space only; the OS pages in what is read
CACHE_KIB = 64 * 1024  # per connection


@hookimpl
def prepare_connection(conn):
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
