"""Coordination's part of `seed_demo`: referrals in every state, with their threads, for some demo cases.

Registered into corrections' demo registry. Idempotent: it looks only at demo cases with no referral
yet, and what a case gets depends only on that case (its place in its hundred, its status and its own
generator), so a second run writes nothing and a larger population adds referrals only for new cases.
Rows are written in bulk like the other demo steps (no audit row per row), but the case grants follow
the services' rule: a receiver sees the case exactly when a referral to it is in a state it sees.

What the demo users find: `police` sees the absconded cases whose search was requested (some overdue)
and a penalty request, and a notice to execute an arrest; `judge` a revocation proposal, some with an
arrest request (CCL 47): one the court granted, others past their 48 hours undecided; `procurator` its
notices, one answered "not adopted" with reasons; `officer` and `supervisor` drafts, rejections,
withdrawals and completions.
"""

import datetime as dt

from django.db.models import Case, DateTimeField, Exists, OuterRef, Value, When
from django.utils.translation import gettext as _

from accounts.constants import AgencyKind, Role
from config.office_time import at_office_time
from corrections import law
from corrections.constants import Category, Status
from corrections.demo import CASE_NUMBER_PREFIX, DemoContext, register_demo_step

from .constants import ArrestGround, ArrestStatus, ReferralKind, ReferralStatus
from .models import ArrestRequest, Referral, ReferralMessage
from .services import arrest_decision_due, case_grants_bulk, referral_deadline_days

BATCH_SIZE = 2000
UPDATE_BATCH = 500


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return at_office_time(day, dt.time(hour, minute))


# slot in each hundred -> the plans for that case: (status it must have, categories or None, plan). The
# slots are those whose fate corrections.demo fixes (0-3, 13 supervised; 4 pending and overdue), so even
# a small demo has every state.
_PLANS = {
    0: [(Status.UNDER_SUPERVISION, {Category.PROBATION, Category.PAROLE}, "revocation")],
    1: [(Status.UNDER_SUPERVISION, None, "notice_adopted")],
    2: [(Status.UNDER_SUPERVISION, {Category.TEMPORARY_EXECUTION}, "recommitment_draft")],
    3: [(Status.UNDER_SUPERVISION, {Category.CONTROL, Category.PROBATION}, "penalty")],
    4: [(Status.PENDING_REPORT, None, "documents_overdue")],
    13: [
        (Status.UNDER_SUPERVISION, None, "notice_not_adopted"),
        (Status.UNDER_SUPERVISION, None, "withdrawn"),
    ],
}


class _Builder:
    """Collects the rows of one run; dates are set after the insert (auto_now_add would overwrite)."""

    def __init__(self, context: DemoContext):
        self.context = context
        self.referrals: list[Referral] = []
        self.created_at: list[dt.datetime] = []
        self.messages: list[tuple[int, ReferralMessage, dt.datetime]] = []
        users = context.users
        self.police = users.get("police")
        self.judge = users.get("judge")
        self.procurator = users.get("procurator")
        self.supervisor = users.get("supervisor")

    def add(self, case, *, by, from_agency, to_agency, kind, status, summary, created, sent=None, **extra):
        days = referral_deadline_days(kind=kind, district_id=self.context.district.pk, on=sent or created)
        due = (sent or created) + dt.timedelta(days=days) if days is not None else None
        referral = Referral(
            supervisee=case,
            from_agency=from_agency,
            to_agency=to_agency,
            kind=kind,
            status=status,
            summary=summary,
            due_date=due if status != ReferralStatus.DRAFT else None,
            created_by=by,
            sent_at=_at(sent, 10) if sent else None,
            **extra,
        )
        self.referrals.append(referral)
        self.created_at.append(_at(created, 9))
        return len(self.referrals) - 1

    def say(self, index: int, *, author, agency, body: str, day: dt.date, hour: int = 15) -> None:
        if author is None:
            return
        self.messages.append(
            (index, ReferralMessage(author=author, agency=agency, body=body), _at(day, hour))
        )


