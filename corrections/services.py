"""Every write of a case file: registration, edits, and the status lifecycle."""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import UniqueConstraint
from django.utils.translation import gettext as _

from accounts.constants import AgencyKind, AuditAction, Role
from accounts.models import User
from accounts.services import audit_record, field_changes, snapshot
from config.api import StateConflict
from config.office_time import office_today
from config.plausible import date_refusal, latest_date

from . import law
from .commission import arrival_date_errors
from .constants import (
    ALLOWED_TRANSITIONS,
    EXIT_REASON_CATEGORIES,
    EXIT_REASONS_BY_STATUS,
    EXIT_STATUSES,
    MINOR_AGE,
    RELEASE_REASONS,
    CustodyGround,
    ExitReason,
    IntakeItem,
    Status,
)
from .idnumber import (
    birth_date_from_id,
    gender_from_id,
    mask_id_number,
    mask_search_text,
    normalize_id_number,
)
from .intake import INTAKE_CHECKLIST, earliest_event_date
from .models import IntakeRecord, Sentence, StatusChange, Supervisee
from .periods import compute_period
from .prohibitions import prohibition_orders_check, prohibition_orders_write
from .scoping import EDITING_ROLES, REASSIGNING_ROLES, can_edit_case
from .teams import team_requirements

# Fields a caller may set on a supervisee; the rest are derived or belong to the lifecycle.
SUPERVISEE_FIELDS = (
    "case_number",
    "name",
    "gender",
    "id_number",
    "ethnicity",
    "education",
    "employment",
    "phone",
    "residence_address",
    "household_address",
    "household_type",
    "crime",
    "crime_chapter",
    "management_level",
    "justice_office",
    "officer",
)
# The inputs of the period rules; start_date and end_date are computed from them.
PERIOD_INPUT_FIELDS = (
    "category",
    "penalty",
    "deciding_agency",
    "document_number",
    "judgment_date",
    "effective_date",
    "original_term_months",
    "probation_term_months",
    "combined_crimes",
    "prior_custody_days",
    "release_date",
    "original_term_end",
    "temporary_execution_ground",
)
# CCL 20: the days the deciding agency's notice and legal documents arrived (corrections.commission).
COMMISSION_FIELDS = ("notice_received_date", "documents_received_date")
# Fields a caller may set on a sentence.
SENTENCE_FIELDS = (*PERIOD_INPUT_FIELDS, *COMMISSION_FIELDS)
AUDITED_SUPERVISEE_FIELDS = (*SUPERVISEE_FIELDS, "birth_date", "is_minor")
AUDITED_SENTENCE_FIELDS = (*SENTENCE_FIELDS, "start_date", "end_date", "period_rule")
DECIDING_AGENCY_KINDS = frozenset({AgencyKind.COURT, AgencyKind.PRISON, AgencyKind.POLICE})
# The days of a sentence that have happened, or are about to (the window of config.plausible).
SENTENCE_EVENT_DATES = ("judgment_date", "effective_date", "release_date")
# The day the original sentence would end lies ahead by up to its unserved term: no fixed term is longer
# than 25 years (CL 50, 69), so that end falls at most 25 years after the window's own end.
LONGEST_FIXED_TERM = dt.timedelta(days=25 * 366)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _prefixed(error: ValidationError, prefix: str) -> ValidationError:
    """Key a nested object's errors as `sentence.field`; the API answers them nested."""
    return ValidationError({f"{prefix}.{field}": messages for field, messages in error.error_dict.items()})


def _merge(errors: dict[str, list], error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        errors.setdefault(field, []).extend(messages)


def _check_may_write(by: User) -> None:
    if by.role not in EDITING_ROLES:
        raise PermissionDenied(_("Your role may read this case but not change it."))


def check_may_change_case(*, by: User, supervisee: Supervisee) -> None:
    """403 unless `by` may change this case, which they already see (scoping): a justice role, and the
    case is their office's (a supervisor: their district's). Pages ask it before reading a form, so that
    a reader who may not act learns that first."""
    _check_may_write(by)
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("This case belongs to another justice office."))


