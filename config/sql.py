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


class AddMonths(Func):
    """The same day `months` later, clamped to the last day of a shorter month (corrections.periods
    .add_months): PostgreSQL's date + interval clamps so; SQLite's date() rolls over (31 January + 1
    month is 3 March), so a day that changed is replaced by the last day of the target month."""

    output_field = DateField()

    def __init__(self, date, months: int, **extra):
        self.months = int(months)
        super().__init__(date, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        return f"(({date_sql}) + interval '{self.months} months')::date", date_params

    def as_sqlite(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        rolled = f"date({date_sql}, '{self.months:+d} months')"
        last_day = f"date({date_sql}, 'start of month', '{self.months + 1:+d} months', '-1 day')"
        same_day = f"strftime('%%d', {rolled}) = strftime('%%d', {date_sql})"
        sql = f"(CASE WHEN {same_day} THEN {rolled} ELSE {last_day} END)"
        return sql, (*date_params, *date_params, *date_params, *date_params)
