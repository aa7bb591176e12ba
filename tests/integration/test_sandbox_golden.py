"""The sandbox's data stays byte for byte the same when its code is reorganised.

The sandbox draws its data from seeded random streams in one fixed order; a refactor that
moves a draw changes every figure after it. This test hashes what three profiles (the
clinic, the group and a generated one) answer to the three endpoints over HTTP, for one
seed and one day, and compares the digest with the one recorded before the sandbox's long
functions were split (numpy 2.x). A numpy release that changes its random streams changes
the digest too: then check that the sandbox's own tests pass and record the new one.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import requests

import atribu_pandas as ap
from atribu_pandas.sandbox.creatives import DATA_HOST

RECORDED = "67f5fb67c24ccbf9b929f9357f8f45afcdf42a85240d0659d37c82bc514a97ee"
WINDOW = "date_from=2026-10-01&date_to=2026-11-15"
QUERIES = [
    ("/api/v1/campaigns", f"{WINDOW}&limit=100"),
    ("/api/v1/campaigns", f"{WINDOW}&limit=100&level=ad&model=linear"),
    ("/api/v1/top-performers", "window=28d&limit=50"),
    ("/api/v1/top-performers", "window=7d&limit=50"),
]


def _data_addresses(body: dict, served: str) -> dict:
    """Thumbnails are served by the answering sandbox (its port changes every run): put
    back the data's own addresses, after checking each points at this sandbox."""
    for row in body["data"]:
        url = row["creative_thumbnail_url"]
        assert url.startswith(served + "/thumbnails/ads/"), url
        row["creative_thumbnail_url"] = url.replace(served + "/thumbnails", DATA_HOST, 1)
    return body


def test_the_sandbox_answers_are_byte_for_byte_the_recorded_ones() -> None:
    digest = hashlib.sha256()
    today = dt.date(2026, 11, 16)
    with ap.sandbox.start(seed=0, today=today, profiles=3, rate_limit=100_000) as sb:
        for profile in sb.profiles:
            headers = {"Authorization": f"Bearer {profile.api_key}"}
            for path, query in QUERIES:
                answer = requests.get(f"{sb.url}{path}?{query}", headers=headers, timeout=30)
                # An error envelope carries a fresh request id: only its status is data.
                body = answer.json() if answer.status_code == 200 else answer.status_code
                if path == "/api/v1/top-performers" and answer.status_code == 200:
                    body = _data_addresses(body, sb.url)
                digest.update(repr(answer.status_code).encode())
                digest.update(repr(body).encode())
            first = requests.get(
                f"{sb.url}/api/v1/campaigns?{WINDOW}&limit=5", headers=headers, timeout=30
            )
            if first.status_code == 200:
                ids = ",".join(row["campaign_id"] for row in first.json()["data"])
                trend = requests.get(
                    f"{sb.url}/api/v1/campaigns/trend?entity_ids={ids}&{WINDOW}",
                    headers=headers,
                    timeout=30,
                )
                digest.update(repr(trend.json().get("data")).encode())
    assert digest.hexdigest() == RECORDED
