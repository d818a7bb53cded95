"""Loading a new Postcode table beside the one the finder reads, and swapping it in.

An import must never make the finder wait. The new rows go into a table of their own, inside
the import's transaction, while the finder goes on reading the current table untouched; its
indexes are built there too. Only at the very end is the current table dropped and the new one
renamed into its place, just before the commit: the lock that takes is held for milliseconds,
not for the whole import (as TRUNCATE's was). A failure or an interrupt rolls back everything,
the new table with it.

On SQLite the database is put in WAL mode, where readers never wait for a writer and go on
seeing the data as it was until the import commits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import IntegrityError, connection

from .models import Postcode

# The order the importer gives each row's fields in (teams.postcodes.FILE_ROWS_RE's groups), all
# as text, "" for no district or ward.
COLUMNS = (
    "postcode",
    "sector",
    "outward",
    "quality",
    "easting",
    "northing",
    "district_id",
    "ward_id",
)
SUFFIX = "__new"
INDEX_DEFINITION_RE = re.compile(r"^(CREATE (?:UNIQUE )?INDEX )(\S+)( ON (?:ONLY )?)(\S+)")


class DuplicatePostcode(Exception):
    """The file has the same postcode twice."""


def use_wal() -> None:
    """SQLite: readers carry on while an import writes (kept in the database file)."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")


