from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
AP_ID = "ap-2025-06-01-ukraine-drone-strike"


def shared_dir() -> Path:
    """../shared beside the checkout (data not redistributed with the project), or $TOOLKIT_SHARED."""
    return Path(os.environ.get("TOOLKIT_SHARED", ROOT.parent / "shared"))


needs_shared = pytest.mark.skipif(
    not (shared_dir() / "corpora").is_dir(),
    reason="needs ../shared (set TOOLKIT_SHARED): research data that is not redistributed with the project",
)


@pytest.fixture
def ap_raw() -> str:
    return (EXAMPLES / f"{AP_ID}.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def no_default_models(tmp_path_factory, monkeypatch):
    """Tests see the default extractor as a fresh checkout does: rules only, whatever models a demo built."""
    monkeypatch.setenv("TOOLKIT_MODELS", str(tmp_path_factory.mktemp("no-default-models")))
