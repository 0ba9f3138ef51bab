"""insights.db: writing a build in one transaction (write) and the in-memory facet index of a
build (facet_index), read by the Datasette plugin."""
