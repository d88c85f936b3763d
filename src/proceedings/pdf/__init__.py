"""Reading PDFs: the text layer, the document structure, the file's facts."""
