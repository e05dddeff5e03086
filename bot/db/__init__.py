"""Storage: SQLModel tables, async sessions, repositories and Alembic migrations."""
