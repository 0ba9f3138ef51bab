"""Korean-aware full-text search: what is indexed (index_text), how a query is read (query),
how a snippet is highlighted (snippet), all through one analyser (korean) and its cache.

Shared by the build and by the Datasette plugin; it knows nothing of notes or Datasette.
"""
