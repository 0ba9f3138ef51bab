"""The Datasette side: code that the plugins in plugins/ share (Datasette loads each plugin
file on its own, so one cannot import another): facet counts, and the exports' selection,
limits and streamed response. The only part of ingest that imports Datasette; nothing else
in ingest imports it."""
