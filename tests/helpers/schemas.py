"""Hypothesis strategies for the JSON Schema subset kiosk/sync/contract.json uses.

(hypothesis-jsonschema would do this, but its last release no longer runs on current Hypothesis.)
Every value drawn is valid against the schema; tests mutate them afterwards to get invalid ones.
"""

from __future__ import annotations

from hypothesis import strategies as st

from kiosk.sync import replies


def merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for key, value in b.items():
        if key == "properties":
            out[key] = {**a.get(key, {}), **value}
        elif key == "required":
            out[key] = sorted({*a.get(key, []), *value})
        else:
            out[key] = value
    return out


def response_schema(path: str, method: str, status: int) -> dict:
    operation = replies._contract()["paths"][path][method.lower()]
    return replies.resolved(operation["responses"][str(status)]["content"]["application/json"]["schema"])


def from_schema(schema: dict) -> st.SearchStrategy:
    conditional = [(part["if"], part["then"]) for part in [schema, *schema.get("allOf", ())] if "if" in part]
    for part in schema.get("allOf", ()):
        rest = {k: v for k, v in part.items() if k not in ("if", "then")}
        schema = merge({k: v for k, v in schema.items() if k != "allOf"}, rest)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        return st.one_of([from_schema(schema | {"type": k}) for k in kind])
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False)
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        return st.text(min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 40), 40))
    if kind == "array":
        return st.lists(
            from_schema(schema.get("items", {"type": "string"})), max_size=min(schema.get("maxItems", 6), 6)
        )
    return _object(schema, conditional)


def _object(schema: dict, conditional: list[tuple[dict, dict]]) -> st.SearchStrategy:
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    base = st.fixed_dictionaries(
        {key: from_schema(properties.get(key, {"type": "string"})) for key in required},
        optional={key: from_schema(value) for key, value in properties.items() if key not in required},
    )

    def complete(value: dict) -> st.SearchStrategy:
        """Add what an if/then demands of the value drawn (e.g. a receipt with "accepted")."""
        extra = {}
        for condition, then in conditional:
            wanted = condition.get("properties", {})
            if all(value.get(k) in v.get("enum", [v.get("const")]) for k, v in wanted.items()):
                extra |= {k: from_schema(properties[k]) for k in then.get("required", ()) if k not in value}
        return st.fixed_dictionaries(extra).map(lambda more: value | more)

    return base.flatmap(complete)
