"""Small SQL functions Django does not ship, each written for PostgreSQL and SQLite (the two databases
the application runs on)."""

from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    Expression,
    F,
    Func,
    IntegerField,
    QuerySet,
    Subquery,
)


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


class AmongIds(Expression):
    """`column = ANY(ARRAY(subquery))`: a condition that is true where `column` is among the values the
    queryset selects (one column). PostgreSQL computes the subquery once (an InitPlan) and reads the
    matches through the column's index, also as one side of an OR (a BitmapOr), where `column IN
    (subquery)` is a semi-join, or under OR a hashed subplan checked row by row over every row of the
    table (benchmarks/README.md). SQLite has no arrays: `column IN (subquery)`, the same rows.

    The planner takes such an array for ten values whatever it holds: where another condition of the same
    query would serve a few rows better (a page's ids), it may still start from this one (config.paging)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column, queryset):
        super().__init__(output_field=BooleanField())
        self.column = F(column) if isinstance(column, str) else column
        if isinstance(queryset, QuerySet) and not queryset.query.is_sliced:
            queryset = queryset.order_by()  # an array of ids needs no order: no sort of the scope
        self.subquery = Subquery(queryset)

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs):
        self.column, self.subquery = exprs

    def as_sql(self, compiler, connection, **extra_context):
        column_sql, column_params = compiler.compile(self.column)
        subquery_sql, subquery_params = compiler.compile(self.subquery)
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", (*column_params, *subquery_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        column_sql, column_params = compiler.compile(self.column)
        subquery_sql, subquery_params = compiler.compile(self.subquery)
        return f"{column_sql} IN {subquery_sql}", (*column_params, *subquery_params)


class Unindexed(Func):
    """A text column as an expression of the same value and the same order (`column || ''`), so that no
    index on the column serves it. For a sort key: PostgreSQL then sorts the rows the WHERE finds (a
    scope's few thousand, read through their own index) instead of walking the column's index over the
    whole table for the first that match, which it prefers wrongly when matches are a fraction of a percent
    of the table but spread evenly through it (a name index over 700,000 people for an office's 2,400:
    tens of thousands of rows read to keep 50; benchmarks/README.md). The hand-written SQL does the same
    with a MATERIALIZED CTE, which Django does not write."""

    template = "(%(expressions)s || '')"
    output_field = CharField()
