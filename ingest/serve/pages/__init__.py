"""What the reading-room pages show (plugins/reading_room.py), read with
queries of our own rather than Datasette's template variables: finding cards (cards), a finding's and
a source's page (finding), the home and themes overview (overview) and its chart (chart)."""
