"""*Local* rules: numbers that differ between provinces and change over time (reporting duties, leave
tiers, discipline thresholds, referral deadlines). Each is a table an administrator edits, and every
row says from which day it applies and to which district (none: the default for every district).

The rule in force for a district on a day is, for each of the table's keys (`rule_key`: e.g. the
management level and duty of a reporting rule), the district's own latest row effective by then, else
the default's latest. A table whose rows only make sense together (leave tiers: the bands of one scale)
sets `own_set_replaces_defaults`: a district with any row of its own follows its own rows alone.

This module is the one home of that choice: `in_force` for one district, `rules_in_force` for every
district at once (one query, for set-based work over many cases), and `in_force_value` for the same
choice in SQL when the day varies row by row.
"""

import datetime as dt
from collections.abc import Iterator
from typing import ClassVar, Generic, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from .models import District

Rule = TypeVar("Rule", bound="LocalRule")
Key = tuple


class LocalRule(models.Model):
    """The fields every local rule table shares: to which district (null: every district's default)
    and from which day. Subclasses name their key and declare `local_rule_unique` in their Meta."""

    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_from = models.DateField(_("effective from"))

    # The fields that say which rule a row is; with the district and the date they are unique.
    rule_key: ClassVar[tuple[str, ...]] = ()
    own_set_replaces_defaults: ClassVar[bool] = False

    class Meta:
        abstract = True

    def key(self) -> Key:
        return tuple(getattr(self, name) for name in self.rule_key)


def local_rule_unique(*key: str, name: str) -> models.UniqueConstraint:
    """One row per district (the default included: nulls are not distinct), key and effective date."""
    return models.UniqueConstraint(
        fields=["district", *key, "effective_from"], name=name, nulls_distinct=False
    )


class RulesInForce(Generic[Rule]):
    """Every district's rules of one table in force on one day, loaded in one query."""

    def __init__(self, model: type[Rule], rows: list[Rule]):
        self.model = model
        self.defaults: dict[Key, Rule] = {}
        self.own: dict[int, dict[Key, Rule]] = {}
        for row in rows:  # oldest first: a later row replaces an earlier one of the same key
            target = self.defaults if row.district_id is None else self.own.setdefault(row.district_id, {})
            target[row.key()] = row

    def for_district(self, district_id: int | None) -> dict[Key, Rule]:
        """`{key: row}` that the district follows."""
        own = self.own.get(district_id, {}) if district_id is not None else {}
        if self.model.own_set_replaces_defaults:
            return dict(own) if own else dict(self.defaults)
        return {**self.defaults, **own}

    def get(self, district_id: int | None, *key) -> Rule | None:
        return self.for_district(district_id).get(tuple(key))

    def scopes(self, district_field: str) -> Iterator[tuple[Q, dict[Key, Rule]]]:
        """The districts as SQL conditions on `district_field`, each with the rules it follows: every
        district with rows of its own apart, then all the others (the defaults). The conditions do not
        overlap and together cover every row."""
        for district_id in sorted(self.own):
            yield Q(**{district_field: district_id}), self.for_district(district_id)
        # With no district of its own, the defaults' condition is no condition: `~Q(field__in=[])` matches
        # every row too, but its path (justice_office__district_id) left a join to the agencies in every
        # query, which PostgreSQL planned as a loop over every agency (issue 14, the sweep's plans).
        others = ~Q(**{f"{district_field}__in": sorted(self.own)}) if self.own else Q()
        yield others, dict(self.defaults)


def rules_in_force(model: type[Rule], *, on: dt.date, **filters) -> RulesInForce[Rule]:
    """The rows of `model` (narrowed by `filters`, e.g. `duty="report"`) in force on `on`, for every
    district."""
    rows = model.objects.filter(effective_from__lte=on, **filters).order_by("effective_from", "id")
    return RulesInForce(model, list(rows))


def in_force(model: type[Rule], *, district: int | None, on: dt.date, **filters) -> dict[Key, Rule]:
    """`{key: row}` of `model` that `district` (an id; None: the defaults) follows on `on`."""
    return rules_in_force(model, on=on, **filters).for_district(district)


def in_force_value(
    model: type[Rule], *, field: str, district: OuterRef, on: OuterRef, **key: OuterRef
) -> Subquery:
    """SQL: `field` of the row in force for the outer row's district and day (both references), with
    the key fields matched to outer references. The same choice as `in_force`."""
    rows = model.objects.filter(effective_from__lte=on, **key)
    latest = "-effective_from", "-id"
    own = rows.filter(district_id=district)
    default = rows.filter(district__isnull=True)
    # A district follows its own row of the key, or (own_set_replaces_defaults) its own rows of any key.
    has_own = (
        own
        if not model.own_set_replaces_defaults
        else model.objects.filter(district_id=district, effective_from__lte=on)
    )
    return models.Case(
        models.When(Exists(has_own), then=Subquery(own.order_by(*latest).values(field)[:1])),
        default=Subquery(default.order_by(*latest).values(field)[:1]),
        output_field=model._meta.get_field(field),
    )
