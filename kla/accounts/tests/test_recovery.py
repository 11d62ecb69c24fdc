"""The pure parts of the second step's additions: recovery codes (format, normalising, keyed hash) and the QR code
of the provisioning URI (inline SVG that encodes exactly the URI, with nothing a strict CSP would block)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import segno
from hypothesis import given
from hypothesis import strategies as st

from kla.accounts import recovery, totp

KEY = "kunci-situs-untuk-uji-0123456789abcdef"


def test_a_set_is_ten_different_codes_of_twelve_unambiguous_characters() -> None:
    codes = recovery.new_codes()
    assert len(codes) == recovery.COUNT == 10
    assert len(set(codes)) == 10
    for code in codes:
        assert len(code) == recovery.LENGTH == 12
        assert set(code) <= set(recovery.ALPHABET)
    assert not set("01ILO") & set(recovery.ALPHABET)
    assert len(set(recovery.ALPHABET)) == len(recovery.ALPHABET) == 31


def test_sets_differ() -> None:
    assert len({code for _ in range(20) for code in recovery.new_codes()}) == 200


def test_a_code_is_shown_in_groups_of_four() -> None:
    assert recovery.display("7KQMXR2CHN4T") == "7KQM-XR2C-HN4T"
    assert recovery.display(" 7kqm xr2c-hn4t ") == "7KQM-XR2C-HN4T"


@pytest.mark.parametrize(
    "typed", ["7KQM-XR2C-HN4T", "7kqm-xr2c-hn4t", " 7KQM XR2C HN4T ", "7KQMXR2CHN4T", "7KQM–XR2C–HN4T"]
)
def test_a_code_is_recognised_however_it_is_typed(typed: str) -> None:
    assert recovery.is_recovery_code(typed)
    assert recovery.normalise(typed) == "7KQMXR2CHN4T"


@pytest.mark.parametrize(
    "typed",
    ["", "123456", "123 456", "7KQM-XR2C-HN4", "7KQM-XR2C-HN4TX", "7KQM-XR2C-HN40", "OKQM-XR2C-HN4T", "7KQM_XR2C_HN4T"],
)
def test_six_digits_and_other_shapes_are_not_recovery_codes(typed: str) -> None:
    assert not recovery.is_recovery_code(typed)


def test_the_digest_is_keyed_per_user_and_the_same_however_the_code_is_typed() -> None:
    code = "7KQMXR2CHN4T"
    stored = recovery.digest(code, secret_key=KEY, user_id=7)
    assert re.fullmatch(r"[0-9a-f]{64}", stored)
    assert code not in stored and code.lower() not in stored
    assert recovery.digest("7kqm-xr2c-hn4t", secret_key=KEY, user_id=7) == stored
    assert recovery.digest(code, secret_key=KEY, user_id=8) != stored  # another user's code
    assert recovery.digest(code, secret_key=KEY + "x", user_id=7) != stored  # another site key
    assert recovery.digest("7KQMXR2CHN4V", secret_key=KEY, user_id=7) != stored


def test_digests_try_the_current_key_and_the_previous_ones() -> None:
    code = "7KQMXR2CHN4T"
    old = recovery.digest(code, secret_key="kunci-lama", user_id=3)
    found = recovery.digests(code, secret_keys=[KEY, "kunci-lama"], user_id=3)
    assert found == [recovery.digest(code, secret_key=KEY, user_id=3), old]


@given(st.lists(st.sampled_from(recovery.ALPHABET), min_size=12, max_size=12))
def test_every_code_of_the_alphabet_round_trips_through_its_display(chars: list[str]) -> None:
    code = "".join(chars)
    shown = recovery.display(code)
    assert recovery.is_recovery_code(shown) and recovery.normalise(shown) == code
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", shown)


# --- the QR code -------------------------------------------------------------------------------------------------


def _dark_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (column, row) drawn by segno's SVG path: segments `M|m x y hL` (absolute, then relative)."""
    match = re.search(r'<path stroke="#000" d="([^"]+)"', svg)
    assert match is not None
    x = y = 0.0
    cells: set[tuple[int, int]] = set()
    for move, dx, dy, length in re.findall(r"([Mm])(-?[\d.]+) (-?[\d.]+)h(\d+)", match.group(1)):
        x, y = (float(dx), float(dy)) if move == "M" else (x + float(dx), y + float(dy))
        for i in range(int(length)):
            cells.add((int(x) + i, int(y)))
        x += int(length)
    return cells


def test_the_qr_code_encodes_exactly_the_provisioning_uri() -> None:
    uri = totp.provisioning_uri(totp.new_secret(), "kemen-admin")
    svg = totp.qr_svg(uri, title="Kode QR")
    matrix = segno.make_qr(uri, error="m", boost_error=False).matrix
    expected = {
        (col + totp.QR_BORDER, row + totp.QR_BORDER)
        for row, line in enumerate(matrix)
        for col, dark in enumerate(line)
        if dark
    }
    assert _dark_modules(svg) == expected
    other = totp.qr_svg(totp.provisioning_uri(totp.new_secret(), "kemen-admin"), title="Kode QR")
    assert _dark_modules(other) != expected  # another secret, another picture


def test_the_qr_code_is_inline_svg_a_strict_csp_allows() -> None:
    uri = totp.provisioning_uri(totp.new_secret(), "prov-sumsel")
    svg = totp.qr_svg(uri, title='Kode QR <"uji">')
    assert svg.startswith('<svg role="img" ') and svg.endswith("</svg>")
    assert '<title>Kode QR &lt;"uji"&gt;</title>' in svg  # the title is escaped: it cannot open an element
    # nothing a CSP without 'unsafe-inline' or without data: would block, and no XML declaration inside HTML
    for forbidden in ("style=", "<style", "<script", "href", "data:", "<?xml", "<image", "<foreignObject"):
        assert forbidden not in svg
    size = int(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert 180 <= size <= 260  # fits a 390 px phone with the page margins, big enough to scan from a screen
    assert totp.QR_SCALE == 4 and totp.QR_BORDER == 4  # 4 px a module; the quiet zone the specification asks for
    assert 'class="qr-code"' in svg
    assert '<path fill="#fff"' in svg  # a light background: scannable in a dark theme too


def test_the_pure_modules_import_no_django() -> None:
    for name in ("recovery.py", "totp.py"):
        tree = ast.parse((Path(recovery.__file__).parent / name).read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {m for m in imported if m.split(".")[0] in {"django", "kla"}}, name
