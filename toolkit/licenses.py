"""Which licenses allow redistribution: the default for `redistributable` when an input does not say."""

from __future__ import annotations

import re

OPEN = re.compile(r"^(CC0|CC-BY(-SA|-NC|-NC-SA)?(-[0-9.]+)?(-[A-Z]{2})?|public[- ]domain|OGL)", re.I)


def is_redistributable(license: str | None) -> bool:
    return bool(license) and bool(OPEN.match(license.strip()))


def is_non_commercial(license: str | None) -> bool:
    return bool(license) and "-NC" in license.upper()
