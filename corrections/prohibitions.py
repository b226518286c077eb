"""A sentence's prohibition orders (禁止令, CL 38 para. 2, 72 para. 2), as the case services write them.

Two ways in, one set of rows (`Prohibition`):
- `prohibitions`, a list of strings (API v1, the registration page, the ledger): the contents. Rows whose
  content is still listed are kept as they are (their kind, dates and any violation recorded against
  them); contents not yet there are added after them; rows no longer listed are removed.
- `prohibition_orders`, a list of objects `{id?, content, kind, start_date?, end_date?}` (API v1.1
  addition): the whole set. An object with the `id` of one of the sentence's orders changes it, one
  without adds an order, and orders not listed are removed.

A court orders them with control (for its duration) or probation (for the probation term) only; an
order's own dates lie inside the correction period (a blank one is the period's own first or last
day). An order a violation was recorded against is never removed (supervision keeps violations, with a
protecting foreign key): the refusal names it.

The case services call `prohibition_orders_check` with the other checks, before anything is written,
and `prohibition_orders_write` once the sentence is saved, in their own transaction.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from . import law
from .constants import PROHIBITION_CATEGORIES, ProhibitionKind
from .models import Prohibition, Sentence

TEXTS_KEY = "sentence.prohibitions"
ORDERS_KEY = "sentence.prohibition_orders"
CONTENT_MAX_LENGTH = Prohibition._meta.get_field("content").max_length


def _bases() -> str:
    return law.cite(law.CONTROL_PROHIBITION_ORDER, law.PROBATION_PROHIBITION_ORDER)


def clean_texts(texts: Iterable[str]) -> list[str]:
    return [text.strip() for text in texts if text and text.strip()]


def prohibition_orders_check(
    *,
    sentence: Sentence,
    texts: Iterable[str] | None,
    orders: Iterable[Mapping[str, Any]] | None,
    errors: dict[str, list],
) -> None:
    """Add to `errors` what is wrong with the orders given (either way), against the sentence as it will
    be saved (its category and computed period)."""
    if texts is not None and orders is not None:
        errors.setdefault(ORDERS_KEY, []).append(
            _("Give the prohibition orders either as text (prohibitions) or as objects, not both.")
        )
        return
    if texts is not None:
        if clean_texts(texts) and sentence.category not in PROHIBITION_CATEGORIES:
            errors.setdefault(TEXTS_KEY, []).append(
                _("A court orders prohibitions only with control or probation (%(law)s).") % {"law": _bases()}
            )
        return
    if orders is None:
        return
    orders = list(orders)
    messages: list[str] = []
    if orders and sentence.category not in PROHIBITION_CATEGORIES:
        messages.append(
            _("A court orders prohibitions only with control or probation (%(law)s).") % {"law": _bases()}
        )
    known = set(sentence.prohibition_orders.values_list("pk", flat=True)) if sentence.pk else set()
    seen: set[int] = set()
    for number, order in enumerate(orders, start=1):
        messages.extend(
            _("Order %(number)d: %(message)s") % {"number": number, "message": message}
            for message in _order_errors(sentence, order, known=known, seen=seen)
        )
    if messages:
        errors.setdefault(ORDERS_KEY, []).extend(messages)


def _order_errors(
    sentence: Sentence, order: Mapping[str, Any], *, known: set[int], seen: set[int]
) -> list[str]:
    out: list[str] = []
    pk = order.get("id")
    if pk is not None:
        if pk not in known:
            out.append(_("this sentence has no prohibition order %(id)s.") % {"id": pk})
        elif pk in seen:
            out.append(_("prohibition order %(id)s is listed twice.") % {"id": pk})
        seen.add(pk)
    content = (order.get("content") or "").strip()
    if not content:
        out.append(_("say what the order forbids."))
    elif len(content) > CONTENT_MAX_LENGTH:
        out.append(_("at most %(max)d characters.") % {"max": CONTENT_MAX_LENGTH})
    if order.get("kind") not in ProhibitionKind.values:
        out.append(
            _("choose what it forbids: activities, areas or places, or persons (%(law)s).")
            % {"law": _bases()}
        )
    start, end = order.get("start_date"), order.get("end_date")
    first, last = sentence.start_date, sentence.end_date
    if start and end and end < start:
        out.append(_("it cannot end before it starts."))
    for day, name in ((start, _("first day")), (end, _("last day"))):
        if day is None or first is None:
            continue
        if day < first or (last is not None and day > last):
            out.append(
                _("its %(which)s, %(day)s, is outside the correction period (%(first)s to %(last)s).")
                % {
                    "which": name,
                    "day": day.isoformat(),
                    "first": first.isoformat(),
                    "last": last.isoformat() if last else "—",
                }
            )
    return out


def _snapshot(rows: Iterable[Prohibition]) -> list[dict[str, Any]]:
    return [
        {
            "content": row.content,
            "kind": row.kind,
            "start_date": row.start_date.isoformat() if row.start_date else None,
            "end_date": row.end_date.isoformat() if row.end_date else None,
        }
        for row in rows
    ]


def _remove(rows: Iterable[Prohibition]) -> None:
    refused = []
    for row in rows:
        try:
            row.delete()
        except ProtectedError:
            refused.append(row.content)
    if refused:
        raise ValidationError(
            {
                ORDERS_KEY: [
                    _(
                        "A violation was recorded against the prohibition order “%(content)s”: "
                        "it stays on the record."
                    )
                    % {"content": content}
                    for content in refused
                ]
            }
        )


def prohibition_orders_write(
    *,
    sentence: Sentence,
    texts: Iterable[str] | None,
    orders: Iterable[Mapping[str, Any]] | None,
    created: bool = False,
) -> dict[str, dict[str, Any]]:
    """Write what was checked; return the audit trail's changes (`sentence.prohibitions` for the
    contents, `sentence.prohibition_orders` for the whole orders given as objects): what changed, or
    for a sentence just `created` what it starts with."""
    existing = list(Prohibition.objects.filter(sentence=sentence).order_by("id"))
    before = _snapshot(existing)
    if texts is not None:
        contents = clean_texts(texts)
        unused = list(existing)
        new: list[str] = []
        for content in contents:
            match = next((row for row in unused if row.content == content), None)
            if match is None:
                new.append(content)
            else:
                unused.remove(match)
        _remove(unused)
        Prohibition.objects.bulk_create(Prohibition(sentence=sentence, content=content) for content in new)
    elif orders is not None:
        orders = list(orders)
        by_pk = {row.pk: row for row in existing}
        listed = {order["id"] for order in orders if order.get("id") is not None}
        _remove(row for row in existing if row.pk not in listed)
        created = []
        for order in orders:
            values = {
                "content": order["content"].strip(),
                "kind": order["kind"],
                "start_date": order.get("start_date"),
                "end_date": order.get("end_date"),
            }
            if order.get("id") is None:
                created.append(Prohibition(sentence=sentence, **values))
                continue
            row = by_pk[order["id"]]
            if any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                row.save(update_fields=list(values))
        Prohibition.objects.bulk_create(created)
    elif not created:
        return {}
    after = _snapshot(Prohibition.objects.filter(sentence=sentence).order_by("id"))
    if created:
        return {
            TEXTS_KEY: {"before": None, "after": [row["content"] for row in after]},
            **({ORDERS_KEY: {"before": None, "after": after}} if orders is not None else {}),
        }
    changes: dict[str, dict[str, Any]] = {}
    if [row["content"] for row in before] != [row["content"] for row in after]:
        changes[TEXTS_KEY] = {
            "before": [row["content"] for row in before],
            "after": [row["content"] for row in after],
        }
    if before != after and orders is not None:
        changes[ORDERS_KEY] = {"before": before, "after": after}
    return changes