def _check_office_and_officer(*, by: User, supervisee: Supervisee, errors: dict[str, list]) -> None:
    office = supervisee.justice_office
    if office.kind != AgencyKind.JUSTICE_OFFICE or office.district_id != by.agency.district_id:
        errors.setdefault("justice_office", []).append(_("Choose one of your district's justice offices."))
        return
    if by.role == Role.JUSTICE_OFFICER and office.pk != by.agency_id:
        errors.setdefault("justice_office", []).append(_("An officer registers cases for their own office."))
    officer = supervisee.officer
    if officer is not None and (officer.role != Role.JUSTICE_OFFICER or officer.agency_id != office.pk):
        errors.setdefault("officer", []).append(_("The officer must be a correction officer of this office."))


def _apply_id_number(supervisee: Supervisee, errors: dict[str, list]) -> None:
    """Normalise the ID number and derive the birth date; the gender must agree with it."""
    supervisee.id_number = normalize_id_number(supervisee.id_number or "")
    if not supervisee.id_number:
        # The field's validators skip an empty value, and there is no birth date to derive from it.
        errors.setdefault("id_number", []).append(_("Enter the ID number."))
        return
    try:
        Supervisee._meta.get_field("id_number").run_validators(supervisee.id_number)
    except ValidationError as error:
        errors.setdefault("id_number", []).extend(error.messages)
        return
    supervisee.birth_date = birth_date_from_id(supervisee.id_number)
    if supervisee.gender and supervisee.gender != gender_from_id(supervisee.id_number):
        errors.setdefault("gender", []).append(_("The gender does not match the ID number (its 17th digit)."))


def _implausible_sentence_dates(sentence: Sentence) -> dict[str, list]:
    """Dates no sentence carries (0001-01-01 for 2001-01-01, 9999-12-31 for "no end"), by field: refused
    before any period is counted from them."""
    latest = latest_date(office_today())
    limits = dict.fromkeys(SENTENCE_EVENT_DATES, latest)
    limits["original_term_end"] = latest + LONGEST_FIXED_TERM
    errors: dict[str, list] = {}
    for name, last in limits.items():
        value = getattr(sentence, name)
        refusal = date_refusal(value, latest=last) if value else None
        if refusal:
            errors[f"sentence.{name}"] = [refusal]
    return errors


def _apply_period(sentence: Sentence, gender: str, errors: dict[str, list]) -> None:
    """Compute start and end from the legal rules (corrections.periods); refuse what breaks them."""
    implausible = _implausible_sentence_dates(sentence)
    if implausible:
        for field, messages in implausible.items():
            errors.setdefault(field, []).extend(messages)
        return
    if sentence.deciding_agency_id and sentence.deciding_agency.kind not in DECIDING_AGENCY_KINDS:
        errors.setdefault("sentence.deciding_agency", []).append(
            _("The deciding agency must be a court, a prison administration or a police authority.")
        )
    if (
        sentence.judgment_date
        and sentence.effective_date
        and sentence.effective_date < sentence.judgment_date
    ):
        errors.setdefault("sentence.effective_date", []).append(
            _("A judgment cannot take effect before the day it was given.")
        )
    try:
        period = compute_period(sentence.terms(gender))
    except ValidationError as error:
        _merge(errors, _prefixed(error, "sentence"))
        return
    sentence.start_date, sentence.end_date, sentence.period_rule = (
        period.start_date,
        period.end_date,
        period.rule,
    )


def _check_arrival_dates(sentence: Sentence, errors: dict[str, list]) -> None:
    """CCL 20: the notice and the documents arrive on or after the day the decision took effect, and
    not in the future."""
    for field, messages in arrival_date_errors(
        effective_date=sentence.effective_date,
        notice_received_date=sentence.notice_received_date,
        documents_received_date=sentence.documents_received_date,
        today=office_today(),
    ).items():
        errors.setdefault(field, []).extend(messages)


def _check_stated_dates(sentence: Sentence, stated: Mapping[str, Any], errors: dict[str, list]) -> None:
    """A caller may state the period it expects; a date that differs from the rule is refused."""
    for name in ("start_date", "end_date"):
        if name in stated and stated[name] is not None and stated[name] != getattr(sentence, name, None):
            errors.setdefault(f"sentence.{name}", []).append(
                _("This date breaks the rule for the category: by law it is %(date)s.")
                % {"date": getattr(sentence, name, None) or _("open-ended")}
            )


# Fields the period rules fill in: when the rules refused the inputs they stay empty, and saying so
# again ("cannot be null") would only bury the rule's own message.
COMPUTED_SENTENCE_FIELDS = ("start_date", "end_date", "period_rule")


