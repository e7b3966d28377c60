"""Stage 3c: what each cell says, read by OCR or from the text layer, cleaned, and amounts told apart from names."""
