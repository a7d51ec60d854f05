"""Reply bodies generated from the contract's own schemas, then mutated, sent through real HTTP
into the real relay: whatever comes, it neither crashes nor leaves an item claimed, and what it
keeps is clean."""

import json
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.sim.hostile import Hostility
from kiosk.store.outbox import Outcome
from kiosk.sync import replies
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay
from tests.helpers.province import start_province
from tests.helpers.schemas import from_schema, response_schema

FAST = {"backoff_base_s": 0.001, "backoff_cap_s": 0.005, "probe_interval_s": 0.005, "timeout_s": 3.0}
CLEAN = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _mutate(value, rng, replacement):
    """One change somewhere in ``value``: a subtree replaced, a key dropped, a value wrapped in a list."""
    if isinstance(value, dict) and value and rng.random() < 0.7:
        key = rng.choice(sorted(value))
        action = rng.randrange(3)
        if action == 0:
            return {k: v for k, v in value.items() if k != key}
        if action == 1:
            return value | {key: [value[key]]}
        return value | {key: _mutate(value[key], rng, replacement)}
    if isinstance(value, list) and value and rng.random() < 0.7:
        index = rng.randrange(len(value))
        return [*value[:index], _mutate(value[index], rng, replacement), *value[index + 1 :]]
    return replacement


def _with_our_ids(data, ids):
    """Results that name the ids actually sent, so accepted and rejected answers reach the store."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        for n, entry in enumerate(data["results"]):
            if isinstance(entry, dict) and "id" in entry and ids:
                entry["id"] = ids[n % len(ids)]
    return data


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    province = start_province(tmp_path_factory.mktemp("gen") / "p.db", hostility=Hostility("huge", rate=0))
    yield province
    province.stop()


batch_replies = st.one_of(from_schema(response_schema("/v1/submissions/batch", "POST", 200)), json_values)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])  # fmt: skip
@given(
    body=batch_replies,
    mutate=st.booleans(),
    seed=st.integers(0, 2**32),
    replacement=json_values,
    status=st.sampled_from([200, 200, 200, 401, 400, 503]),
)
def test_generated_and_mutated_batch_replies_never_break_the_relay(store, running, body, mutate, seed, replacement,
                                                                   status):  # fmt: skip
    if mutate:
        body = _mutate(body, random.Random(seed), replacement)
    encoded = json.dumps(body)
    running.province.hostility.script(
        lambda ids: (status, json.dumps(_with_our_ids(json.loads(encoded), ids)).encode())
    )
    queued = [store.outbox.enqueue("guides", {"n": n}) for n in range(2)]
    config = running.config(**FAST)
    relay = Relay(store.outbox, ProvincialClient(config), config.sync, rng=random.Random(seed))
    relay.run_once()
    for q in queued:
        item = store.outbox.get(q.id)
        assert item.state in ("queued", "accepted", "rejected")
        if item.state == "accepted":
            assert re.fullmatch(r"[0-9A-Za-z-]{1,32}", item.provincial_receipt)
        assert item.last_error is None or not CLEAN.search(item.last_error)
    store.database.conn.execute("DELETE FROM outbox")


@settings(max_examples=100, deadline=None)
@given(from_schema(response_schema("/v1/submissions/batch", "POST", 200)))
def test_what_the_generator_draws_fits_the_contract(body):
    assert replies.check("/v1/submissions/batch", "POST", 200, json.dumps(body).encode()) == body


result_replies = st.one_of(from_schema(response_schema("/v1/results/{id}", "GET", 200)), json_values)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=result_replies, mutate=st.booleans(), seed=st.integers(0, 2**32), replacement=json_values)
def test_generated_and_mutated_result_replies_keep_only_clean_answers(store, running, body, mutate, seed, replacement):
    if mutate:
        body = _mutate(body, random.Random(seed), replacement)
    queued = store.outbox.enqueue("social_security", {"topic": "pension"}, awaits_result=True)
    store.outbox.claim_due(10)
    store.outbox.settle([Outcome(queued.id, "accepted", receipt="SW1")])
    running.province.hostility.script(lambda ids: (200, json.dumps(body).encode()))
    config = running.config(**FAST)
    relay = Relay(store.outbox, ProvincialClient(config), config.sync, rng=random.Random(seed), answers=store.answers)
    relay.run_once()
    answer = store.answers.get(queued.id)
    if answer is not None:
        assert all(not CLEAN.search(text) for text in (answer.title, *answer.lines))
    store.database.conn.execute("DELETE FROM outbox")
    store.database.conn.execute("DELETE FROM answers")
