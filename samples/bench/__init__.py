"""Benchmark of the pipeline against a naive OCR baseline on the synthetic corpus.

``score`` and ``teds`` are pure (no OCR, no files) and unit-tested;
``baseline`` is the comparison system; ``predict`` runs one system in its own
process (so its peak memory is its own); ``report`` aggregates and writes
JSON + Markdown; ``python -m samples.bench`` ties them together.
"""
