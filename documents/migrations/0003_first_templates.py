"""The first version of each document's template, in force from 2020-07-01 (the Community Correction
Law's commencement). Later versions are added as new rows with their own effective date (in /admin/ or
a migration of their own), never by editing these: each document names the version it was written
from. The values a body may use are listed in documents/contents.py; legal references come from
corrections.law as {{ law.name }}."""

import datetime as dt

from django.db import migrations

EFFECTIVE = dt.date(2020, 7, 1)

CASE_LINE = (
    "<p>社区矫正对象{{ name }}，{{ gender }}，{{ birth_date }}出生，公民身份号码{{ id_number }}，"
    "居住地{{ residence_address }}，案号{{ case_number }}。</p>"
)

TEMPLATES = {
    "intake_announcement": (
        "社区矫正宣告书",
        CASE_LINE
        + "<p>{{ name }}因犯{{ crime }}，经{{ deciding_agency }}（{{ decision_document }}）决定{{ category }}。"
        "依照{{ law.intake }}的规定，{{ justice_office }}于{{ intake_date }}接收该社区矫正对象，"
        "现宣告如下：</p>"
        "<p>一、犯罪事实：{{ crime }}。</p>"
        "<p>二、社区矫正期限：自{{ start_date }}起至{{ end_date }}止。</p>"
        "<p>三、社区矫正期间应当遵守法律、行政法规，履行判决、裁定、暂予监外执行决定等法律文书确定的义务，"
        "遵守报告、会客、外出、迁居、保外就医等监督管理规定，服从社区矫正机构的管理（{{ law.duties }}）。</p>"
        "{% if prohibitions %}<p>四、禁止令：{{ prohibitions }}。</p>{% endif %}"
        "{% if checklist %}<p>接收时已办理：{{ checklist }}。</p>{% endif %}"
        "<p>宣告人：{{ issuer }}　　社区矫正对象（签名）：＿＿＿＿＿＿</p>",
    ),
    "release_certificate": (
        "解除社区矫正证明书",
        CASE_LINE
        + "<p>{{ name }}因犯{{ crime }}，经{{ deciding_agency }}（{{ decision_document }}）决定{{ category }}，"
        "社区矫正期限自{{ start_date }}起至{{ end_date }}止。</p>"
        "<p>{% if exit_reason == 'pardoned' %}该社区矫正对象被赦免{% else %}该社区矫正对象社区矫正期满{% endif %}，"
        "依照{{ law.release }}的规定，于{{ exit_date }}解除社区矫正。</p>"
        "<p>特此证明。</p>",
    ),
    "admonition_decision": (
        "训诫决定书",
        CASE_LINE + "<p>该社区矫正对象于{{ occurred_on }}有下列违反监督管理规定的行为：{{ reason }}。</p>"
        "{% if evidence %}<p>证据：{{ evidence }}。</p>{% endif %}"
        "<p>依照{{ law.measures }}的规定，决定给予训诫。</p>"
        "<p>该社区矫正对象应当遵守监督管理规定，服从社区矫正机构的管理。</p>",
    ),
    "warning_decision": (
        "警告决定书",
        CASE_LINE + "<p>该社区矫正对象于{{ occurred_on }}有下列违反监督管理规定的行为：{{ reason }}。</p>"
        "{% if evidence %}<p>证据：{{ evidence }}。</p>{% endif %}"
        "<p>依照{{ law.measures }}的规定，决定给予警告。</p>"
        "<p>本决定抄送{{ procuratorate|default:'人民检察院' }}。</p>",
    ),
    "leave_approval": (
        "社区矫正对象外出审批决定书",
        CASE_LINE + "<p>该社区矫正对象申请于{{ start_date_leave }}至{{ end_date_leave }}（共{{ days }}日）"
        "离开所居住的市、县，前往{{ destination }}，事由：{{ reason }}。</p>"
        "<p>依照{{ law.leave }}的规定，经{{ level }}审批，准予外出。"
        "{% if decision_note %}（{{ decision_note }}）{% endif %}</p>"
        "<p>外出期间应当遵守监督管理规定，按时报告，外出期满前返回居住地并向社区矫正机构报告。</p>",
    ),
    "referral_letter": (
        "{{ kind_title }}",
        "<p class='to'>{{ to_agency }}：</p>"
        + CASE_LINE
        + "<p>{{ name }}因犯{{ crime }}，经{{ deciding_agency }}（{{ decision_document }}）决定{{ category }}，"
        "社区矫正期限自{{ start_date }}起至{{ end_date }}止。</p>"
        "<p>{{ summary }}</p>"
        "<p>依照{{ legal_basis }}的规定，{{ request }}。</p>"
        "<p>此致</p><p class='to'>{{ to_agency }}</p>",
    ),
}


def create(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for kind, (title, body) in TEMPLATES.items():
        DocumentTemplate.objects.get_or_create(
            kind=kind, effective_from=EFFECTIVE, defaults={"title": title, "body": body}
        )


def remove(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    DocumentTemplate.objects.filter(
        kind__in=list(TEMPLATES), effective_from=EFFECTIVE, documents=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_documents_append_only")]
    operations = [migrations.RunPython(create, remove)]