def _one_field_constraint_errors(
    instance, errors: dict[str, list], prefix: str, exclude: Iterable[str]
) -> None:
    """A conditional unique constraint on one field (one open case per ID number) refuses that field:
    Django keys its violation to no field (NON_FIELD_ERRORS), and a clerk looks for it by the field
    they typed. The constraint stays the rule's one home; this only says which field it is about."""
    for constraint in instance._meta.constraints:
        if not (
            isinstance(constraint, UniqueConstraint) and constraint.condition and len(constraint.fields) == 1
        ):
            continue
        field = constraint.fields[0]
        key = f"{prefix}.{field}" if prefix else field
        if field in exclude or key in errors:
            continue
        try:
            constraint.validate(type(instance), instance, exclude=set(exclude))
        except ValidationError as error:
            errors.setdefault(key, []).extend(error.messages)


def _full_clean(instance, errors: dict[str, list], prefix: str = "", exclude: Iterable[str] = ()) -> None:
    """The model's own checks, for the fields no earlier rule has already refused."""
    _one_field_constraint_errors(instance, errors, prefix, exclude)
    already = {field.removeprefix(f"{prefix}.") if prefix else field for field in errors}
    if prefix == "sentence" and any(field in already for field in PERIOD_INPUT_FIELDS):
        already.update(COMPUTED_SENTENCE_FIELDS)
    try:
        instance.full_clean(
            exclude=sorted({*exclude, *already}), validate_unique=True, validate_constraints=True
        )
    except ValidationError as error:
        _merge(errors, _prefixed(error, prefix) if prefix else error)


def _raise_if(errors: dict[str, list]) -> None:
    if errors:
        raise ValidationError(
            {field: list(dict.fromkeys(str(m) for m in messages)) for field, messages in errors.items()}
        )


def _audit_values(values: dict[str, Any]) -> dict[str, Any]:
    """The audit trail keeps no full ID numbers: it is read by more people than the case is."""
    if values.get("id_number"):
        values = {**values, "id_number": mask_id_number(values["id_number"])}
    return values


