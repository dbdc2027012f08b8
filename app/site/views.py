"""The API reference as a plain page: the app's OpenAPI document grouped by tag, ready for a template."""

from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Field:
    name: str
    type: str
    ref: str | None  # the schema a $ref points to, linked on the page
    required: bool
    description: str = ""
    where: str = ""  # path, query, header (parameters only)


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: list[Field]
    body: Field | None
    responses: list[tuple[str, str, Field | None]]  # status, description, what comes back


@dataclass
class Group:
    name: str
    anchor: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class Schema:
    name: str
    description: str
    fields: list[Field]
    values: list[str]  # an enumeration's values


@dataclass
class Reference:
    title: str
    version: str
    groups: list[Group]
    schemas: list[Schema]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def describe(schema: dict[str, Any]) -> tuple[str, str | None]:
    """A schema as a short type text and the named schema it refers to (array of X, X or null, ...)."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return name, name
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            parts = [describe(s) for s in schema[combined]]
            refs = [r for _t, r in parts if r]
            return " | ".join(t for t, _r in parts), refs[0] if refs else None
    kind = schema.get("type", "")
    if kind == "array":
        inner, ref = describe(schema.get("items", {}))
        return f"array[{inner}]", ref
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        inner, ref = describe(schema["additionalProperties"])
        return f"object[string, {inner}]", ref
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"]), None
    fmt = schema.get("format")
    return (f"{kind} ({fmt})" if fmt else kind) or "any", None


def _anchor(*parts: str) -> str:
    text = "-".join(parts).lower()
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")


def _body(op: dict[str, Any]) -> Field | None:
    content = op.get("requestBody", {}).get("content", {})
    for media, spec in content.items():
        kind, ref = describe(spec.get("schema", {}))
        return Field(name=media, type=kind, ref=ref, required=op["requestBody"].get("required", False))
    return None


def _responses(op: dict[str, Any]) -> list[tuple[str, str, Field | None]]:
    result = []
    for status, spec in sorted(op.get("responses", {}).items()):
        media, content = next(iter(spec.get("content", {}).items()), ("", {}))
        schema = content.get("schema")
        kind, ref = describe(schema) if schema else ("", None)
        result.append((status, spec.get("description", ""),
                       Field(name=media, type=kind, ref=ref, required=True) if schema else None))
    return result


def reference(spec: dict[str, Any]) -> Reference:
    """Operations grouped by their first tag (in order of appearance), then every named schema."""
    groups: dict[str, Group] = {}
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            tag = (op.get("tags") or ["other"])[0]
            group = groups.setdefault(tag, Group(name=tag, anchor=_anchor("tag", tag)))
            params = [Field(name=p["name"], type=describe(p.get("schema", {}))[0], ref=describe(p.get("schema", {}))[1],
                            required=p.get("required", False), description=p.get("description", ""), where=p["in"])
                      for p in op.get("parameters", [])]
            group.operations.append(Operation(
                method=method.upper(), path=path, summary=op.get("summary", ""), description=op.get("description", ""),
                anchor=_anchor(method, path), parameters=params, body=_body(op), responses=_responses(op)))
    schemas = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [Field(name=prop, type=describe(s)[0], ref=describe(s)[1], required=prop in required,
                        description=s.get("description", ""))
                  for prop, s in schema.get("properties", {}).items()]
        schemas.append(Schema(name=name, description=schema.get("description", ""), fields=fields,
                              values=[str(v) for v in schema.get("enum", [])]))
    info = spec.get("info", {})
    return Reference(title=info.get("title", ""), version=info.get("version", ""), groups=list(groups.values()),
                     schemas=schemas)
