"""Seeded generator of budget-disclosure tables with exact ground truth.

Pipeline: ``budget`` (numbers) + ``details`` (econ lines, projects, units,
三公) -> ``forms*`` via ``catalog`` (TableSpec, geometry-free) -> ``layout``
(rectangles in points, pages) -> ``render`` (page image) + ``truth``
(DocumentResult) -> ``degrade``/``skew`` (scan noise, truth follows) ->
``pdf``/``garbled`` (image-only, born-digital or wrong-text-layer PDF).
``sample`` builds the bundled sample; ``document``/``variants``/``real``/
``corpus`` build the benchmark corpus.
"""