@transaction.atomic
def supervisee_register(
    *,
    by: User,
    fields: Mapping[str, Any],
    sentence: Mapping[str, Any],
    prohibitions: Iterable[str] = (),
    prohibition_orders: Iterable[Mapping[str, Any]] | None = None,
) -> Supervisee:
    """Open a case file: the person, the sentence and its computed period. Status `pending_report` until
    the person reports (CCL 21). The court's prohibition orders come as text (`prohibitions`) or as
    objects (`prohibition_orders`, corrections.prohibitions)."""
    _check_may_write(by)
    unknown = set(fields) - set(SUPERVISEE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be set here.")] for name in sorted(unknown)})
    values = dict(fields)
    if by.role == Role.JUSTICE_OFFICER:
        values.setdefault("justice_office", by.agency)
    supervisee = Supervisee(**values)
    if supervisee.justice_office_id is None:
        raise ValidationError({"justice_office": [_("Choose the justice office that supervises the case.")]})
    errors: dict[str, list] = {}
    _check_office_and_officer(by=by, supervisee=supervisee, errors=errors)
    _apply_id_number(supervisee, errors)

    record = Sentence(supervisee=supervisee, **{k: v for k, v in sentence.items() if k in SENTENCE_FIELDS})
    _apply_period(record, supervisee.gender, errors)
    _check_stated_dates(record, sentence, errors)
    _check_arrival_dates(record, errors)
    texts = None if prohibition_orders is not None and not prohibitions else list(prohibitions)
    prohibition_orders_check(sentence=record, texts=texts, orders=prohibition_orders, errors=errors)
    if supervisee.birth_date and record.start_date:
        # CCL 54, 58: the minor's protections attach to who they were when correction began.
        supervisee.is_minor = age_on(supervisee.birth_date, record.start_date) < MINOR_AGE
    _full_clean(supervisee, errors, exclude=[f for f in ("birth_date",) if supervisee.birth_date is None])
    _full_clean(record, errors, prefix="sentence", exclude=["supervisee"])
    _raise_if(errors)

    try:
        with transaction.atomic():
            supervisee.save()
    except IntegrityError as error:  # a concurrent registration of the same person or case number
        raise ValidationError(
            {
                "case_number": [
                    _("A case with this case number or an open case for this person already exists.")
                ]
            }
        ) from error
    record.supervisee = supervisee
    record.save()
    prohibition_changes = prohibition_orders_write(
        sentence=record, texts=texts, orders=prohibition_orders, created=True
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=supervisee,
        supervisee_id=supervisee.pk,
        changes=field_changes(
            {},
            {
                **_audit_values(snapshot(supervisee, AUDITED_SUPERVISEE_FIELDS)),
                **{f"sentence.{k}": v for k, v in snapshot(record, AUDITED_SENTENCE_FIELDS).items()},
            },
        )
        | prohibition_changes,
    )
    return supervisee


@transaction.atomic
def supervisee_update(
    *,
    supervisee: Supervisee,
    by: User,
    fields: Mapping[str, Any],
    sentence: Mapping[str, Any] | None = None,
    prohibitions: Iterable[str] | None = None,
    prohibition_orders: Iterable[Mapping[str, Any]] | None = None,
) -> Supervisee:
    """Correct or complete a case file. A closed case is read-only; only a supervisor reassigns. The
    prohibition orders, when given, replace the sentence's (corrections.prohibitions)."""
    supervisee = (
        # Lock the case row only: the sentence joins as an outer join, which PostgreSQL cannot lock.
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office", "sentence")
        .get(pk=supervisee.pk)
    )
    check_may_change_case(by=by, supervisee=supervisee)
    if supervisee.status in EXIT_STATUSES:
        raise StateConflict(_("The case is closed and read-only."))
    unknown = set(fields) - set(SUPERVISEE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in sorted(unknown)})
    reassigning = {
        name
        for name in ("justice_office", "officer")
        if name in fields and getattr(fields[name], "pk", fields[name]) != getattr(supervisee, f"{name}_id")
    }
    if reassigning and by.role not in REASSIGNING_ROLES:
        raise PermissionDenied(_("Only a bureau supervisor reassigns a case to another office or officer."))

    before = snapshot(supervisee, AUDITED_SUPERVISEE_FIELDS)
    record = supervisee.sentence
    sentence_before = snapshot(record, AUDITED_SENTENCE_FIELDS)
    for name, value in fields.items():
        setattr(supervisee, name, value)
    errors: dict[str, list] = {}
    if reassigning:
        _check_office_and_officer(by=by, supervisee=supervisee, errors=errors)
    _apply_id_number(supervisee, errors)
    unknown_sentence = set(sentence or {}) - set(SENTENCE_FIELDS) - {"start_date", "end_date"}
    for name in sorted(unknown_sentence):
        errors.setdefault(f"sentence.{name}", []).append(_("This field cannot be changed here."))
    for name, value in (sentence or {}).items():
        if name in SENTENCE_FIELDS:
            setattr(record, name, value)
    _apply_period(record, supervisee.gender, errors)
    _check_stated_dates(record, sentence or {}, errors)
    _check_arrival_dates(record, errors)
    prohibition_orders_check(sentence=record, texts=prohibitions, orders=prohibition_orders, errors=errors)
    if supervisee.status == Status.PENDING_REPORT and supervisee.birth_date and record.start_date:
        # Until correction has begun, a corrected ID number or start date may still change minority.
        supervisee.is_minor = age_on(supervisee.birth_date, record.start_date) < MINOR_AGE
    _full_clean(supervisee, errors)
    _full_clean(record, errors, prefix="sentence", exclude=["supervisee"])
    _raise_if(errors)

    supervisee.save()
    record.save()
    changes = field_changes(
        _audit_values(before), _audit_values(snapshot(supervisee, AUDITED_SUPERVISEE_FIELDS))
    )
    changes.update(
        {
            f"sentence.{k}": v
            for k, v in field_changes(sentence_before, snapshot(record, AUDITED_SENTENCE_FIELDS)).items()
        }
    )
    changes.update(prohibition_orders_write(sentence=record, texts=prohibitions, orders=prohibition_orders))
    if changes:
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=supervisee,
            supervisee_id=supervisee.pk,
            changes=changes,
        )
    return supervisee


# A release block takes the locked case and returns why it may not be released now, or None. Higher apps
# register theirs (coordination: a revocation or recommitment proposal pending), as they register
# visibility rules in corrections.scoping, so this app never imports them.
ReleaseBlock = Callable[[Supervisee], "str | None"]
_release_blocks: list[ReleaseBlock] = []


def register_release_block(block: ReleaseBlock) -> None:
    if block not in _release_blocks:
        _release_blocks.append(block)


