"""Storage: the only code that talks SQL (SQLite by default, PostgreSQL for team servers)."""
