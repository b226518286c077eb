"""The error answers of docs/api.md#conventions, added to every operation of the OpenAPI document in one
place (a drf-spectacular postprocessing hook, SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) rather than on
each view: which of them an operation can give follows from its shape.

- 400 with the field-error body (or `{"detail": ...}`): every operation that takes a body or query
  parameters, and every POST (services refuse with ValidationError, config.api.exception_handler);
- 401: every operation that needs a credential;
- 403: every operation that needs a credential (an action the caller's role may not take);
- 401 on the sign-in endpoint too: a wrong username or password;
- 404: every operation on an object named in the path, every POST (a case, agency or object named
  in the body outside the caller's scope answers 404 like one that does not exist), and every paginated
  list (a page past the last, config.api.Pagination);
- 409: every POST or PATCH on an object named in the path (an action its current state does not allow,
  a change to a closed case), and every POST whose body names a case (`supervisee`: a check-in, leave
  or a measure for a case no longer under supervision);
- 415: every operation that takes a body, sent in a media type it does not read (JSON, or the
  attachment upload's multipart form; REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]);
- 429: the sign-in endpoint (SignInRateThrottle).

An answer an operation declares itself is kept.

Every query parameter is also marked `allowEmptyValue`: `?status=` is read as no filter at all
(config.params.parse, and DRF's pagination for `page` and `page_size`), which the document must admit."""

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
    "401": _answer(
        "No credential, or a bad or expired one (at sign-in: a wrong username or password).", "ErrorDetail"
    ),
    "403": _answer("The caller's role may not take this action.", "ErrorDetail"),
    "404": _answer("No such object in the caller's scope.", "ErrorDetail"),
    "409": _answer("The object's current state does not allow this action.", "ErrorDetail"),
    "415": _answer("The body is not in a media type this operation reads.", "ErrorDetail"),
    "429": _answer("Too many sign-in attempts: wait and try again.", "ErrorDetail"),
}


def _needs_credential(operation: dict[str, Any]) -> bool:
    # drf-spectacular writes `{}` in `security` for a view that also lets anonymous callers in.
    security = operation.get("security") or []
    return bool(security) and {} not in security


def _body_fields(operation: dict[str, Any], components: dict[str, Any]) -> set[str]:
    """The top-level fields of the operation's JSON body (through its `$ref`), if it has one."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return set(schema.get("properties", {}))


def error_statuses(
    path: str, method: str, operation: dict[str, Any], components: dict[str, Any] | None = None
) -> list[str]:
    on_object = "{" in path
    names_a_case = method == "post" and "supervisee" in _body_fields(operation, components or {})
    query = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"}
    statuses = []
    if "requestBody" in operation or query or method in ("post", "put", "patch"):
        statuses.append("400")
    if _needs_credential(operation):
        statuses += ["401", "403"]
    if on_object or method == "post" or "page" in query:
        statuses.append("404")
    if (on_object and method in ("post", "put", "patch")) or names_a_case:
        statuses.append("409")
    if "requestBody" in operation:
        statuses.append("415")
    if path == SIGN_IN_PATH:
        statuses = [s for s in statuses if s in ("400", "415")] + ["401", "429"]
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
            for status in error_statuses(path, method, operation, schemas):
                operation["responses"].setdefault(status, ANSWERS[status])
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result
