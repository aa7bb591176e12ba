"""The top performers report shows each leader's picture, embedded, named by its ad.

The rendered demo report (``--window 14d``, the default ``top`` of 15) is read back: one
embedded picture per leaderboard row, in the order of the ads this process loads from a
sandbox with the same seed and day (the name in the cell beside it), each a real JPEG;
nothing remote; the appendix says they were all shown; the CSV and the workbook carry no
picture.
"""

from __future__ import annotations

import base64
import html
import io
import re
from typing import Any

import pytest
from PIL import Image

import atribu_pandas as ap
from atribu_pandas import reports

pytestmark = [pytest.mark.notebook, pytest.mark.xdist_group("notebooks")]

TOP = 15  # the template's default
# A picture's cell and the Ad cell after it (the export orders attributes its own way).
THUMB = re.compile(
    r'<span class="atribu-thumb"><img ([^>]*?)/?></span></td>\s*<td[^>]*>([^<]*)</td>'
)


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    assert found, (name, tag[:200])
    return found.group(1)


@pytest.fixture(scope="module")
def page(renders: tuple[dict[str, Any], str, tuple[str, str]]) -> str:
    result = renders[0]["top_performers"]
    assert result.status == 0, result.stderr[-3000:]
    return str(result.html.read_text())


def test_each_leader_shows_its_own_picture(page: str, sandbox: Any) -> None:
    ads = ap.load_top_performers(client=sandbox.client(cache=False), window="14d", limit=50)
    names = list(ads["ad_name"].head(TOP))
    found = THUMB.findall(page)
    # Each picture's row names its ad, in the leaderboard's order.
    assert [html.unescape(ad) for _img, ad in found] == names
    assert "atribu-thumb-none" not in page.split("</style>")[-1]
    for img, _ad in found:
        src, width, height = (_attribute(img, n) for n in ("src", "width", "height"))
        assert src.startswith("data:image/jpeg;base64,") and _attribute(img, "alt") == "Creative"
        picture = Image.open(io.BytesIO(base64.b64decode(src.partition(",")[2])))
        # The sandbox's 240 px squares, shrunk to 128 px and shown at half that.
        assert picture.format == "JPEG" and picture.size == (128, 128)
        assert (width, height) == ("64", "64")
    assert reports.remote_resources(page) == []
    assert f"All {len(names)} thumbnails shown" in page


def test_the_exported_tables_carry_no_picture(
    renders: tuple[dict[str, Any], str, tuple[str, str]],
) -> None:
    folder = renders[0]["top_performers"].html.parent / "tables"
    leaderboard = (folder / "top_performers-leaderboard.csv").read_text(encoding="utf-8-sig")
    header = leaderboard.splitlines()[0]
    assert header.startswith("Ad,") and "Creative" not in header
    assert "data:image" not in leaderboard
