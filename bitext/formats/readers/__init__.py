"""Readers of documents as people receive them (DOCX, PDF, HTML, Markdown, plain text):
bytes in, paragraphs out, with a count of everything left out on the way."""
