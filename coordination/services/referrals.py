"""Referrals between agencies: creating, moving, the thread, and the grants that let the receiver see
the case.

Who may do what (docs/roles.md#the-roles): the sending agency drafts, sends and withdraws; the receiving
agency accepts, rejects, answers and completes; both may write in the thread and attach documents. The
agency on a referral always comes from the signed-in user, never from the request. The receiving
agency sees the case through a django-guardian grant to its group, given when the referral is sent and
taken back when the last referral that justified it is withdrawn.
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from accounts.constants import AgencyKind, AuditAction, Role
from accounts.local_rules import in_force
from accounts.models import Agency, User
from accounts.permissions import RoleRule
from accounts.services import agency_group, audit_record, field_changes, snapshot
from config.api import StateConflict
from config.office_time import office_today
from config.plausible import latest_date
from corrections import law
from corrections.constants import Category
from corrections.models import Supervisee, SuperviseeGroupObjectPermission
from corrections.scoping import can_edit_case
from documents.constants import DocumentKind, NoticeKind
from documents.services import district_agency, document_issue, notice_send

from ..constants import REFERRAL_TRANSITIONS, VISIBLE_TO_RECEIVER, ReferralKind, ReferralStatus
from ..models import Referral, ReferralDeadline, ReferralMessage

VIEW_CASE = "corrections.view_supervisee"
FINAL_STATUSES = frozenset({ReferralStatus.REJECTED, ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN})
# Social workers work for a justice office but never act for it on a referral (docs/roles.md#the-roles).
ACTING_ROLES = frozenset(
    {Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR, Role.POLICE, Role.PROCURATORATE, Role.COURT}
)
# Who creates referrals (`_check_creator`): the justice offices and bureau, and the procuratorate its
# notices. The sending agency is always the creator's, so these are also the only ones who send and withdraw.
CREATING_ROLES = frozenset({Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR, Role.PROCURATORATE})
JUSTICE_KINDS = frozenset({AgencyKind.JUSTICE_BUREAU, AgencyKind.JUSTICE_OFFICE})
# Agencies outside the district that may still receive a referral about a case: the one that decided it.
DECIDING_KINDS = frozenset({AgencyKind.COURT, AgencyKind.PRISON, AgencyKind.POLICE})
# CCL 62: a notice not adopted is answered "with reasons"; a bare "not adopted" is not an answer.
MIN_REASONS_LENGTH = 10

FIELDS = ("status", "due_date", "outcome", "adopted", "sent_at", "answered_at", "closed_at")

# Who may take each action on some referral at all (accounts.permissions); on one referral, the services
# below decide (`_check_creator`, `is_sender`, `is_receiver`, `is_party`). Any agency the district may
# address answers, so every acting role may answer and write in a thread; social workers never act.
# CCL 62: the procuratorate's notices are its own; nobody else issues them (the case page's form).
ISSUE_PROCURATORIAL_NOTICES = RoleRule(
    frozenset({Role.PROCURATORATE}), gettext_lazy("Only the procuratorate issues procuratorial notices.")
)
CREATE_REFERRALS = RoleRule(CREATING_ROLES, gettext_lazy("Your role does not create referrals."))
SEND_REFERRALS = RoleRule(CREATING_ROLES, gettext_lazy("Only the sending agency may do this."))
ANSWER_REFERRALS = RoleRule(
    ACTING_ROLES, gettext_lazy("Only the agency the referral is addressed to may do this.")
)
WRITE_IN_THREADS = RoleRule(
    ACTING_ROLES, gettext_lazy("Only the sending and receiving agencies write in a referral's thread.")
)


# --- who is who on a referral ------------------------------------------------------------------------


def is_sender(user: User, referral: Referral) -> bool:
    """The sending agency's staff; a bureau supervisor also acts for the offices of its district."""
    if user.role not in ACTING_ROLES or not user.agency_id:
        return False
    if user.agency_id == referral.from_agency_id:
        return True
    return (
        user.role == Role.JUSTICE_SUPERVISOR
        and referral.from_agency.kind == AgencyKind.JUSTICE_OFFICE
        and referral.from_agency.district_id == user.agency.district_id
    )


