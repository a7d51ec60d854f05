from kiosk.sync import signing


def _signed(body=b'{"items": []}', ts=1_700_000_000, path="/v1/submissions/batch"):
    return signing.headers("kiosk-1", "s3cret", "POST", path, ts, body)


def test_good_signature_passes_and_any_change_fails():
    body = b'{"items": []}'
    headers = _signed(body)
    assert signing.verify("s3cret", "POST", "/v1/submissions/batch", headers, body, 1_700_000_010) is None
    assert signing.verify("s3cret", "POST", "/v1/submissions/batch", headers, body + b" ", 1_700_000_010)
    assert signing.verify("s3cret", "POST", "/v1/heartbeat", headers, body, 1_700_000_010) == "bad_signature"
    assert signing.verify("other", "POST", "/v1/submissions/batch", headers, body, 1_700_000_010) == "bad_signature"
    assert signing.verify("s3cret", "POST", "/v1/submissions/batch", {}, body, 1_700_000_010) == "bad_signature"


def test_a_request_far_from_the_province_clock_is_told_so():
    headers = _signed()
    assert signing.verify("s3cret", "POST", "/v1/submissions/batch", headers, b'{"items": []}', 1_700_000_400) == (
        "clock_skew"
    )
