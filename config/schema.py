"""The error answers of docs/api.md#conventions, added to every operation of the OpenAPI document in one
place (a drf-spectacular postprocessing hook, SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) rather than on
each view: which of them an operation can give follows from its shape.

- 400 with the field-error body (or `{"detail": ...}`): every operation that takes a body or query
  parameters, and every POST (services refuse with ValidationError, config.api.exception_handler);
- 401: every operation that needs a credential;
- 403: every operation that needs a credential (an action the caller's role may not take);
- 404: every operation on an object named in the path, and every POST (a case, agency or object named
  in the body outside the caller's scope answers 404 like one that does not exist);
- 409: every POST on an object named in the path (an action its current state does not allow);
- 429: the sign-in endpoint (SignInRateThrottle).

An answer an operation declares itself is kept."""

from typing import Any

SIGN_IN_PATH = "/api/v1/auth/token/"

COMPONENTS = {
    "ErrorDetail": {
        "type": "object",
        "description": 'An error in words: `{"detail": "message"}`.',
        "properties": {"detail": {"type": "string", "readOnly": True}},
        "required": ["detail"],
    },
    "FieldErrors": {
        "type": "object",
        "description": 'What is wrong with each field: `{"field": ["message", ...]}`; a nested object\'s '
        'fields are nested (`{"sentence": {"effective_date": ["message"]}}`), and an error of the whole '
        'body is `{"detail": ...}`.',
        "additionalProperties": {
            "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}, {"type": "string"}]
        },
    },
}


def _answer(description: str, component: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


ANSWERS = {
    "400": _answer("The request is malformed: what is wrong, by field.", "FieldErrors"),
    "401": _answer("No credential, or a bad or expired one.", "ErrorDetail"),
    "403": _answer("The caller's role may not take this action.", "ErrorDetail"),
    "404": _answer("No such object in the caller's scope.", "ErrorDetail"),
    "409": _answer("The object's current state does not allow this action.", "ErrorDetail"),
    "429": _answer("Too many sign-in attempts: wait and try again.", "ErrorDetail"),
}


def _needs_credential(operation: dict[str, Any]) -> bool:
    # drf-spectacular writes `{}` in `security` for a view that also lets anonymous callers in.
    security = operation.get("security") or []
    return bool(security) and {} not in security


def error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    on_object = "{" in path
    queried = any(p.get("in") == "query" for p in operation.get("parameters", []))
    statuses = []
    if "requestBody" in operation or queried or method in ("post", "put", "patch"):
        statuses.append("400")
    if _needs_credential(operation):
        statuses += ["401", "403"]
    if on_object or method == "post":
        statuses.append("404")
    if on_object and method == "post":
        statuses.append("409")
    if path == SIGN_IN_PATH:
        statuses = [s for s in statuses if s == "400"] + ["429"]
    return statuses


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: add the answers above to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, component in COMPONENTS.items():
        schemas.setdefault(name, component)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status in error_statuses(path, method, operation):
                operation["responses"].setdefault(status, ANSWERS[status])
    return result
