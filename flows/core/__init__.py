"""Stage 6a: one document, end to end, as plain Python: settings, page reading, the pipeline, the runner and its outcome."""