def is_receiver(user: User, referral: Referral) -> bool:
    return user.role in ACTING_ROLES and bool(user.agency_id) and user.agency_id == referral.to_agency_id


def is_party(user: User, referral: Referral) -> bool:
    return is_sender(user, referral) or (
        is_receiver(user, referral) and referral.status in VISIBLE_TO_RECEIVER
    )


# --- deadlines and grants ----------------------------------------------------------------------------


def referral_deadline_days(*, kind: str, district_id: int | None, on: dt.date) -> int | None:
    """Days to answer in force on `on` (*local* data, accounts.local_rules); None when no row applies."""
    row = in_force(ReferralDeadline, district=district_id, on=on, kind=kind).get((kind,))
    return row.days if row else None


def case_grant(*, agency: Agency, supervisee: Supervisee) -> None:
    """Let the whole receiving agency see the one case (a direct foreign-key guardian row)."""
    # guardian picks SuperviseeGroupObjectPermission (the direct FK model) for a Supervisee; a test pins it.
    assign_perm(VIEW_CASE, agency_group(agency=agency), supervisee)


def case_grants_bulk(referrals: Iterable[Referral]) -> int:
    """The same grants for many referrals in one statement (the demo data, a repair job). Referrals
    must have `to_agency` and be in a status the receiver sees."""
    permission = Permission.objects.get(content_type__app_label="corrections", codename="view_supervisee")
    groups: dict[int, int] = {}
    rows = []
    for referral in referrals:
        if referral.status not in VISIBLE_TO_RECEIVER:
            continue
        if referral.to_agency_id not in groups:
            groups[referral.to_agency_id] = agency_group(agency=referral.to_agency).pk
        rows.append(
            SuperviseeGroupObjectPermission(
                group_id=groups[referral.to_agency_id],
                permission=permission,
                content_object_id=referral.supervisee_id,
            )
        )
    SuperviseeGroupObjectPermission.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _case_revoke_unless_still_referred(referral: Referral) -> None:
    """Take the grant back unless another referral to that agency about the case still justifies it."""
    still = (
        Referral.objects.filter(
            supervisee_id=referral.supervisee_id,
            to_agency_id=referral.to_agency_id,
            status__in=VISIBLE_TO_RECEIVER,
        )
        .exclude(pk=referral.pk)
        .exists()
    )
    if still or referral.to_agency.group_id is None:
        return
    remove_perm(VIEW_CASE, referral.to_agency.group, referral.supervisee)


# --- creating: who may address what to whom -------------------------------------------------------


def _check_creator(*, by: User, supervisee: Supervisee, kind: str) -> None:
    if by.role in (Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR):
        if not can_edit_case(by, supervisee):
            raise PermissionDenied(_("You may draft referrals only for the cases of your own office."))
        if kind == ReferralKind.PROCURATORIAL_NOTICE:
            raise PermissionDenied(_("Only the procuratorate issues procuratorial notices."))
        return
    if by.role == Role.PROCURATORATE:
        # CCL 62: the procuratorate's part is its notices to the correction agency, nothing else.
        if kind != ReferralKind.PROCURATORIAL_NOTICE:
            raise PermissionDenied(_("The procuratorate may issue only procuratorial notices."))
        if supervisee.justice_office.district_id != by.agency.district_id:
            raise PermissionDenied(_("This case is outside your district."))
        return
    raise PermissionDenied(_("Your role may read referrals but not create them."))


