"""The OpenAPI document made readable: operations grouped by tag, for the reference page."""

from __future__ import annotations


def _schema_name(content: dict) -> tuple[str, str]:
    for media_type, body in content.items():
        reference = body.get("schema", {}).get("$ref", "")
        return media_type, reference.rsplit("/", 1)[-1]
    return "", ""


def operations() -> list[dict]:
    """``[{"name": tag, "operations": [...]}]`` in the order the document lists them."""
    from pregonero.api.api import api

    schema = api.get_openapi_schema()
    groups: dict[str, list[dict]] = {}
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            body_type, body_schema = _schema_name(operation.get("requestBody", {}).get("content", {}))
            answers = [
                {"status": status, "schema": _schema_name(response.get("content", {}))[1]}
                for status, response in operation.get("responses", {}).items()
            ]
            groups.setdefault((operation.get("tags") or ["API"])[0], []).append(
                {
                    **operation,
                    "method": method.upper(),
                    "path": path,
                    "body_type": body_type,
                    "body_schema": body_schema,
                    "answers": answers,
                }
            )
    return [{"name": name, "operations": items} for name, items in groups.items()]
