"""Small SQL functions Django does not ship, each written for PostgreSQL and SQLite (the two databases
the application runs on)."""

from django.db.models import DateField, Func, IntegerField


class AddDays(Func):
    """`date + days` as a date: PostgreSQL adds an integer to a date natively; SQLite through date()."""

    output_field = DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "

    def __init__(self, date, days, **extra):
        super().__init__(date, days, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        days_sql, days_params = compiler.compile(self.source_expressions[1])
        return f"date({date_sql}, ({days_sql}) || ' days')", (*date_params, *days_params)


class InclusiveDays(Func):
    """Days from one date to another, both counted: PostgreSQL subtracts dates to whole days; SQLite
    through julianday."""

    output_field = IntegerField()
    template = "((%(expressions)s) + 1)"
    arg_joiner = " - "

    def __init__(self, first, last, **extra):
        super().__init__(last, first, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        last_sql, last_params = compiler.compile(self.source_expressions[0])
        first_sql, first_params = compiler.compile(self.source_expressions[1])
        sql = f"(CAST(julianday({last_sql}) - julianday({first_sql}) AS INTEGER) + 1)"
        return sql, (*last_params, *first_params)