def _check_addressee(*, by: User, supervisee: Supervisee, to_agency: Agency, kind: str) -> None:
    sentence = getattr(supervisee, "sentence", None)
    deciding = sentence.deciding_agency if sentence else None
    in_district = to_agency.district_id == by.agency.district_id
    is_deciding = deciding is not None and to_agency.pk == deciding.pk and to_agency.kind in DECIDING_KINDS
    if to_agency.pk == by.agency_id:
        raise ValidationError({"to_agency": [_("A referral goes to another agency, not your own.")]})
    if not (in_district or is_deciding):
        raise ValidationError(
            {
                "to_agency": [
                    _(
                        "Send referrals to an agency of your district, or to the court, prison or police "
                        "that decided this case."
                    )
                ]
            }
        )
    category = sentence.category if sentence else None
    police_kinds = (ReferralKind.ABSCONDER_SEARCH, ReferralKind.PUBLIC_SECURITY_PENALTY)
    if kind in police_kinds and to_agency.kind != AgencyKind.POLICE:
        raise ValidationError({"to_agency": [_("This kind of request goes to the police.")]})
    # The place of execution is the district of the justice office in charge of the case.
    at_execution_place = to_agency.district_id == supervisee.justice_office.district_id
    if kind == ReferralKind.PUBLIC_SECURITY_PENALTY and category == Category.PAROLE:
        # The product's rule, not the law's: no text checked here forbids a police penalty for a parolee
        # (CCL 28 and 59 speak of any supervisee). What the texts support is the alternative the message
        # points to: a parolee's breach, short of a new crime, is itself a ground to revoke parole
        # (CL 86 para. 3; SPC 543 para. 2 leaves out the "penalised by the police and still not reformed"
        # ground that probation has). The rule's own source is to be confirmed in the Implementation
        # Measures (docs/rules.md, "Known discrepancies between code and law").
        raise ValidationError(
            {
                "kind": [
                    _(
                        "This office does not ask the police to penalise a parolee: a parolee's breach of "
                        "the rules is itself a ground to revoke parole, so propose revoking parole instead "
                        "(%(refs)s)."
                    )
                    % {"refs": law.cite(law.PAROLE_REVOKED_BREACH, law.PAROLE_REVOCATION_GROUNDS)}
                ]
            }
        )
    if kind == ReferralKind.REVOCATION_PROPOSAL:
        # CL 77, 86; CCL 46 para. 1: only probation and parole are revoked, by a court.
        if category not in (Category.PROBATION, Category.PAROLE):
            raise ValidationError(
                {
                    "kind": [
                        _("Only probation or parole can be revoked (%(refs)s).")
                        % {"refs": law.cite(law.PROBATION_REVOKED_BREACH, law.PAROLE_REVOKED_BREACH)}
                    ]
                }
            )
        if to_agency.kind != AgencyKind.COURT:
            raise ValidationError({"to_agency": [_("A revocation proposal goes to a court.")]})
        # CCL 46 para. 3: to the original trial court or the court of the place of execution.
        original_court = (
            deciding is not None and deciding.kind == AgencyKind.COURT and to_agency.pk == deciding.pk
        )
        if deciding is not None and not (original_court or at_execution_place):
            raise ValidationError(
                {
                    "to_agency": [
                        _(
                            "A revocation proposal goes to the court that decided the case or to a court "
                            "of the place of execution (%(ref)s)."
                        )
                        % {"ref": law.REVOCATION_PROPOSAL_ADDRESSEE}
                    ]
                }
            )
    if kind == ReferralKind.RECOMMITMENT_PROPOSAL:
        # CCL 49: recommitment ends temporary execution only.
        if category != Category.TEMPORARY_EXECUTION:
            raise ValidationError(
                {
                    "kind": [
                        _("Only a case of temporary execution outside prison is recommitted (%(ref)s).")
                        % {"ref": law.RECOMMITMENT_PROPOSAL_ADDRESSEE}
                    ]
                }
            )
        # CCL 49 para. 1: to the original deciding agency, or the place of execution's agency of the
        # same kind (a court, the police, a prison administration).
        if deciding is not None and not (
            to_agency.pk == deciding.pk or (at_execution_place and to_agency.kind == deciding.kind)
        ):
            raise ValidationError(
                {
                    "to_agency": [
                        _(
                            "A recommitment proposal goes to the agency that decided the case or to the "
                            "place of execution's agency of the same kind (%(ref)s)."
                        )
                        % {"ref": law.RECOMMITMENT_PROPOSAL_ADDRESSEE}
                    ]
                }
            )
    if kind == ReferralKind.PROCURATORIAL_NOTICE:
        # CCL 62: the notice goes to the correction agency: the district's justice bureau or the
        # justice office in charge of the case.
        to_bureau = to_agency.kind == AgencyKind.JUSTICE_BUREAU and in_district
        to_office = to_agency.pk == supervisee.justice_office_id
        if not (to_bureau or to_office):
            raise ValidationError(
                {
                    "to_agency": [
                        _(
                            "A procuratorial notice goes to the district's justice bureau or to the "
                            "justice office in charge of the case."
                        )
                    ]
                }
            )
    if kind == ReferralKind.TRANSFER and to_agency.kind not in JUSTICE_KINDS:
        raise ValidationError({"to_agency": [_("A transfer goes to a justice office or bureau.")]})


