"""Storage, just above the kernel: the database (``db``: engine, sessions, dialect-aware inserts,
migrations run at start), the tables every capability shares (``models``: people, accounts,
roles, units, questions, the Zalo menus), who is staff (``roles``), and the Alembic history
(``migrations/``; its ``env.py`` is Alembic's script and loads every model module).

May import the kernel only."""
