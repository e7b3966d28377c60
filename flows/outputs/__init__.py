"""Stage 7: a document's results written as files (result.json, CSV, workbook) and the archive's panel export."""