@transaction.atomic
def referral_create(
    *,
    supervisee: Supervisee,
    by: User,
    to_agency: Agency,
    kind: str,
    summary: str,
    due_date: dt.date | None = None,
) -> Referral:
    """A draft referral from the caller's own agency (never one named in the request)."""
    summary = (summary or "").strip()
    supervisee = Supervisee.objects.select_related("justice_office", "sentence__deciding_agency").get(
        pk=supervisee.pk
    )
    _check_creator(by=by, supervisee=supervisee, kind=kind)
    if kind not in ReferralKind.values:
        raise ValidationError(
            {"kind": [_("Use one of: %(values)s.") % {"values": ", ".join(ReferralKind.values)}]}
        )
    if not summary:
        raise ValidationError({"summary": [_("Say what the referral is about.")]})
    _check_addressee(by=by, supervisee=supervisee, to_agency=to_agency, kind=kind)
    if due_date is not None and due_date < office_today():
        raise ValidationError({"due_date": [_("The answer cannot be due before today.")]})
    if due_date is not None and due_date > latest_date():
        # The longest answer deadline is the court's 30 days (CCL 47); a year ahead is no deadline.
        raise ValidationError(
            {
                "due_date": [
                    _("The answer cannot be due more than a year ahead (at the latest %(date)s).")
                    % {"date": latest_date().isoformat()}
                ]
            }
        )
    referral = Referral(
        supervisee=supervisee,
        from_agency_id=by.agency_id,
        to_agency=to_agency,
        kind=kind,
        summary=summary,
        due_date=due_date,
        created_by=by,
    )
    referral.full_clean()
    referral.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=referral,
        supervisee_id=supervisee.pk,
        changes={
            "kind": kind,
            "from_agency": by.agency_id,
            "to_agency": to_agency.pk,
            "due_date": due_date.isoformat() if due_date else None,
        },
    )
    return referral


# --- moving a referral -------------------------------------------------------------------------------


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("from_agency", "to_agency__group", "supervisee__justice_office")
        .get(pk=referral.pk)
    )


def _check_move(referral: Referral, to: str) -> None:
    if to not in REFERRAL_TRANSITIONS[referral.status]:
        raise StateConflict(
            _("A referral that is %(current)s cannot become %(to)s.")
            % {"current": ReferralStatus(referral.status).label, "to": ReferralStatus(to).label}
        )


def _require_sender(by: User, referral: Referral) -> None:
    if not is_sender(by, referral):
        raise PermissionDenied(_("Only the sending agency may do this."))


def _require_receiver(by: User, referral: Referral) -> None:
    if not is_receiver(by, referral):
        raise PermissionDenied(_("Only the agency the referral is addressed to may do this."))


def _audit_move(by: User, referral: Referral, before: dict, **extra) -> None:
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=referral,
        supervisee_id=referral.supervisee_id,
        changes={**field_changes(before, snapshot(referral, FIELDS)), **extra},
    )


@transaction.atomic
def referral_send(*, referral: Referral, by: User) -> Referral:
    """Send the draft: the answer is due after the days in force for its kind, and the receiving
    agency now sees the case."""
    referral = _locked(referral)
    _require_sender(by, referral)
    _check_move(referral, ReferralStatus.SENT)
    before = snapshot(referral, FIELDS)
    today = office_today()
    days = referral_deadline_days(
        kind=referral.kind, district_id=referral.supervisee.justice_office.district_id, on=today
    )
    if days is not None:
        referral.due_date = today + dt.timedelta(days=days)
    referral.status, referral.sent_at = ReferralStatus.SENT, timezone.now()
    referral.save(update_fields=["status", "sent_at", "due_date"])
    case_grant(agency=referral.to_agency, supervisee=referral.supervisee)
    _audit_move(by, referral, before)
    # CCL 47 para. 1: an arrest request attached to a revocation proposal goes with it (imported here:
    # the arrests module builds on this one).
    from .arrests import arrest_on_proposal_sent

    arrest_on_proposal_sent(referral, by)
    if referral.kind in PROPOSAL_KINDS:
        _write_proposal(referral, by)
    return referral


