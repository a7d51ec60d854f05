"""Every reply from the province, checked against kiosk/sync/contract.json before anything uses it.

The contract's own schemas do the checking, through a kept JSON Schema validator (jsonschema,
draft 2020-12 as OpenAPI 3.1 uses): a reply of the wrong type, missing a field, too deep, too
long, or carrying a number JSON cannot hold (``Infinity``, ``NaN``) is a ``ReplyRefused``, which
the client turns into a province error for that attempt. Strings that pass are then cleaned
before they are stored or shown: no control or bidirectional-override characters, receipts
only in the receipt alphabet, messages of bounded length.

Imported on the sync thread only, and jsonschema only with the first reply: it is far too heavy for
the path to the first paint, and its Rust parts abort the process if it quits while they load
(the UI waits for the relay's thread once the store is open, not before).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

RECEIPT_CHARS = re.compile(r"[^0-9A-Za-z-]")
RECEIPT_MAX = 32
MESSAGE_MAX = 200
ETAG = re.compile(r'^(W/)?"[\x21\x23-\x7e]{1,128}"$')


class ReplyRefused(ValueError):
    """A reply that does not fit the contract; the message is one line for the log."""


@cache
def _contract() -> dict:
    return json.loads(files("kiosk.sync").joinpath("contract.json").read_text(encoding="utf-8"))


@cache
def _templates() -> tuple[tuple[re.Pattern, str], ...]:
    """Each contract path as a pattern: ``/v1/results/{id}`` matches ``/v1/results/<anything but />``."""
    return tuple(
        (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"), template)
        for template in _contract()["paths"]
    )


def resolved(node: object) -> object:
    """``node`` with every ``$ref`` into the contract written out: validating a plain schema is three
    times faster than following references, and the relay validates every batch reply."""
    if isinstance(node, list):
        return [resolved(value) for value in node]
    if not isinstance(node, dict):
        return node
    if "$ref" not in node:
        return {key: resolved(value) for key, value in node.items()}
    target: object = _contract()
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    rest = {key: resolved(value) for key, value in node.items() if key not in ("$ref", "description")}
    if not rest:
        return resolved(target)
    return rest | {"allOf": [resolved(target), *rest.get("allOf", [])]}  # $ref beside other keywords: both hold


@cache
def _validator(template: str, method: str, status: str) -> Draft202012Validator | None:
    """The validator for one documented reply, or None when the contract gives it no JSON body."""
    response = _contract()["paths"][template].get(method.lower(), {}).get("responses", {}).get(status)
    response = resolved(response)  # a shared response, e.g. Unauthorized, is a $ref too
    if response is None or "schema" not in response.get("content", {}).get("application/json", {}):
        return None
    from jsonschema import Draft202012Validator

    return Draft202012Validator(response["content"]["application/json"]["schema"])


@cache
def _request_validator(template: str, method: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    body = _contract()["paths"][template][method.lower()]["requestBody"]
    return Draft202012Validator(resolved(body["content"]["application/json"]["schema"]))


def check_request(path: str, method: str, body: bytes) -> object:
    """A request body as the province reads it (the reference province uses this): ReplyRefused if it misfits."""
    data = load(body)
    if next(iter(_request_validator(template_of(path), method).iter_errors(data)), None) is not None:
        raise ReplyRefused("request does not fit the contract")
    return data


def template_of(path: str) -> str | None:
    """The contract path a request path is an instance of, or None (then the province has no say).

    A path the contract names literally (``/v1/reference/guide_manifest``) is itself, not an instance of a template."""
    if path in _contract()["paths"]:
        return path
    for pattern, template in _templates():
        if pattern.match(path):
            return template
    return None


def documented(path: str, method: str, status: int) -> bool:
    """Whether the contract expects a JSON body for this reply (so it must be checked)."""
    template = template_of(path)
    return template is not None and _validator(template, method, str(status)) is not None


def _no_constants(name: str) -> float:
    raise ReplyRefused(f"reply holds {name}, which JSON numbers cannot be")


def load(body: bytes) -> object:
    """Parse JSON strictly: no NaN or Infinity, no number too long to hold, no nesting past Python's limit."""
    try:
        value = json.loads(body, parse_constant=_no_constants)
    except ReplyRefused:
        raise
    except RecursionError:
        raise ReplyRefused("reply nested too deeply") from None
    except (UnicodeDecodeError, ValueError):
        raise ReplyRefused("reply is not JSON") from None
    if isinstance(value, float) and value != value:
        raise ReplyRefused("reply is NaN")
    return value


def check(path: str, method: str, status: int, body: bytes) -> object:
    """The reply's JSON if it fits what the contract says for it; else ReplyRefused naming the first misfit."""
    template = template_of(path)
    validator = template and _validator(template, method, str(status))
    if validator is None:
        return None
    data = load(body)
    try:
        error = next(iter(validator.iter_errors(data)), None)
    except RecursionError:
        raise ReplyRefused("reply nested too deeply") from None
    if error is not None:
        where = printable("/".join(str(part) for part in error.absolute_path))[:80] or "the reply"  # for the log
        raise ReplyRefused(f"HTTP {status} reply does not fit the contract at {where}: {error.validator} failed")
    return data


def printable(text: str) -> str:
    """``text`` without control, format (bidi overrides, zero-width) or unassigned characters."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def clean_receipt(text: str) -> str | None:
    """A provincial receipt as the kiosk keeps and prints it: letters, digits, hyphens; None if nothing is left."""
    kept = RECEIPT_CHARS.sub("", text)[:RECEIPT_MAX]
    return kept or None


def clean_message(text: str | None, limit: int = MESSAGE_MAX) -> str | None:
    if text is None:
        return None
    kept = " ".join(printable(re.sub(r"\s", " ", text)).split())[:limit]  # a line break becomes a space
    return kept or None


def clean_etag(value: str | None) -> str | None:
    """An ETag the kiosk may store and send back in a header; anything else is as if none came."""
    return value if value is not None and ETAG.match(value) else None
