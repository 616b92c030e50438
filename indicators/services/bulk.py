"""Bulk writes below the ORM for a province year's figures: multi-row INSERTs, and on
PostgreSQL COPY and one UPDATE … FROM a temporary table."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

from django.db import connection
from django.db.models import AutoField, DateField

BATCH = 2000  # rows per INSERT/UPDATE: well under PostgreSQL's 65,535 parameters


def _insert(model, rows: list[dict], *, returning: bool) -> list:
    """INSERT `rows` (dicts by attname) bypassing the ORM's per-value preparation, which
    costs more than the database itself at a province year's size: on PostgreSQL by
    COPY (the new ids drawn from the table's sequence first), elsewhere in multi-row
    INSERTs. Returns the new primary keys in order when `returning`."""
    if not rows:
        return []
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if not (f is pk and isinstance(f, AutoField))]
    if connection.vendor == "postgresql":
        return _copy(model, fields, rows, returning=returning)
    prepared = {}

    def db_value(field, value):
        if isinstance(field, DateField) and value is not None:  # DateTimeField too
            key = (field.attname, value)
            if key not in prepared:
                prepared[key] = field.get_db_prep_save(value, connection)
            return prepared[key]
        if isinstance(value, (dict, list)):  # a JSONField's value
            return json.dumps(value, ensure_ascii=False)
        return value

    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    size = min(BATCH, connection.ops.bulk_batch_size(fields, rows))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(batch))
            # Names come from the model, every value is a parameter.
            sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES {placeholders}"  # noqa: S608
            if returning:
                sql += f" RETURNING {qn(pk.column)}"
            cursor.execute(sql, [db_value(f, row[f.attname]) for row in batch for f in fields])
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _update(model, objs: list, names: list[str]) -> None:
    """Save fields `names` of `objs`. On PostgreSQL the rows go by COPY into a temporary
    table and one UPDATE … FROM joins them: bulk_update's CASE per row and field grows
    with the square of the batch (a province year took minutes)."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, names, batch_size=BATCH)
        return
    qn = connection.ops.quote_name
    pk = model._meta.pk
    fields = [pk, *(model._meta.get_field(n) for n in names)]
    table, scratch = qn(model._meta.db_table), qn(f"{model._meta.db_table}_import")
    with connection.cursor() as cursor:
        columns = ", ".join(qn(f.column) for f in fields)
        # Every name comes from the model (S608); the values travel by COPY.
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA")  # noqa: S608
        _copy_rows(cursor, scratch, fields, ({f.attname: getattr(o, f.attname) for f in fields} for o in objs))
        assignments = ", ".join(f"{qn(f.column)} = s.{qn(f.column)}" for f in fields[1:])
        key = qn(pk.column)
        cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM {scratch} AS s WHERE t.{key} = s.{key}")  # noqa: S608
        cursor.execute(f"DROP TABLE {scratch}")


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list)):  # a JSONField's value
        return json.dumps(value, ensure_ascii=False).translate(COPY_ESCAPES)
    return str(value)  # int, Decimal


def _copy(model, fields, rows: list[dict], *, returning: bool) -> list:
    qn = connection.ops.quote_name
    table = model._meta.db_table
    pk = model._meta.pk
    ids = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk.column, len(rows)]
            )
            ids = [r[0] for r in cursor.fetchall()]
            fields = [pk, *fields]
            rows = [row | {pk.attname: i} for row, i in zip(rows, ids, strict=True)]
        _copy_rows(cursor, qn(table), fields, rows)
    return ids


def _copy_rows(cursor, table: str, fields, rows) -> None:
    names = [f.attname for f in fields]
    text = io.StringIO()
    for row in rows:
        text.write("\t".join([_copy_text(row[n]) for n in names]))
        text.write("\n")
    text.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", text)
