"""Values are text, Markdown makes no markup, and the sanitiser leaves nothing that acts.

The HTML these functions return is parsed back (the standard library's parser, as a
browser tokenises it) and judged by what it holds, never compared with our own output.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hostile import PAYLOADS, REMOTE_HOST, SCRIPTS, Tags, acting
from hypothesis import given, settings
from hypothesis import strategies as st

from atribu_pandas.display.markup import escape, render_markdown, sanitize


def links(page: str) -> list[str]:
    return [str(attrs.get("href")) for tag, attrs in Tags(page).tags if tag == "a"]


def test_escape_keeps_every_character_readable() -> None:
    for payload in PAYLOADS:
        shown = "".join(Tags(f"<p>{escape(payload)}</p>").text)
        assert shown == payload
        assert acting(f"<p>{escape(payload)}</p>") == []
    # Quotes too: a value inside an attribute cannot close it.
    assert acting(f'<img alt="{escape(SCRIPTS[1])}" src="data:image/png;base64,AA">') == []


@pytest.mark.parametrize("payload", SCRIPTS)
def test_markdown_from_data_shows_markup_as_text_and_makes_no_link(payload: str) -> None:
    page = render_markdown(f"ROAS of **{payload}** rose.")
    assert acting(page) == []
    assert links(page) == []
    assert "<" in "".join(Tags(page).text) or "[" in payload or "!" in payload


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "java%0ascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
    ],
)
def test_notes_keep_only_http_https_and_mailto_links(url: str) -> None:
    page = render_markdown(
        f"[click]({url}) and [site](https://atribu.app) [m](mailto:a@b.co)", links=True
    )
    assert links(page) == ["https://atribu.app", "mailto:a@b.co"]
    assert acting(page) == []


def test_notes_show_raw_html_as_text_and_load_no_image() -> None:
    notes = f"{SCRIPTS[1]}\n\n<script>x()</script>\n\n![pixel](https://{REMOTE_HOST}/p.png)"
    page = render_markdown(notes, links=True)
    assert acting(page) == []
    assert not [tag for tag, _ in Tags(page).tags if tag == "img"]
    text = "".join(Tags(page).text)
    assert "<img src=x onerror=" in text and "<script>x()</script>" in text


@pytest.mark.parametrize(
    "fragment",
    [
        "<p onclick='x()'>a</p>",
        "<script>x()</script>",
        "<img src=x onerror=x()>",
        f"<img src='https://{REMOTE_HOST}/t.png'>",
        "<svg onload=x()><circle r=1 /></svg>",
        "<iframe src='javascript:x()'></iframe>",
        "<a href='javascript:x()'>a</a>",
        "<a href='data:text/html,<script>x()</script>'>a</a>",
        f"<div style='background:url(https://{REMOTE_HOST}/x)'>a</div>",
        "<math><mtext><table><mglyph><style><img src=x onerror=x()>",
        "<form action='https://evil.example'><input></form>",
        "<base href='https://evil.example/'>",
        "<meta http-equiv='refresh' content='0;url=https://evil.example'>",
        "<object data='x.swf'></object><embed src='x.swf'>",
    ],
)
def test_sanitize_leaves_nothing_that_acts(fragment: str) -> None:
    assert acting(sanitize(fragment)) == []


def test_sanitize_keeps_a_styled_table_as_it_is() -> None:
    frame = pd.DataFrame({"Campaign": ["Spring <Sale>"], "ROAS": [3.1]})
    styler = (
        frame.style.hide(axis="index")
        .format({"ROAS": "{:.2f}×"}, escape="html")
        .set_table_attributes('class="atribu-table"')
        .background_gradient(subset=["ROAS"])
        .set_caption("Top campaigns")
    )
    page = styler.to_html()
    cleaned = sanitize(page)
    before, after = Tags(page), Tags(cleaned)
    # The same cells, classes and ids (the <style> rules address them), and the same text.
    assert [t for t in after.tags if t[0] != "tbody"] == [t for t in before.tags if t[0] != "tbody"]
    assert "".join(after.text) == "".join(before.text)
    assert "Spring <Sale>" in "".join(after.text)


def test_sanitize_keeps_embedded_pictures_and_plain_links() -> None:
    page = sanitize(
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="Chart: ROAS">'
        '<a href="https://atribu.app">Atribu</a>'
    )
    (img, img_attrs), (a, a_attrs) = Tags(page).tags
    assert (img, a) == ("img", "a")
    assert (
        img_attrs["src"] == "data:image/png;base64,iVBORw0KGgo="
        and img_attrs["alt"] == "Chart: ROAS"
    )
    assert a_attrs["href"] == "https://atribu.app"


# Fragments an attacker would mix: tags, handlers, schemes, quotes and Markdown syntax.
_PIECES = st.sampled_from(
    [*PAYLOADS, "<", ">", '"', "'", "=", "on", "javascript:", "<img ", "<a href=", " src=",
     "[", "](", ")", "**", "`", "&#", "\n\n", "<svg", "<!--", "-->", "<style>", "url(", " "]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_nothing_built_from_hostile_pieces_acts(text: str) -> None:
    assert acting(render_markdown(text)) == []
    assert acting(render_markdown(text, links=True)) == []
    assert acting(sanitize(text)) == []
    assert acting(f"<td>{escape(text)}</td>") == []