class NewPostcodeTable:
    """The Postcode table being built by an import; `swap()` puts it in the current one's place.

    Use inside a transaction.
    """

    def __init__(self, cursor):
        self.cursor = cursor
        self.quote = connection.ops.quote_name
        self.table = Postcode._meta.db_table
        self.name = self.table + SUFFIX
        self.postgresql = connection.vendor == "postgresql"
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.quote(self.name)}")
        if self.postgresql:
            # Everything LIKE can copy: not-nulls, defaults, and the checks (the positive
            # integers' ">= 0") under their own names, which are the table's, so no clash. Not
            # the indexes, built after the load by `build_indexes()`; LIKE copies no foreign
            # key, and Postcode has none (its district and ward are loaded as they come).
            self.cursor.execute(
                f"CREATE TABLE {self.quote(self.name)} "
                f"(LIKE {self.quote(self.table)} INCLUDING ALL EXCLUDING INDEXES)"
            )
            self._restore_checks()
            # Index builds are much quicker with more memory (this transaction only).
            self.cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        else:
            # SQLite cannot add a primary key later: the table is made from the current one's
            # definition, key included; the other indexes come after the load.
            self.cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [self.table]
            )
            (definition,) = self.cursor.fetchone()
            self.cursor.execute(
                re.sub(r'^CREATE TABLE\s+("?)\w+\1', f'CREATE TABLE "{self.name}"', definition)
            )

    def _restore_checks(self) -> None:
        """PostgreSQL: the checks `migrate` gives the fields, on the new table, in case the
        current one has lost them (imports before LIKE copied constraints dropped them)."""
        self.cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", [self.name]
        )
        present = {name for (name,) in self.cursor.fetchall()}
        for field in Postcode._meta.local_fields:
            check = field.db_parameters(connection)["check"]
            name = f"{self.table}_{field.column}_check"  # PostgreSQL's name for a column check
            if check and name not in present:
                self.cursor.execute(
                    f"ALTER TABLE {self.quote(self.name)} "
                    f"ADD CONSTRAINT {self.quote(name)} CHECK ({check})"
                )

    def load(self, batches: Iterable[list[tuple[str, ...]]]) -> int:
        """Write the rows (text in COLUMNS order, "" for none) into the new table; returns how
        many."""
        if self.postgresql:
            return self._copy(batches)
        sql = (
            f"INSERT INTO {self.quote(self.name)} ({', '.join(COLUMNS)}) "  # noqa: S608
            "VALUES (%s, %s, %s, CAST(%s AS INTEGER), CAST(%s AS INTEGER), "
            "CAST(%s AS INTEGER), NULLIF(%s, ''), NULLIF(%s, ''))"
        )
        written = 0
        for batch in batches:
            try:
                self.cursor.executemany(sql, batch)
            except IntegrityError as error:
                raise DuplicatePostcode(str(error)) from None
            written += len(batch)
        return written

    def _copy(self, batches: Iterable[list[tuple[str, ...]]]) -> int:
        written = 0
        sql = f"COPY {self.quote(self.name)} ({', '.join(COLUMNS)}) FROM STDIN"
        with self.cursor.copy(sql) as copy:
            for batch in batches:
                if not batch:
                    continue
                # COPY's text format, joined in C; the checked fields hold no tab, newline or
                # backslash. Only the last two can be empty: those are nulls.
                text = "\n".join(map("\t".join, batch)) + "\n"
                copy.write(text.replace("\t\t", "\t\\N\t").replace("\t\n", "\t\\N\n"))
                written += len(batch)
        return written

    def _postgresql_indexes(self) -> list[tuple[str, str, str | None, str | None]]:
        """(index, definition, constraint, constraint definition) of the current table."""
        self.cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid), c.conname, pg_get_constraintdef(c.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
            WHERE x.indrelid = %s::regclass
            """,
            [self.table],
        )
        return self.cursor.fetchall()

    def build_indexes(self) -> None:
        """PostgreSQL: the current table's key and indexes on the new table, under temporary
        names (duplicates show here). SQLite builds them in `swap()`."""
        if not self.postgresql:
            return
        quote = self.quote
        for index, definition, constraint, constraint_definition in self._postgresql_indexes():
            try:
                if constraint:
                    self.cursor.execute(
                        f"ALTER TABLE {quote(self.name)} ADD CONSTRAINT "
                        f"{quote(constraint + SUFFIX)} {constraint_definition}"
                    )
                else:
                    renamed = f"\\g<1>{quote(index + SUFFIX)}\\g<3>{quote(self.name)}"
                    self.cursor.execute(INDEX_DEFINITION_RE.sub(renamed, definition))
            except IntegrityError as error:
                raise DuplicatePostcode(" ".join(str(error).split())) from None
        self.cursor.execute(f"ANALYZE {quote(self.name)}")

    def counts(self) -> tuple[int, int]:
        """(postcodes in the current table, how many of them the new table no longer has)."""
        quote = self.quote
        self.cursor.execute(f"SELECT COUNT(*) FROM {quote(self.table)}")  # noqa: S608
        (current,) = self.cursor.fetchone()
        if not current:
            return 0, 0
        self.cursor.execute(
            f"SELECT COUNT(*) FROM {quote(self.table)} o WHERE NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {quote(self.name)} n WHERE n.postcode = o.postcode)"
        )
        (removed,) = self.cursor.fetchone()
        return current, removed

    def swap(self) -> None:
        """Drop the current table and put the new one in its place, names and all."""
        quote = self.quote
        if self.postgresql:
            indexes = self._postgresql_indexes()
            self.cursor.execute(f"DROP TABLE {quote(self.table)}")
            self.cursor.execute(f"ALTER TABLE {quote(self.name)} RENAME TO {quote(self.table)}")
            for index, _, constraint, _ in indexes:
                if constraint:
                    self.cursor.execute(
                        f"ALTER TABLE {quote(self.table)} RENAME CONSTRAINT "
                        f"{quote(constraint + SUFFIX)} TO {quote(constraint)}"
                    )
                else:
                    self.cursor.execute(
                        f"ALTER INDEX {quote(index + SUFFIX)} RENAME TO {quote(index)}"
                    )
            return
        self.cursor.execute(
            "SELECT sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [self.table],
        )
        definitions = [definition for (definition,) in self.cursor.fetchall()]
        self.cursor.execute(f"DROP TABLE {quote(self.table)}")
        self.cursor.execute(f"ALTER TABLE {quote(self.name)} RENAME TO {quote(self.table)}")
        for definition in definitions:
            self.cursor.execute(definition)
