"""Database helpers for the statements that run on every slot search and booking."""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Only statements sent through ``prepared_cursor`` are prepared: Django's own cursors bind on the client and
# are never prepared (psycopg prepares a statement after this many runs, or at once when asked).
_ONLY_WHEN_ASKED = 1 << 30


@functools.cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparedCursor


@functools.cache
def _debug_wrapper_class(base):
    from django.db.backends.utils import CursorWrapper

    class PreparedDebugWrapper(base):
        """Logs the statement with its values written in, as Django logs its own (a prepared statement's
        text is not kept by psycopg, which Django's wrapper would read)."""

        def execute(self, sql, params=None):
            with self.debug_sql(self.db.ops.compose_sql(sql, params) if params else sql, params):
                return CursorWrapper.execute(self, sql, params)

    return PreparedDebugWrapper


def prepared_cursor(using: str = DEFAULT_DB_ALIAS):
    """A cursor (use it in ``with``) for the statements that run on every slot search and booking.

    On PostgreSQL its parameters are bound by the server (``%s`` are sent as ``$1``, ``$2``...) and each
    statement is prepared once per connection: PostgreSQL then skips parsing it and, once it keeps a
    generic plan, planning it, which costs more than running these short statements. Django's own cursors
    bind on the client (every value written into the text), so each run is a new statement to parse and
    plan. ``EXOCLINIC_PG_PREPARED = False`` (environment ``EXOCLINIC_PG_PREPARED=0``) turns this off for a
    connection pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
    Elsewhere (SQLite) it is Django's cursor: the sqlite3 module already reuses a compiled statement.

    Statements are logged and counted like any other (``CaptureQueriesContext`` sees them)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not getattr(settings, "EXOCLINIC_PG_PREPARED", True):
        return connection.cursor()
    # What Django's cursor() does first: the health check, connecting, the thread check.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw_connection = connection.connection
    if raw_connection.prepare_threshold is None:  # Django connects with automatic preparing off
        raw_connection.prepare_threshold = _ONLY_WHEN_ASKED
    raw = _prepared_cursor_class()(raw_connection)
    # As Django's create_cursor: datetimes in the connection's zone.
    if connection.timezone != raw_connection.adapters.get_loader(_TIMESTAMPTZ_OID, _TEXT).timezone:
        from django.db.backends.postgresql.psycopg_any import register_tzloader

        register_tzloader(connection.timezone, raw)
    if connection.queries_logged:
        return _debug_wrapper_class(type(connection.make_debug_cursor(raw)))(raw, connection)
    return connection.make_cursor(raw)


_TIMESTAMPTZ_OID = 1184  # psycopg.postgres.types["timestamptz"].oid
_TEXT = 0  # psycopg.pq.Format.TEXT


_plans: dict[tuple, tuple] = {}


def model_rows(model, sql: str, params, *, using: str = DEFAULT_DB_ALIAS) -> list:
    """Instances of ``model`` from a SELECT (through ``prepared_cursor``) that names every concrete column of
    the model, in any order; other columns become attributes of the same name. What ``Model.objects.raw``
    gives, at a fraction of its cost per row set, for the few statements on every search and booking."""
    connection = connections[using]
    with prepared_cursor(using) as cursor:
        cursor.execute(sql, params)
        names = tuple(column[0] for column in cursor.description)
        rows = cursor.fetchall()
    key = (model, names, connection.vendor)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans.setdefault(key, _plan(model, names, connection))
    positions, converters, extras, attnames = plan
    found = []
    for row in rows:
        values = [row[i] for i in positions]
        for i, field, functions in converters:
            for convert in functions:
                values[i] = convert(values[i], field, connection)
        instance = model.from_db(using, attnames, values)
        for name, i in extras:
            setattr(instance, name, row[i])
        found.append(instance)
    return found


def _plan(model, names: tuple[str, ...], connection) -> tuple:
    fields = model._meta.concrete_fields
    index = {name: i for i, name in enumerate(names)}
    positions = [index[f.column] for f in fields]  # KeyError: the SELECT misses a column of the model
    converters = []
    for i, f in enumerate(fields):
        col = f.cached_col
        functions = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
        if functions:
            converters.append((i, col, functions))
    columns = {f.column for f in fields}
    extras = [(name, i) for i, name in enumerate(names) if name not in columns]
    return positions, converters, extras, [f.attname for f in fields]


_inserts: dict[tuple, tuple] = {}


def insert_new(obj, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Save a new instance with one INSERT, as ``Model.save`` does for it (``auto_now`` fields, defaults,
    related ids), for the rows written on every booking; on PostgreSQL through ``prepared_cursor``.

    The model's own ``save`` is not called: a model that computes fields there computes them first (see
    ``Appointment.save``). Anything this does not cover goes through ``Model.save``: another database, a
    primary key given, a field with its own SQL placeholder, an expression as a value, or a model that
    ``pre_save``/``post_save`` signal receivers listen to."""
    from django.db.models import Model, signals

    model = type(obj)
    connection = connections[using]
    plan = _inserts.get((model, connection.vendor))
    if plan is None:
        plan = _inserts.setdefault((model, connection.vendor), _insert_plan(model, connection))
    fields, statement = plan
    if (
        statement is None
        or obj.pk is not None
        or signals.pre_save.has_listeners(model)
        or signals.post_save.has_listeners(model)
    ):
        Model.save(obj, using=using)
        return
    obj._prepare_related_fields_for_save(operation_name="save")
    values = [f.pre_save(obj, True) for f in fields]
    if any(hasattr(value, "resolve_expression") for value in values):
        Model.save(obj, using=using)
        return
    params = [f.get_db_prep_save(value, connection) for f, value in zip(fields, values, strict=True)]
    with prepared_cursor(using) as cursor:
        cursor.execute(statement, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = using


def _insert_plan(model, connection) -> tuple[list, str | None]:
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if f is not meta.pk]
    usable = (
        connection.vendor == "postgresql"
        and meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
        and not meta.parents
        and not any(hasattr(f, "get_placeholder") for f in fields)
    )
    if not usable:
        return fields, None
    qn = connection.ops.quote_name
    statement = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {qn(meta.pk.column)}"
    )
    return fields, statement
