"""Checks a JSON response against the project's own OpenAPI document (types, required keys, refs)."""

from __future__ import annotations

_TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
}


def _resolve(schema: dict, doc: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


def check(value, schema: dict, doc: dict, path: str = "$") -> None:
    schema = _resolve(schema, doc)
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                check(value, option, doc, path)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{path}: matches no option: {errors}")
    kind = schema.get("type")
    if kind == "null":
        assert value is None, f"{path}: expected null, got {value!r}"
        return
    if kind:
        assert isinstance(value, _TYPES[kind]) and not (
            kind in ("integer", "number") and isinstance(value, bool)
        ), f"{path}: expected {kind}, got {value!r}"
    if kind == "object":
        for key in schema.get("required", []):
            assert key in value, f"{path}: missing {key}"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                check(value[key], sub, doc, f"{path}.{key}")
    if kind == "array" and "items" in schema:
        for i, item in enumerate(value):
            check(item, schema["items"], doc, f"{path}[{i}]")


def response_schema(doc: dict, path: str, method: str, status: int) -> dict:
    operation = doc["paths"][path][method]
    return operation["responses"][str(status)]["content"]["application/json"]["schema"]