# Proposals the correction agency makes to another authority (CCL 28): each is sent with its letter and
# copied to the district's procuratorate (API.md v1.1 "What each step writes"; CCL 46 para. 3 for a
# revocation proposal). Title, request and legal basis of the letter, by kind and category.
PROPOSAL_LETTERS = {
    # (kind, category or None for any): (title, request, legal basis)
    (ReferralKind.REVOCATION_PROPOSAL, Category.PROBATION): (
        "提请撤销缓刑建议书",
        "提请依法撤销缓刑",
        (law.PROBATION_REVOKED_BREACH, law.COURT_REVOKES),
    ),
    (ReferralKind.REVOCATION_PROPOSAL, Category.PAROLE): (
        "提请撤销假释建议书",
        "提请依法撤销假释",
        (law.PAROLE_REVOKED_BREACH, law.COURT_REVOKES),
    ),
    (ReferralKind.RECOMMITMENT_PROPOSAL, None): (
        "提请收监执行建议书",
        "提请对其依法收监执行",
        (law.RECOMMITMENT_GROUNDS, law.RECOMMITMENT_PROPOSAL_ADDRESSEE),
    ),
    (ReferralKind.PUBLIC_SECURITY_PENALTY, None): (
        "提请治安管理处罚建议书",
        "提请依法给予治安管理处罚",
        (law.MEASURES_FOR_BREACH, law.POLICE_PENALTY),
    ),
}
PROPOSAL_KINDS = frozenset(kind for kind, _category in PROPOSAL_LETTERS)


def _proposal_letter(referral: Referral) -> dict[str, str]:
    category = referral.supervisee.sentence.category
    title, request, refs = PROPOSAL_LETTERS.get(
        (referral.kind, category), PROPOSAL_LETTERS.get((referral.kind, None))
    )
    with translation.override("zh-hans"):
        basis = law.cite(*refs)
    return {"kind_title": title, "request": request, "legal_basis": basis}


def _write_proposal(referral: Referral, by: User) -> None:
    letter = document_issue(
        kind=DocumentKind.REFERRAL_LETTER,
        supervisee=referral.supervisee,
        by=by,
        source=referral,
        to_agency=referral.to_agency.name,
        summary=referral.summary,
        **_proposal_letter(referral),
    )
    notice_send(
        kind=NoticeKind.PROPOSAL_COPY,
        supervisee=referral.supervisee,
        by=by,
        to=[
            district_agency(
                district_id=referral.supervisee.justice_office.district_id, kind=AgencyKind.PROCURATORATE
            )
        ],
        source=referral,
        document=letter,
    )


@transaction.atomic
def procuratorial_notice_issue(
    *, supervisee: Supervisee, by: User, to_agency: Agency, summary: str
) -> Referral:
    """The procuratorate's notice (检察建议, 纠正意见) from the case page: written and sent at once, to be
    answered in writing (CCL 62). The same checks as any referral: only the procuratorate, of the
    case's district, to the bureau or the office in charge."""
    ISSUE_PROCURATORIAL_NOTICES.check(by)
    referral = referral_create(
        supervisee=supervisee,
        by=by,
        to_agency=to_agency,
        kind=ReferralKind.PROCURATORIAL_NOTICE,
        summary=summary,
    )
    return referral_send(referral=referral, by=by)


@transaction.atomic
def referral_withdraw(*, referral: Referral, by: User, note: str = "") -> Referral:
    """The sender takes the referral back; the receiver stops seeing the case unless another referral
    to it about the same case still stands."""
    referral = _locked(referral)
    _require_sender(by, referral)
    _check_move(referral, ReferralStatus.WITHDRAWN)
    before = snapshot(referral, FIELDS)
    referral.status, referral.closed_at = ReferralStatus.WITHDRAWN, timezone.now()
    referral.save(update_fields=["status", "closed_at"])
    note = (note or "").strip()
    if note:
        ReferralMessage.objects.create(referral=referral, author=by, agency_id=by.agency_id, body=note)
    _case_revoke_unless_still_referred(referral)
    _audit_move(by, referral, before, **({"note": note} if note else {}))
    from .arrests import arrest_on_proposal_withdrawn

    arrest_on_proposal_withdrawn(referral, by)
    return referral


