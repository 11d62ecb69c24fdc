from __future__ import annotations

import pytest

from kla.regions.levels import Level, is_valid_code, is_within, level_of, parent_of, subtree_bounds


@pytest.mark.parametrize(
    ("code", "level"),
    [("16", Level.PROVINSI), ("16.71", Level.KABKOTA), ("16.71.01", Level.KECAMATAN), ("16.71.01.1001", Level.DESA)],
)
def test_level_and_parent_from_dotted_code(code: str, level: Level) -> None:
    assert level_of(code) == level
    assert parent_of(code) == (code.rsplit(".", 1)[0] if "." in code else None)


@pytest.mark.parametrize("code", ["", "1", "167", "16.7", "16.71.1", "16..71", "16.71.01.100", "ab", "16.71 ", "16-71"])
def test_malformed_codes_are_refused(code: str) -> None:
    assert not is_valid_code(code)
    with pytest.raises(ValueError, match="kode wilayah tidak sah"):
        level_of(code)
    with pytest.raises(ValueError) as info:
        parent_of(code)
    assert str(info.value) == f"kode wilayah tidak sah: {code!r}"


def test_subtree_range_holds_exactly_the_descendants() -> None:
    low, high = subtree_bounds("16")
    inside = ["16.01", "16.71", "16.71.01", "16.71.01.1001"]
    outside = ["16", "17", "17.01", "160", "15.99", "1"]
    assert all(low <= c < high for c in inside)
    assert not any(low <= c < high for c in outside)
    assert is_within("16.71.01", "16") and is_within("16", "16") and not is_within("17.01", "16")
