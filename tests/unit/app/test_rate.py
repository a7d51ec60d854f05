"""好差评, without Qt: a rating is queued with the request it rates and reaches the province over HTTP."""

import json
from importlib.resources import files

import pytest
import requests

from kiosk.app.backend import Backend
from kiosk.app.rate import RATING_SERVICE, Rate, Rating, Reason
from kiosk.errors import InvalidInput
from kiosk.sim import provincial
from kiosk.sync.client import ProvincialClient
from kiosk.sync.relay import Relay


def _relay_once(store, province):
    config = province.config()
    return Relay(store.outbox, ProvincialClient(config), config.sync).run_once()


def test_a_rating_reaches_the_province_with_the_request_it_rates_and_a_later_one_replaces_it(store, province):
    woken = []
    rate = Rate(Backend.over(store, lambda queued=0: woken.append(queued)))
    request = store.outbox.enqueue("subsidy", {"subsidy_type": "farmland_protection", "area_mu": 5, "phone": "1"})
    rate(request.id, Rating.UNSATISFIED, (Reason.WAITED, Reason.HARD_TO_USE))
    assert woken == [1] and store.outbox.items()[-1].service == RATING_SERVICE
    assert _relay_once(store, province).accepted == 2
    rate(request.id, Rating.BASIC)  # the villager changed their mind
    _relay_once(store, province)
    ratings = requests.get(f"{province.url}/v1/_sim/ratings", timeout=5).json()
    assert ratings["ratings"] == [{"request_id": request.id, "rating": "basic", "reasons": []}]
    assert ratings["counts"] == {"satisfied": 0, "basic": 1, "unsatisfied": 0}
    assert store.ratings.counts() == {"basic": 1}  # the kiosk's own count, for the volunteers


def test_reasons_go_only_with_unsatisfied_at_most_four_each_once(store):
    rate = Rate(Backend.over(store))
    with pytest.raises(InvalidInput):
        rate("0190a1b2-0000-7000-8000-000000000001", Rating.SATISFIED, (Reason.NOT_DONE,))
    with pytest.raises(InvalidInput):
        rate("0190a1b2-0000-7000-8000-000000000001", Rating.UNSATISFIED, (Reason.NOT_DONE, Reason.NOT_DONE))
    assert store.outbox.stats()["queued"] == 0


def test_the_province_sets_aside_a_rating_outside_the_contract(store, province):
    store.outbox.enqueue(RATING_SERVICE, {"request_id": "not-an-id", "rating": "great", "reasons": []})
    assert _relay_once(store, province).rejected == 1


def test_the_contract_the_kiosk_and_the_reference_province_agree_on_ratings():
    contract = json.loads(files("kiosk.sync").joinpath("contract.json").read_text(encoding="utf-8"))
    schema = contract["components"]["schemas"]["RatingPayload"]["properties"]
    assert set(schema["rating"]["enum"]) == set(Rating) == set(provincial.RATINGS)
    assert set(schema["reasons"]["items"]["enum"]) == set(Reason) == set(provincial.RATING_REASONS)