def _in_custody_blocks_release(supervisee: Supervisee) -> str | None:
    # CCL 32: detention or a criminal coercive measure is notified to the institution; the case waits
    # for its outcome instead of being released while the person is held (contract v1.1).
    if supervisee.status == Status.IN_CUSTODY:
        return _(
            "The person is in custody: record the return to supervision or the outcome first (%(ref)s)."
        ) % {"ref": law.CUSTODY_NOTIFIED}
    return None


register_release_block(_in_custody_blocks_release)


# A transition effect runs inside the transition's transaction, after the change is saved and audited,
# with the locked case, the StatusChange just written and the user: what a step writes beyond the case
# itself (the documents and notices of API.md v1.1, "What each step writes"). Higher apps register
# theirs, so this app never imports them; an effect that raises undoes the whole transition.
TransitionEffect = Callable[[Supervisee, StatusChange, User], None]
_transition_effects: list[TransitionEffect] = []


def register_transition_effect(effect: TransitionEffect) -> None:
    if effect not in _transition_effects:
        _transition_effects.append(effect)


def release_blocks(supervisee: Supervisee) -> list[str]:
    """Why the case may not be released (`terminated` as `expired` or `pardoned`) now; empty if it may."""
    return [reason for block in _release_blocks if (reason := block(supervisee))]


def _exit_misfit(exit_reason: str) -> tuple[str, str]:
    """The field and the message refusing an exit that does not fit the case's category
    (EXIT_REASON_CATEGORIES)."""
    if exit_reason == ExitReason.PROBATION_REVOKED:
        return "reason", _("Only probation can be revoked as probation (%(ref)s).") % {
            "ref": law.PROBATION_REVOKED_BREACH
        }
    if exit_reason == ExitReason.PAROLE_REVOKED:
        return "reason", _("Only parole can be revoked as parole (%(ref)s).") % {
            "ref": law.PAROLE_REVOKED_BREACH
        }
    return "to", _(
        "Recommitment applies to temporary execution outside prison (%(ref)s); "
        "probation and parole are revoked instead."
    ) % {"ref": law.RECOMMITMENT_PROPOSAL_ADDRESSEE}


def _transition_errors(*, supervisee: Supervisee, to: str, on: dt.date, reason: str) -> dict[str, list]:
    """The legal conditions of a move, beyond the lifecycle table (which answers 409)."""
    errors: dict[str, list] = {}
    sentence = supervisee.sentence
    if on > office_today():
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    base = earliest_event_date(
        category=sentence.category,
        effective_date=sentence.effective_date,
        release_date=sentence.release_date,
    )
    if base and on < base:
        errors.setdefault("date", []).append(
            _("The date cannot be before the decision took effect or the person was released (%(date)s).")
            % {"date": base.isoformat()}
        )
    last = supervisee.status_changes.order_by("-date", "-id").values_list("date", flat=True).first()
    if last and on < last:
        errors.setdefault("date", []).append(
            _("The date cannot be before the case's last status change (%(date)s).")
            % {"date": last.isoformat()}
        )
    if supervisee.intake_date and on < supervisee.intake_date:
        errors.setdefault("date", []).append(
            _("The date cannot be before the intake date (%(date)s).")
            % {"date": supervisee.intake_date.isoformat()}
        )
    if to in EXIT_STATUSES:
        allowed = EXIT_REASONS_BY_STATUS[to]
        exit_reason = reason if to == Status.TERMINATED else next(iter(allowed))
        if exit_reason not in allowed:
            errors.setdefault("reason", []).append(
                _("To end correction, give the reason: %(reasons)s.")
                % {"reasons": ", ".join(sorted(allowed))}
            )
        elif exit_reason == ExitReason.EXPIRED and (sentence.end_date is None or on <= sentence.end_date):
            # CCL 44: released when the period has expired, so at the earliest the day after its last day.
            errors.setdefault("reason", []).append(
                _(
                    "The correction period has not ended: its last day is %(date)s, so release is from "
                    "the day after (%(ref)s)."
                )
                % {
                    "date": sentence.end_date.isoformat() if sentence.end_date else _("an open date"),
                    "ref": law.RELEASE,
                }
            )
        elif sentence.category not in EXIT_REASON_CATEGORIES.get(exit_reason, (sentence.category,)):
            field, message = _exit_misfit(exit_reason)
            errors.setdefault(field, []).append(message)
    return errors


