"""Turn Markdown notes of smart-city policy findings into insights.db.

parse (notes → Note objects) → validate (problems with file:line) → write (one SQLite transaction).
"""

__version__ = "0.1.0"
