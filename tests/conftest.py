"""Shared fixtures: paths to the examples and to ../shared, and a built store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = Path(os.environ.get("DIPLOGRAPH_SHARED", ROOT.parent / "shared")).resolve()


def need_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test saying why."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared evaluation data (../shared) is not beside this checkout")
    return path


@pytest.fixture(scope="session")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the bundled example articles with the full pipeline."""
    from typer.testing import CliRunner

    from diplograph.cli import app

    store = tmp_path_factory.mktemp("kg") / "kg"
    result = CliRunner().invoke(
        app, ["build", str(EXAMPLES / "articles"), str(EXAMPLES / "articles.jsonl"), "--store", str(store), "-q", "--no-ner"]
    )
    assert result.exit_code == 0, result.output
    return store
