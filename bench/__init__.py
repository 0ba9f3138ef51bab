"""Benchmarks: run standalone (``python -m bench.export``), never part of ``make test``."""
