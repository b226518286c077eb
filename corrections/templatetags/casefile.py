import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def days_since_contact(supervisee, today: dt.date) -> int | None:
    """Days since the last check-in, or since intake when there has been none yet."""
    if supervisee.last_contact_at:
        return (today - timezone.localtime(supervisee.last_contact_at).date()).days
    if supervisee.intake_date:
        return (today - supervisee.intake_date).days
    return None


@register.simple_tag
def urgency(days: int | None, supervisee, intervals: dict[str, int]) -> str:
    """A colour class for the days without contact, against the level's reporting interval (the
    reporting rules in force, passed by the view). Closed cases and unknown intervals stay neutral."""
    interval = intervals.get(supervisee.management_level)
    if days is None or interval is None or not supervisee.is_open:
        return "muted"
    if days > interval:
        return "overdue"
    if days >= interval - 2:
        return "due"
    return "ok"


@register.simple_tag
def days_left(sentence, today: dt.date) -> int | None:
    return (sentence.end_date - today).days if sentence.end_date else None
