"""Notes on disk to checked Note objects: discover → parse → validate, against the vocabulary.

The bottom of the pipeline: nothing here imports from the rest of ingest.
"""
