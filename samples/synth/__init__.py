"""Seeded generator of budget-disclosure tables with exact ground truth.

Pipeline: ``budget`` (numbers) -> ``forms`` (TableSpec, geometry-free) ->
``layout`` (rectangles in points) -> ``render`` (page image) + ``truth``
(DocumentResult) -> ``degrade`` (scan noise) -> ``pdf`` (image-only or
born-digital PDF).
"""
