"""insights.db: writing a build in one transaction (write), the in-memory facet index of a
build (facet_index), and a findings page's facet counts from either (facet_counts), read by the
Datasette plugin."""
