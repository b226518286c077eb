from rest_framework import serializers

from config.api import TextField

from .models import Agency, AuditEvent, User


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "parent"]


class AgencyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind"]


class MeSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer(read_only=True, allow_null=True)  # a user need not belong to one

    class Meta:
        model = User
        fields = ["username", "role", "agency"]


class TokenRequestSerializer(serializers.Serializer):
    username = TextField()
    password = TextField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_username", read_only=True)
    agency = serializers.IntegerField(source="agency_id", read_only=True, allow_null=True)
    supervisee = serializers.IntegerField(source="supervisee_id", read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "agency",
            "action",
            "target_type",
            "target_id",
            "supervisee",
            "changes",
        ]
