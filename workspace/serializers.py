"""The supervisee resource as the API answers it: corrections' fields and what other apps compute."""

from rest_framework import serializers

from corrections.serializers import SuperviseeSerializer


class CaseSerializer(SuperviseeSerializer):
    # docs/rules.md#reporting-duties: read-only, computed by the one rule the sweep also uses
    # (supervision.duties); null when the case is not under supervision.
    next_report_due = serializers.DateField(read_only=True, allow_null=True)

    class Meta(SuperviseeSerializer.Meta):
        fields = [*SuperviseeSerializer.Meta.fields, "next_report_due"]
        read_only_fields = [*SuperviseeSerializer.Meta.read_only_fields, "next_report_due"]