@transaction.atomic
def referral_accept(*, referral: Referral, by: User) -> Referral:
    referral = _locked(referral)
    _require_receiver(by, referral)
    _check_move(referral, ReferralStatus.ACCEPTED)
    before = snapshot(referral, FIELDS)
    referral.status, referral.answered_at = ReferralStatus.ACCEPTED, timezone.now()
    referral.save(update_fields=["status", "answered_at"])
    _audit_move(by, referral, before)
    return referral


@transaction.atomic
def referral_reject(*, referral: Referral, by: User, note: str) -> Referral:
    """The receiver declines, saying why (the note becomes the referral's outcome)."""
    referral = _locked(referral)
    _require_receiver(by, referral)
    _check_move(referral, ReferralStatus.REJECTED)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say why the referral is rejected.")]})
    before = snapshot(referral, FIELDS)
    now = timezone.now()
    referral.status, referral.outcome, referral.answered_at, referral.closed_at = (
        ReferralStatus.REJECTED,
        note,
        now,
        now,
    )
    referral.save(update_fields=["status", "outcome", "answered_at", "closed_at"])
    _audit_move(by, referral, before)
    return referral


@transaction.atomic
def referral_complete(*, referral: Referral, by: User, outcome: str, adopted: bool | None = None) -> Referral:
    """The receiver's answer. A procuratorial notice is answered in writing, saying whether it was
    adopted, with reasons where it was not (CCL 62)."""
    outcome = (outcome or "").strip()
    referral = _locked(referral)
    _require_receiver(by, referral)
    _check_move(referral, ReferralStatus.COMPLETED)
    if not outcome:
        raise ValidationError({"outcome": [_("Write the outcome before completing the referral.")]})
    if referral.kind == ReferralKind.PROCURATORIAL_NOTICE:
        if adopted is None:
            raise ValidationError(
                {
                    "adopted": [
                        _("Say whether the procuratorial notice was adopted (%(ref)s).")
                        % {"ref": law.PROCURATORIAL_NOTICE}
                    ]
                }
            )
        if adopted is False and len(outcome) < MIN_REASONS_LENGTH:
            raise ValidationError(
                {
                    "outcome": [
                        _(
                            "A notice that is not adopted is answered with the reasons, in at least "
                            "%(count)d characters (%(ref)s)."
                        )
                        % {"count": MIN_REASONS_LENGTH, "ref": law.PROCURATORIAL_NOTICE}
                    ]
                }
            )
    elif adopted is not None:
        raise ValidationError({"adopted": [_("Only a procuratorial notice is adopted or not.")]})
    before = snapshot(referral, FIELDS)
    referral.status, referral.outcome, referral.adopted, referral.closed_at = (
        ReferralStatus.COMPLETED,
        outcome,
        adopted,
        timezone.now(),
    )
    referral.save(update_fields=["status", "outcome", "adopted", "closed_at"])
    _audit_move(by, referral, before)
    return referral


@transaction.atomic
def referral_respond(*, referral: Referral, by: User, body: str) -> ReferralMessage:
    """A message in the referral's thread, from either party, while the referral is open."""
    referral = _locked(referral)
    if not is_party(by, referral):
        raise PermissionDenied(_("Only the sending and receiving agencies write in a referral's thread."))
    if referral.status in FINAL_STATUSES:
        raise StateConflict(
            _("A referral that is %(current)s takes no more messages.")
            % {"current": ReferralStatus(referral.status).label}
        )
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write the message before sending it.")]})
    message = ReferralMessage.objects.create(referral=referral, author=by, agency_id=by.agency_id, body=body)
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=message,
        supervisee_id=referral.supervisee_id,
        changes={"referral": referral.pk, "body": body},
    )
    return message
