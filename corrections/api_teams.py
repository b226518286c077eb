"""API v1: a case's correction team (矫正小组, CCL 25). Views translate: parse, call one selector or
service, render.

`GET /api/v1/supervisees/{id}/team/` answers `{"members": [...], "requirements": [...]}`, not a
paginated list: a team is a handful of people, and the unmet CCL 25 requirements belong with them on one
screen. `?include_left=true` adds the members who left (with their `left_on`).
`POST /api/v1/supervisees/{id}/team/` adds a member (201); `POST .../team/{member_id}/remove/` dates
their leaving (200). Out of scope is 404; a role that sees the case but may not change it gets 403; a
closed case or a member who already left gets 409.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.permissions import role_permission
from accounts.receivers import client_ip
from config import params
from config.api import TextField

from .constants import Gender
from .models import CorrectionTeamMember, TeamRole
from .selectors import supervisee_get
from .services import supervisee_open
from .teams import (
    CHANGE_TEAMS,
    team_member_add,
    team_member_get,
    team_member_list,
    team_member_remove,
    team_requirements,
)


class TeamMemberSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = CorrectionTeamMember
        fields = ["id", "name", "role", "user", "gender", "phone", "versed_in_minors", "joined_on", "left_on"]


class TeamMemberCreateSerializer(serializers.Serializer):
    name = TextField(max_length=50, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=TeamRole.choices)
    user = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": _("No active account has this username.")},
    )
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True, default="")
    phone = TextField(max_length=20, required=False, allow_blank=True, default="")
    versed_in_minors = serializers.BooleanField(required=False, default=False)
    joined_on = serializers.DateField(required=False, allow_null=True, default=None)


class TeamMemberRemoveSerializer(serializers.Serializer):
    left_on = serializers.DateField(required=False, allow_null=True, default=None)


class TeamRequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()


class TeamSerializer(serializers.Serializer):
    members = TeamMemberSerializer(many=True)
    requirements = TeamRequirementSerializer(many=True)


class TeamView(APIView):
    permission_classes = [IsAuthenticated, role_permission(CHANGE_TEAMS)]

    @extend_schema(
        parameters=[OpenApiParameter("include_left", bool)],
        responses={200: TeamSerializer},
    )
    def get(self, request, pk):
        include_left = params.parse(request.query_params, {"include_left": params.flag})["include_left"]
        supervisee = supervisee_get(user=request.user, pk=pk)
        members = list(team_member_list(supervisee=supervisee, include_left=bool(include_left)))
        requirements = team_requirements(supervisee=supervisee, members=members)
        # A read of the case's record (docs/rules.md#audit-and-privacy: every read is audited).
        supervisee_open(user=request.user, supervisee=supervisee, ip_address=client_ip(request))
        return Response(
            {"members": TeamMemberSerializer(members, many=True).data, "requirements": requirements}
        )

    @extend_schema(request=TeamMemberCreateSerializer, responses={201: TeamMemberSerializer})
    def post(self, request, pk):
        supervisee = supervisee_get(user=request.user, pk=pk)
        body = TeamMemberCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = team_member_add(supervisee=supervisee, by=request.user, **body.validated_data)
        return Response(TeamMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class TeamMemberRemoveView(APIView):
    permission_classes = [IsAuthenticated, role_permission(CHANGE_TEAMS)]

    @extend_schema(request=TeamMemberRemoveSerializer, responses={200: TeamMemberSerializer})
    def post(self, request, pk, member_id):
        supervisee = supervisee_get(user=request.user, pk=pk)
        member = team_member_get(supervisee=supervisee, pk=member_id)
        body = TeamMemberRemoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = team_member_remove(member=member, by=request.user, left_on=body.validated_data["left_on"])
        return Response(TeamMemberSerializer(member).data)
