"""Stage 1: an input file becomes pages: images (pdf2image or pdfium), text layers, the verdict on a text layer, seal ink taken out."""