def _office_sender(builder: _Builder, case):
    """The case's officer for its office; a case without one is handled by the bureau's supervisor."""
    if case.officer_id and case.officer.role == Role.JUSTICE_OFFICER:
        return case.officer, case.justice_office
    supervisor = builder.supervisor
    if supervisor is not None and supervisor.role == Role.JUSTICE_SUPERVISOR:
        return supervisor, supervisor.agency
    return None, None


def _plan_case(builder: _Builder, case, rng) -> None:
    today = builder.context.today
    police = builder.context.agencies["police"]
    by, sender = _office_sender(builder, case)
    if by is None:
        return
    index = int(case.case_number.removeprefix(CASE_NUMBER_PREFIX))

    if case.status == Status.ABSCONDED:
        # Absconders are searched for at once, the police helping (CCL 30); some answers overdue.
        sent = today - dt.timedelta(days=rng.randint(3, 20))
        accepted = rng.random() < 0.5
        lost = sent - dt.timedelta(days=4)
        i = builder.add(
            case,
            by=by,
            from_agency=sender,
            to_agency=police,
            kind=ReferralKind.ABSCONDER_SEARCH,
            status=ReferralStatus.ACCEPTED if accepted else ReferralStatus.SENT,
            summary=f"{case.name}（{case.case_number}）自{lost:%Y年%m月%d日}起失去联系，"
            "电话关机，居住地无人，请协助查找下落。",
            created=sent - dt.timedelta(days=1),
            sent=sent,
            answered_at=_at(sent + dt.timedelta(days=1), 11) if accepted else None,
        )
        builder.say(i, author=by, agency=sender, body="其家属称可能前往徐州务工，附家属联系电话。", day=sent)
        if accepted:
            builder.say(
                i,
                author=builder.police,
                agency=police,
                body="已布控协查，将其身份信息录入在逃人员系统，有线索即通报。",
                day=sent + dt.timedelta(days=1),
            )
        return

    for status_needed, categories, name in _PLANS.get((index - 1) % 100, []):
        if case.status != status_needed or (categories and case.sentence.category not in categories):
            continue
        _plan(builder, case, rng, name, by=by, sender=sender, index=index)


