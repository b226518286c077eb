"""What a page tells the user after a step that writes documents and notices (API.md v1.1 "What each
step writes"), in the user's language: one sentence naming them, or None when the step wrote nothing."""

from django.utils.translation import gettext as _

from .selectors import written_for


def written_message(record) -> str | None:
    documents, notices = written_for(record)
    parts = [
        _("Issued: %(title)s %(number)s.") % {"title": document.title, "number": document.number}
        for document in documents
    ]
    if notices:
        parts.append(
            _("Notice sent to %(agencies)s.") % {"agencies": _(", ").join(n.to_agency.name for n in notices)}
        )
    return " ".join(parts) or None
