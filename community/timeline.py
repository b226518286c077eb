"""Social forces' events on a case's timeline (workspace.timeline merges them): each activity the person
took part in, dated on its day, with their hours and outcome. Other participants are not named."""

from django.utils.translation import gettext as _

from corrections.timeline import TimelineEvent

from .selectors import case_needs, case_participations


def activity_events(supervisee, limit: int) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            at=row.activity.date,
            type="activity",
            id=row.activity_id,
            summary=_("%(kind)s: %(topic)s · %(hours)s h (%(outcome)s)")
            % {
                "kind": row.activity.get_kind_display(),
                "topic": row.activity.topic,
                "hours": row.hours,
                "outcome": row.get_outcome_display(),
            },
            by=row.activity.recorded_by.username,
            details={
                "kind": row.activity.kind,
                "date": row.activity.date.isoformat(),
                "hours": str(row.hours),
                "outcome": row.outcome,
                "provider": row.activity.provider.name if row.activity.provider_id else None,
                "note": row.note,
            },
        )
        for row in case_participations(supervisee=supervisee, limit=limit)
    ]


def need_events(supervisee, limit: int) -> list[TimelineEvent]:
    """Each need, at the time it was recorded, with where it stands."""
    return [
        TimelineEvent(
            at=need.recorded_at,
            type="need",
            id=need.pk,
            summary=_("Need: %(kind)s (%(status)s)")
            % {"kind": need.get_kind_display(), "status": need.get_status_display()},
            by=need.recorded_by.username,
            details={
                "kind": need.kind,
                "status": need.status,
                "provider": need.provider.name if need.provider_id else None,
                "note": need.outcome or need.note,
            },
        )
        for need in case_needs(supervisee=supervisee)[:limit]
    ]
