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
        # 409: a closed case is read-only (found by schemathesis, tests/test_schemathesis.py).
        ("/api/v1/supervisees/{id}/", "patch", {"400", "401", "403", "404", "409"}),
        ("/api/v1/supervisees/{id}/transition/", "post", {"400", "401", "403", "404", "409"}),
        # 409: a check-in, leave or a measure for a case no longer under supervision (found by
        # schemathesis).
        ("/api/v1/checkins/", "post", {"400", "401", "403", "404", "409", "415"}),
        ("/api/v1/leave-requests/", "post", {"400", "401", "403", "404", "409"}),
        ("/api/v1/measures/", "post", {"400", "401", "403", "404", "409"}),
        ("/api/v1/leave-requests/{id}/approve/", "post", {"400", "401", "403", "404", "409"}),
        ("/api/v1/referrals/{id}/accept/", "post", {"400", "401", "403", "404", "409"}),
        # 404: a page past the last (config.api.Pagination; found by schemathesis).
        ("/api/v1/alerts/", "get", {"400", "401", "403", "404"}),
        ("/api/v1/supervisees/{id}/timeline/", "get", {"400", "401", "403", "404"}),
        ("/api/v1/alerts/{id}/", "get", {"401", "403", "404"}),
        # 401: a wrong username or password (found by schemathesis).
        # 415: a body that is not JSON (and not the upload's multipart; found by schemathesis).
        ("/api/v1/auth/token/", "post", {"400", "401", "415", "429"}),
        ("/api/v1/referrals/{id}/attachments/", "post", {"400", "401", "403", "404", "409", "415"}),
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


# --- found by schemathesis (tests/test_schemathesis.py): what the document did not say ---------------------


@pytest.mark.parametrize(
    ("path", "component"),
    [
        ("/api/v1/supervisees/{id}/suggestions/", "PaginatedSuggestionList"),
        ("/api/v1/supervisees/{id}/timeline/", "PaginatedTimelineEventList"),
    ],
)
def test_lists_of_one_case_are_documented_as_the_paginated_lists_they_are(schema, path, component):
    operation = schema["paths"][path]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": f"#/components/schemas/{component}"}
    assert {"count", "results"} <= set(schema["components"]["schemas"][component]["properties"])
    assert {"page", "page_size"} <= {p["name"] for p in operation["parameters"]}


def test_an_attachment_is_documented_with_the_types_it_may_have(schema):
    from coordination.services.attachments import FILE_TYPES

    answer = schema["paths"]["/api/v1/referrals/{id}/attachments/{attachment_pk}/"]["get"]["responses"]["200"]
    assert set(answer["content"]) == {content_type for _ext, content_type in FILE_TYPES}


def test_a_health_report_s_document_is_documented_with_the_types_it_may_have(schema):
    from supervision.services.medical import FILE_TYPES

    answer = schema["paths"]["/api/v1/medical-reports/{id}/document/"]["get"]["responses"]["200"]
    assert set(answer["content"]) == {content_type for _ext, content_type in FILE_TYPES}


def test_query_parameters_admit_a_blank_value_which_reads_as_absent(schema):
    """config.params.parse reads `?status=` as no filter, and DRF's pagination a blank page as the first."""
    parameters = [
        p for item in schema["paths"].values() for op in item.values() for p in op.get("parameters", [])
    ]
    query = [p for p in parameters if p["in"] == "query"]
    assert query and all(p.get("allowEmptyValue") is True for p in query)
    assert all("allowEmptyValue" not in p for p in parameters if p["in"] == "path")


def test_request_bodies_are_json_except_the_uploads(schema):
    """API.md "Conventions": JSON. DRF's default parsers made every body also a form or multipart one."""
    bodies = {
        (path, method): set(op["requestBody"]["content"])
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if "requestBody" in op
    }
    # The two uploads: a referral's attachment, a health report's document.
    for upload in (
        ("/api/v1/referrals/{id}/attachments/", "post"),
        ("/api/v1/medical-reports/{id}/document/", "post"),
    ):
        assert bodies.pop(upload) == {"multipart/form-data"}
    assert bodies and all(types == {"application/json"} for types in bodies.values()), bodies


def test_registering_a_case_names_none_so_documents_no_409(schema):
    assert "409" not in schema["paths"]["/api/v1/supervisees/"]["post"]["responses"]
