"""Translation checks: pure functions from a document's aligned pairs (and the glossary)
to findings per aligned row. No database, no web."""
