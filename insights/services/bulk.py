"""Set-based writes, for short write transactions."""

from django.db import connection, models


def insert_rows(model: type[models.Model], objs: list[models.Model]) -> tuple[str, list[tuple]]:
    """One INSERT statement and its rows of values, prepared as bulk_create would (field
    defaults, pre_save, database types), to run later with executemany."""
    fields = model._meta.concrete_fields
    name = connection.ops.quote_name
    columns = ", ".join(name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Identifiers come from the model's metadata; values are always parameters.
    sql = f"INSERT INTO {name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    values = [
        tuple(f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields)
        for obj in objs
    ]
    return sql, values