def _plan(builder: _Builder, case, rng, name: str, *, by, sender, index: int) -> None:
    today = builder.context.today
    agencies = builder.context.agencies
    police, court, procuratorate = (
        agencies["police"],
        case.sentence.deciding_agency,
        agencies["procuratorate"],
    )
    judge = builder.judge if builder.judge and builder.judge.agency_id == court.pk else None
    officer_name = by.get_full_name() or by.username
    sent = today - dt.timedelta(days=rng.randint(3, 12))
    if name == "revocation" and court.kind == AgencyKind.COURT:
        # CCL 46 para. 3: the proposal goes to the court, copied to the procuratorate; CCL 48 para. 1: the
        # court rules within 30 days.
        accepted = (index // 100) % 2 == 1
        i = builder.add(
            case,
            by=by,
            from_agency=sender,
            to_agency=court,
            kind=ReferralKind.REVOCATION_PROPOSAL,
            status=ReferralStatus.ACCEPTED if accepted else ReferralStatus.SENT,
            summary=f"{case.name}在社区矫正期间受到两次警告仍不改正，"
            f"依据{law.REVOCATION_PROPOSAL_ADDRESSEE.chinese()}，提请撤销{case.sentence.get_category_display()}。",
            created=sent - dt.timedelta(days=2),
            sent=sent,
            answered_at=_at(sent + dt.timedelta(days=2), 10) if accepted else None,
        )
        builder.say(i, author=by, agency=sender, body="随函附警告决定书两份及报到记录。", day=sent)
        if accepted:
            builder.say(
                i,
                author=judge,
                agency=court,
                body="已立案审查，将在三十日内作出裁定。",
                day=sent + dt.timedelta(days=2),
            )
    elif name in ("notice_adopted", "notice_not_adopted"):
        procurator = builder.procurator
        if (
            procurator is None
            or procurator.role != Role.PROCURATORATE
            or procurator.agency_id != procuratorate.pk
        ):
            return
        # CCL 62: the notice is answered in writing, with reasons where it is not adopted.
        sent = today - dt.timedelta(days=rng.randint(15, 45))
        adopted = name == "notice_adopted"
        overdue_unanswered = adopted and (index // 100) % 2 == 1
        i = builder.add(
            case,
            by=procurator,
            from_agency=procuratorate,
            to_agency=case.justice_office,
            kind=ReferralKind.PROCURATORIAL_NOTICE,
            status=ReferralStatus.ACCEPTED if overdue_unanswered else ReferralStatus.COMPLETED,
            summary="经检察，该社区矫正对象的外出审批材料不全，未见请假事由证明，建议予以纠正。"
            if adopted
            else "经检察，建议对该社区矫正对象提高管理等级为严管。",
            created=sent - dt.timedelta(days=1),
            sent=sent,
            answered_at=_at(sent + dt.timedelta(days=2), 9),
            closed_at=None if overdue_unanswered else _at(sent + dt.timedelta(days=20), 16),
            adopted=None if overdue_unanswered else adopted,
            outcome=""
            if overdue_unanswered
            else (
                "已补齐请假事由证明，并对承办矫正工作人员进行了批评教育。"
                if adopted
                else "不予采纳。理由：该对象近六个月均按时报到，无违规记录，"
                "依据本省分级管理办法不符合调整为严管的条件，将继续加强走访。"
            ),
        )
        builder.say(
            i, author=by, agency=case.justice_office, body=f"已收到，由{officer_name}负责核查。", day=sent
        )
    elif name == "recommitment_draft":
        builder.add(
            case,
            by=by,
            from_agency=sender,
            to_agency=court,
            kind=ReferralKind.RECOMMITMENT_PROPOSAL,
            status=ReferralStatus.DRAFT,
            summary=f"经病情复查，暂予监外执行的情形已消失，拟依据{law.RECOMMITMENT_PROPOSAL_ADDRESSEE.chinese()}提请收监执行。",
            created=today - dt.timedelta(days=1),
        )
    elif name == "penalty":
        rejected = (index // 100) % 2 == 0
        i = builder.add(
            case,
            by=by,
            from_agency=sender,
            to_agency=police,
            kind=ReferralKind.PUBLIC_SECURITY_PENALTY,
            status=ReferralStatus.REJECTED if rejected else ReferralStatus.COMPLETED,
            summary="该对象违反禁止令进入娱乐场所，情节较重，提请依法给予治安管理处罚。",
            created=sent - dt.timedelta(days=1),
            sent=sent,
            answered_at=_at(sent + dt.timedelta(days=1), 10),
            closed_at=_at(sent + dt.timedelta(days=2), 16),
            outcome="现有证据不足以认定违反治安管理的事实，请补充监控录像等证据后再提请。"
            if rejected
            else "已依法给予警告处罚，处罚决定书已送达本人。",
        )
        builder.say(
            i, author=builder.police, agency=police, body="已收到，正在调取相关证据。", day=sent, hour=17
        )
    elif name == "documents_overdue":
        # CCL 20: the deciding agency delivers the legal documents within 10 days; the office asks for them.
        builder.add(
            case,
            by=by,
            from_agency=sender,
            to_agency=court,
            kind=ReferralKind.DOCUMENT_HANDOVER,
            status=ReferralStatus.SENT,
            summary="该对象判决已生效，至今未收到判决书及执行通知书，请尽快送达。",
            created=today - dt.timedelta(days=14),
            sent=today - dt.timedelta(days=14),
        )
    elif name == "withdrawn":
        i = builder.add(
            case,
            by=by,
            from_agency=sender,
            to_agency=police,
            kind=ReferralKind.OTHER,
            status=ReferralStatus.WITHDRAWN,
            summary="请协助核实该对象近期居住地变更情况。",
            created=sent - dt.timedelta(days=1),
            sent=sent,
            closed_at=_at(sent + dt.timedelta(days=1), 9),
        )
        builder.say(
            i,
            author=by,
            agency=sender,
            body="已由本所实地走访核实，撤回本函。",
            day=sent + dt.timedelta(days=1),
        )


def _arrest_requests(builder: _Builder, referrals: list[Referral]) -> int:
    """CCL 47: revocation proposals sent with an arrest request to the court. An accepted proposal's
    request was granted by the judge the next morning, with a notice to the police to execute it; a
    proposal still awaiting acceptance carries one undecided, past its 48 hours (the sweep's
    `arrest_overdue`). Bulk, like the rest of the demo."""
    from documents.constants import NoticeKind
    from documents.models import Notice

    police = builder.context.agencies["police"]
    judge = builder.judge
    arrests, notices = [], []
    for referral in referrals:
        if referral.kind != ReferralKind.REVOCATION_PROPOSAL or referral.sent_at is None:
            continue
        granted = (
            referral.status == ReferralStatus.ACCEPTED
            and judge is not None
            and judge.agency_id == referral.to_agency_id
        )
        decided_at = referral.sent_at + dt.timedelta(hours=20) if granted else None
        arrests.append(
            ArrestRequest(
                referral=referral,
                ground=ArrestGround.MAY_ABSCOND,
                reasons="该对象曾两次失去联系，并称不愿再接受社区矫正，可能逃跑。",
                status=ArrestStatus.GRANTED if granted else ArrestStatus.REQUESTED,
                requested_by=referral.created_by,
                requested_at=referral.sent_at,
                decision_due_at=arrest_decision_due(referral.sent_at),
                decided_by=judge if granted else None,
                decided_at=decided_at,
                decision_note="经审查，该对象可能逃跑，决定逮捕，交公安机关执行。" if granted else "",
            )
        )
    arrests = ArrestRequest.objects.bulk_create(arrests, batch_size=BATCH_SIZE)
    for arrest in arrests:
        if arrest.status == ArrestStatus.GRANTED:
            notices.append(
                Notice(
                    kind=NoticeKind.ARREST_EXECUTION,
                    supervisee_id=arrest.referral.supervisee_id,
                    from_agency_id=arrest.referral.to_agency_id,
                    to_agency=police,
                    source_type=ArrestRequest._meta.label_lower,
                    source_id=str(arrest.pk),
                    sent_by=judge,
                )
            )
    Notice.objects.bulk_create(notices, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return len(arrests)


def _redate(model, field: str, rows: list[tuple[int, dt.datetime]]) -> None:
    """Set one datetime per row, a few hundred rows per statement."""
    for start in range(0, len(rows), UPDATE_BATCH):
        chunk = rows[start : start + UPDATE_BATCH]
        model.objects.filter(pk__in=[pk for pk, _at in chunk]).update(
            **{field: Case(*(When(pk=pk, then=Value(at)) for pk, at in chunk), output_field=DateTimeField())}
        )


def seed_coordination(context: DemoContext) -> str:
    cases = (
        context.supervisees.filter(case_number__startswith=CASE_NUMBER_PREFIX)
        .exclude(Exists(Referral.objects.filter(supervisee=OuterRef("pk"))))
        .filter(status__in=[Status.ABSCONDED, Status.UNDER_SUPERVISION, Status.PENDING_REPORT])
        .select_related("justice_office", "officer", "sentence__deciding_agency")
        .order_by("pk")
    )
    builder = _Builder(context)
    for case in cases.iterator(chunk_size=2000):
        if not hasattr(case, "sentence"):
            continue
        _plan_case(builder, case, context.rng_for("coordination", case.case_number))
    referrals = Referral.objects.bulk_create(builder.referrals, batch_size=BATCH_SIZE)
    # auto_now_add wrote "now"; give each row the day it really happened.
    _redate(Referral, "created_at", [(r.pk, at) for r, at in zip(referrals, builder.created_at, strict=True)])
    messages = []
    for index, message, _moment in builder.messages:
        message.referral = referrals[index]
        messages.append(message)
    messages = ReferralMessage.objects.bulk_create(messages, batch_size=BATCH_SIZE)
    _redate(
        ReferralMessage,
        "at",
        [(m.pk, at) for m, (_i, _m, at) in zip(messages, builder.messages, strict=True)],
    )
    grants = case_grants_bulk(referrals)
    arrests = _arrest_requests(builder, referrals)
    context.created.update(referrals=len(referrals), referral_messages=len(messages), arrest_requests=arrests)
    return _(
        "%(referrals)d referrals, %(messages)d messages, %(grants)d case grants to receiving agencies"
    ) % {
        "referrals": len(referrals),
        "messages": len(messages),
        "grants": grants,
    }


def register() -> None:
    register_demo_step("coordination", seed_coordination)