def exit_reasons_for(*, to: str, category: str) -> list[str]:
    """The exit reasons a move to `to` may give on a case of `category` (empty for a move that is not an
    exit, or an exit that does not fit the category: recommitment of probation, say)."""
    return [
        reason
        for reason in EXIT_REASONS_BY_STATUS.get(to, ())
        if category in EXIT_REASON_CATEGORIES.get(reason, (category,))
    ]


def is_intake(supervisee: Supervisee, to: str) -> bool:
    """The move to `under_supervision` of a case that never had its intake (from `pending_report`, or
    from absconding or custody before the person ever reported) is the intake (CCL 21, 22)."""
    return to == Status.UNDER_SUPERVISION and supervisee.intake_date is None


def _transition_refusals(
    *, supervisee: Supervisee, to: str, on: dt.date, reason: str, ground: str
) -> dict[str, list]:
    """Every check of a move on a case `by` may change: raises StateConflict (409) for a move the
    lifecycle or a release block refuses, and returns the errors by field (400)."""
    if to not in Status.values:
        raise ValidationError({"to": [_("Unknown status.")]})
    if to not in ALLOWED_TRANSITIONS[supervisee.status]:
        raise StateConflict(
            _("A case that is %(current)s cannot become %(to)s.")
            % {"current": Status(supervisee.status).label, "to": Status(to).label}
        )
    if to == Status.TERMINATED and reason in RELEASE_REASONS and (blocks := release_blocks(supervisee)):
        raise StateConflict(" ".join(blocks))
    errors = _transition_errors(supervisee=supervisee, to=to, on=on, reason=reason)
    if ground and to != Status.IN_CUSTODY:
        errors.setdefault("ground", []).append(_("Only a move into custody has a ground."))
    elif ground and ground not in CustodyGround.values:
        errors.setdefault("ground", []).append(
            _("Choose the ground of custody: %(grounds)s (%(ref)s).")
            % {"grounds": ", ".join(CustodyGround.values), "ref": law.CUSTODY_NOTIFIED}
        )
    return errors


def supervisee_transition_check(
    *, supervisee: Supervisee, by: User, to: str, on: dt.date, reason: str = "", ground: str = ""
) -> None:
    """Would `supervisee_transition` accept this move now? Raises what it would raise (403, 409, 400),
    writes nothing. The case page asks it before showing the confirmation of an exit, so that nobody
    confirms a move that is then refused; the move itself checks again, under the row lock."""
    supervisee = Supervisee.objects.select_related("justice_office", "sentence").get(pk=supervisee.pk)
    check_may_change_case(by=by, supervisee=supervisee)
    _raise_if(
        _transition_refusals(
            supervisee=supervisee, to=to, on=on, reason=(reason or "").strip(), ground=ground or ""
        )
    )


@transaction.atomic
def supervisee_transition(
    *, supervisee: Supervisee, by: User, to: str, on: dt.date, reason: str = "", ground: str = ""
) -> Supervisee:
    """Move a case along its lifecycle: intake, absconding and return, custody, exits.

    The row is locked, the move checked against ALLOWED_TRANSITIONS (409 when refused) and the law
    (400 with the field named), then the change is dated in StatusChange and audited. `ground` is the
    ground of custody (CCL 32) on a move into custody; API v1 callers may leave it out.
    An intake with its checklist goes through `supervisee_intake`, which calls this."""
    supervisee = (
        # Lock the case row only: the sentence joins as an outer join, which PostgreSQL cannot lock.
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office", "sentence")
        .get(pk=supervisee.pk)
    )
    check_may_change_case(by=by, supervisee=supervisee)
    reason = (reason or "").strip()
    ground = ground or ""
    _raise_if(_transition_refusals(supervisee=supervisee, to=to, on=on, reason=reason, ground=ground))

    before = snapshot(supervisee, ("status", "intake_date", "exit_date", "exit_reason"))
    change = StatusChange(
        supervisee=supervisee,
        from_status=supervisee.status,
        to_status=to,
        date=on,
        recorded_by=by,
        custody_ground=ground,
    )
    if to == Status.UNDER_SUPERVISION and supervisee.intake_date is None:
        supervisee.intake_date = on  # CCL 21: the day the person reported and was registered
    if to in EXIT_STATUSES:
        exit_reason = reason if to == Status.TERMINATED else next(iter(EXIT_REASONS_BY_STATUS[to]))
        supervisee.exit_date, supervisee.exit_reason = on, exit_reason
        change.exit_reason = exit_reason
        if to != Status.TERMINATED:
            change.note = reason
    else:
        change.note = reason
    supervisee.status = to
    supervisee.save(update_fields=["status", "intake_date", "exit_date", "exit_reason", "updated_at"])
    change.save()
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=supervisee,
        supervisee_id=supervisee.pk,
        changes={
            **field_changes(
                before, snapshot(supervisee, ("status", "intake_date", "exit_date", "exit_reason"))
            ),
            **({"note": change.note} if change.note else {}),
            **({"custody_ground": ground} if ground else {}),
        },
    )
    for effect in _transition_effects:
        effect(supervisee, change, by)
    return supervisee


