"""The first version of the electronic positioning decision's template (使用电子定位装置决定书, CCL 29),
written when a bureau supervisor approves an order or an extension (API.md v1.1 "What each step
writes"). In force from 2020-07-01 like the first versions (documents/migrations/0003_first_templates.py):
no document of this kind existed before it. Later versions are new rows, never edits of this one.

The step's own values (supervision/services/positioning.py `_write_decision`): ground_text (the ground
in the law's words), ground_item (its item of CCL 29 para. 1, in Chinese numerals), reason, violation
(ground 1: the prohibition order and the day it was broken), order_start, order_end, extends_number
(the decision an extension extends), decision_note."""

import datetime as dt

from django.db import migrations

EFFECTIVE = dt.date(2020, 7, 1)
KIND = "positioning_decision"
TITLE = "{% if extends_number %}延长使用电子定位装置期限决定书{% else %}使用电子定位装置决定书{% endif %}"
BODY = (
    "<p>社区矫正对象{{ name }}，{{ gender }}，{{ birth_date }}出生，公民身份号码{{ id_number }}，"
    "居住地{{ residence_address }}，案号{{ case_number }}。</p>"
    "<p>{{ name }}因犯{{ crime }}，经{{ deciding_agency }}（{{ decision_document }}）决定{{ category }}，"
    "社区矫正期限自{{ start_date }}起至{{ end_date }}止。</p>"
    "<p>该社区矫正对象有下列情形：{{ ground_text }}。{{ reason }}</p>"
    "{% if violation %}<p>违反的禁止令：{{ violation }}。</p>{% endif %}"
    "<p>依照{{ law.positioning }}第（{{ ground_item }}）项、{{ law.positioning_term }}的规定，经{{ issuer }}负责人批准，"
    "{% if extends_number %}决定延长对该社区矫正对象使用电子定位装置的期限（原决定：{{ extends_number }}），"
    "{% else %}决定对该社区矫正对象使用电子定位装置，{% endif %}"
    "期限自{{ order_start }}起至{{ order_end }}止。</p>"
    "<p>不需要继续使用的，应当及时解除；期限届满后经评估仍有必要继续使用的，经批准可以延长，每次不得超过三个月。</p>"
    "<p>通过电子定位装置获得的信息应当严格保密，只能用于社区矫正工作，不得用于其他用途"
    "（{{ law.positioning_confidential }}）。</p>"
    "{% if decision_note %}<p>审批意见：{{ decision_note }}</p>{% endif %}"
)


def create(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    DocumentTemplate.objects.get_or_create(
        kind=KIND, effective_from=EFFECTIVE, defaults={"title": TITLE, "body": BODY}
    )


def remove(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    DocumentTemplate.objects.filter(kind=KIND, effective_from=EFFECTIVE, documents=None).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_first_templates")]
    operations = [migrations.RunPython(create, remove)]
