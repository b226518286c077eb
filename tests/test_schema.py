"""The OpenAPI document tells the truth: what may be null is nullable, and every operation lists the
error answers it can give (docs/api.md#conventions)."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


NULLABLE = [
    ("Alert", "acknowledged_by"),
    ("Alert", "resolved_by"),
    ("LeaveRequest", "decided_by"),
    ("Measure", "decided_by"),
    ("AuditEvent", "supervisee"),
    ("AuditEvent", "agency"),
    ("Case", "exit_reason"),
    ("Case", "id_number"),
    ("Case", "crime"),
    ("Case", "crime_chapter"),
    ("Case", "officer"),
    ("Me", "agency"),
    ("TeamMember", "user"),
]


@pytest.mark.parametrize(("component", "field"), NULLABLE)
def test_nullable_fields_are_declared_nullable(schema, component, field):
    prop = schema["components"]["schemas"][component]["properties"][field]
    assert prop.get("nullable") is True or any(
        "NullEnum" in str(option) for option in prop.get("oneOf", [])
    ), prop


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        ("/api/v1/supervisees/", "post", {"400", "401", "403", "404"}),
        ("/api/v1/supervisees/{id}/", "patch", {"400", "401", "403", "404"}),
        ("/api/v1/supervisees/{id}/transition/", "post", {"400", "401", "403", "404", "409"}),
        ("/api/v1/checkins/", "post", {"400", "401", "403", "404"}),
        ("/api/v1/leave-requests/{id}/approve/", "post", {"400", "401", "403", "404", "409"}),
        ("/api/v1/referrals/{id}/accept/", "post", {"400", "401", "403", "404", "409"}),
        ("/api/v1/alerts/", "get", {"400", "401", "403"}),
        ("/api/v1/alerts/{id}/", "get", {"401", "403", "404"}),
        ("/api/v1/auth/token/", "post", {"400", "429"}),
    ],
)
def test_operations_document_their_errors(schema, path, method, statuses):
    responses = schema["paths"][path][method]["responses"]
    assert statuses <= set(responses), sorted(responses)
    assert "$ref" in str(responses["400"]) if "400" in statuses else True


def test_the_field_error_body_is_a_component(schema):
    body = schema["paths"]["/api/v1/supervisees/"]["post"]["responses"]["400"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/FieldErrors"}


def test_a_sensitive_field_still_refuses_null_on_input():
    from corrections.serializers import AnsweredNullCharField

    field = AnsweredNullCharField(max_length=20)
    from rest_framework.exceptions import ValidationError

    with pytest.raises(ValidationError):
        field.run_validation(None)
