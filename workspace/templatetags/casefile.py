import datetime as dt

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from supervision.duties import report_urgency

register = template.Library()


@register.simple_tag
def due_state(due: dt.date | None, today: dt.date) -> dict[str, str]:
    """A due date in words and with its urgency class (supervision.duties.report_urgency), so that the
    page never says it by colour alone."""
    urgency = report_urgency(due, today=today)
    if due is None:
        return {"class": "muted", "words": "—"}
    days = (due - today).days
    if days < 0:
        words = ngettext("overdue by %(n)d day", "overdue by %(n)d days", -days) % {"n": -days}
    elif days == 0:
        words = _("due today")
    else:
        words = ngettext("due in %(n)d day", "due in %(n)d days", days) % {"n": days}
    return {"class": urgency, "words": words}


@register.simple_tag
def days_left(sentence, today: dt.date) -> int | None:
    return (sentence.end_date - today).days if sentence.end_date else None
