"""The glossary of formulations: entries, the files they come in, and where a term and its
rendering occur in aligned text. Pure: no database, no web."""