def intake_checklist_errors(checklist: Mapping[str, Any]) -> dict[str, list]:
    """What the checklist leaves undone, by item (`checklist.<code>`): every item is required
    (corrections.intake.INTAKE_CHECKLIST, with the law or practice each comes from)."""
    errors: dict[str, list] = {}
    for key in sorted(set(checklist) - set(IntakeItem.values)):
        errors[f"checklist.{key}"] = [_("This is not an item of the intake checklist.")]
    for item in INTAKE_CHECKLIST:
        if checklist.get(item.code) is not True:
            errors[f"checklist.{item.code}"] = [
                _("Intake needs this done (%(basis)s): do it, then tick it.") % {"basis": item.basis}
            ]
    return errors


@transaction.atomic
def supervisee_intake(
    *, supervisee: Supervisee, by: User, on: dt.date, checklist: Mapping[str, Any], note: str = ""
) -> Supervisee:
    """Intake with its checklist (CCL 21, 22): the person reported on `on` and the institution did each
    item of INTAKE_CHECKLIST. Refused (400) naming every item left undone, with any error of the date;
    "team set up" ticked while the team lacks what CCL 25 asks (corrections.teams) is refused too.

    The checklist is saved first and the move to `under_supervision` made after, in this one
    transaction: the move's transition effects (the intake announcement the documents app writes) run
    inside `supervisee_transition` and read `supervisee.intake_record`. If the move is refused, the
    checklist goes with it."""
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office", "sentence")
        .get(pk=supervisee.pk)
    )
    check_may_change_case(by=by, supervisee=supervisee)
    if supervisee.intake_date is not None:
        raise StateConflict(
            _("The case had its intake on %(date)s.") % {"date": supervisee.intake_date.isoformat()}
        )
    errors = _transition_refusals(
        supervisee=supervisee, to=Status.UNDER_SUPERVISION, on=on, reason=note, ground=""
    )
    for field, messages in intake_checklist_errors(checklist).items():
        errors.setdefault(field, []).extend(messages)
    if checklist.get(IntakeItem.TEAM_SET_UP) is True:
        # Ticked, so the team must be there: what CCL 25 (and 52 for a minor) still asks of it is named.
        for unmet in team_requirements(supervisee=supervisee):
            errors.setdefault(f"checklist.{IntakeItem.TEAM_SET_UP}", []).append(unmet["detail"])
    _raise_if(errors)

    record = IntakeRecord(
        supervisee=supervisee,
        date=on,
        recorded_by=by,
        **{code: checklist.get(code) is True for code in IntakeItem.values},
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=record,
        supervisee_id=supervisee.pk,
        changes=field_changes({}, {"date": on, **record.items}),
    )
    return supervisee_transition(
        supervisee=supervisee, by=by, to=Status.UNDER_SUPERVISION, on=on, reason=note
    )


def supervisee_open(*, user: User, supervisee: Supervisee, ip_address: str | None = None) -> None:
    """Record that `user` read the case (docs/rules.md#audit-and-privacy: every read is audited)."""
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        target=supervisee,
        supervisee_id=supervisee.pk,
        ip_address=ip_address,
    )


def supervisee_search_record(
    *, user: User, filters: Mapping[str, Any], ip_address: str | None = None
) -> None:
    """Searches by name or ID number are audited: they reveal who is under correction. The trail never
    holds a full ID number (API.md): a query that is one, or its beginning, is kept masked."""
    changes = {k: str(v) for k, v in filters.items() if v not in (None, "")}
    if "q" in changes:
        changes["q"] = mask_search_text(changes["q"])
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        target_type="corrections.supervisee",
        changes=changes,
        ip_address=ip_address,
    )
