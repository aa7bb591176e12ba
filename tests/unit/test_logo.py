"""The logo: known image bytes, a regular file, at most 2 MB; shrunk; an SVG without script.

Pictures are made here with Pillow and read back from the data URI the report embeds, so
the sizes asserted are measured on what a browser would decode.
"""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from atribu_pandas.exceptions import ArgumentError
from atribu_pandas.reports.logo import LOGO_BOX, LOGO_MAX_BYTES, check_logo, logo_data_uri


def picture(path: Path, size: tuple[int, int], fmt: str, mode: str = "RGB") -> Path:
    Image.new(mode, size, (200, 30, 60) if mode == "RGB" else (200, 30, 60, 128)).save(
        path, format=fmt
    )
    return path


def decoded(uri: str) -> Image.Image:
    header, _, data = uri.partition(",")
    assert header == "data:image/png;base64"
    return Image.open(io.BytesIO(base64.b64decode(data)))


@pytest.mark.parametrize(
    ("fmt", "suffix", "mode"),
    [
        ("PNG", ".png", "RGBA"),
        ("JPEG", ".jpg", "RGB"),
        ("WEBP", ".webp", "RGB"),
        ("GIF", ".gif", "RGB"),
    ],
)
def test_a_picture_is_shrunk_to_the_box_the_heading_shows(
    tmp_path: Path, fmt: str, suffix: str, mode: str
) -> None:
    path = picture(tmp_path / f"logo{suffix}", (3000, 1000), fmt, mode)
    shown = decoded(logo_data_uri(str(path)))
    # 3000×1000 into 480×128: the height binds (128), the width keeps the 3:1 shape.
    assert shown.size == (384, 128)
    assert shown.size[0] <= LOGO_BOX[0] and shown.size[1] <= LOGO_BOX[1]
    assert shown.mode == ("RGBA" if mode == "RGBA" else "RGB")


def test_a_small_picture_is_not_enlarged(tmp_path: Path) -> None:
    path = picture(tmp_path / "small.png", (40, 20), "PNG")
    assert decoded(logo_data_uri(path)).size == (40, 20)


def test_the_type_comes_from_the_bytes_not_the_suffix(tmp_path: Path) -> None:
    fake = tmp_path / "logo.png"
    fake.write_text("<html><script>alert(1)</script></html>")
    with pytest.raises(ArgumentError, match="these bytes are none of them"):
        check_logo(fake)
    real = picture(tmp_path / "logo.txt", (10, 10), "PNG")
    assert decoded(logo_data_uri(real)).size == (10, 10)


def test_an_svg_keeps_its_drawing_and_loses_what_acts(tmp_path: Path) -> None:
    svg = tmp_path / "logo.svg"
    svg.write_text(
        '<?xml version="1.0"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' viewBox="0 0 10 10" onload="alert(1)">'
        "<script>alert(2)</script>"
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'
        '<style>@import url("https://evil.example/x.css");</style>'
        '<image href="https://evil.example/p.png"/>'
        '<a href="javascript:alert(3)"><rect width="5" height="5"/></a>'
        '<rect width="10" height="10" fill="url(https://evil.example/#g)" onclick="x()"/>'
        '<circle r="3" fill="url(#grad)"/>'
        '<use xlink:href="#c"/><use href="https://evil.example/s.svg#c"/>'
        "</svg>"
    )
    uri = logo_data_uri(svg)
    header, _, data = uri.partition(",")
    assert header == "data:image/svg+xml;base64"
    text = base64.b64decode(data).decode()
    for gone in ("onload", "script", "alert", "foreignObject", "style", "evil.example", "onclick"):
        assert gone not in text, gone
    # The drawing itself stays, with its local references.
    assert text.count("<circle") == 1 and 'fill="url(#grad)"' in text
    assert 'xlink:href="#c"' in text and 'viewBox="0 0 10 10"' in text


def test_an_svg_with_entities_is_refused(tmp_path: Path) -> None:
    laughs = tmp_path / "laughs.svg"
    laughs.write_text(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg>&b;</svg>'
    )
    with pytest.raises(ArgumentError, match="well-formed SVG"):
        check_logo(laughs)


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null"])
def test_devices_are_refused(special: str) -> None:
    with pytest.raises(ArgumentError, match="not a regular file"):
        check_logo(special)


def test_a_fifo_and_a_folder_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "logo.png"
    os.mkfifo(fifo)
    with pytest.raises(ArgumentError, match="not a regular file"):
        check_logo(fifo)
    with pytest.raises(ArgumentError, match="not a regular file"):
        check_logo(tmp_path)
    with pytest.raises(ArgumentError, match="no such file"):
        check_logo(tmp_path / "missing.png")


def test_a_file_over_2_mb_is_refused_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(LOGO_MAX_BYTES + 1)
    with pytest.raises(ArgumentError, match=r"this one is 2\.0 MB"):
        check_logo(big)
    just = picture(tmp_path / "just.png", (10, 10), "PNG")
    with just.open("ab") as handle:
        handle.truncate(LOGO_MAX_BYTES)
    assert check_logo(just) == just.resolve()


def test_a_picture_of_too_many_pixels_is_refused(tmp_path: Path) -> None:
    # One colour compresses so well that 8000×8000 pixels fit in a small file.
    path = picture(tmp_path / "bomb.png", (8000, 8000), "PNG")
    assert path.stat().st_size < LOGO_MAX_BYTES
    with pytest.raises(ArgumentError, match="8000×8000 pixels is too many"):
        check_logo(path)


def test_an_svg_as_illustrator_writes_it_is_accepted(tmp_path: Path) -> None:
    svg = tmp_path / "logo.svg"
    svg.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<!-- Generator: Adobe Illustrator 27.0.0, SVG Export Plug-In -->\n"
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        '<svg version="1.1" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">'
        '<rect width="8" height="8"/></svg>'
    )
    text = base64.b64decode(logo_data_uri(svg).partition(",")[2]).decode()
    assert "<rect" in text and "DOCTYPE" not in text
