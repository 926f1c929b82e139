"""Extraction quality end to end: the full pipeline (with the shipped NER model)
builds the shared dev and seed articles and the scorer of SCHEMA.md checks the
events.  The floors sit a little under the scores reached, so a regression in
any component (tokenizer, NER, linking, dates, rules, RDF, export) fails here.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from diplograph.cli import app

from .conftest import EXAMPLES, need_shared

runner = CliRunner()


def scores(gold: str, *extra: str) -> dict:
    result = runner.invoke(app, ["eval", "--gold", gold, "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.slow
def test_dev_set_scores_stay_above_the_floor() -> None:
    s = scores(str(need_shared("eval", "dev_gold.json")))
    assert s["core"]["f1"] >= 0.84, s["core"]
    assert s["full"]["f1"] >= 0.76, s["full"]
    assert s["core"]["precision"] >= 0.88, s["core"]


@pytest.mark.slow
def test_seed_articles_score_above_the_floor() -> None:
    s = scores(str(need_shared("eval", "seeds_gold.json")))
    assert s["core"]["f1"] >= 0.75, s["core"]


def test_our_own_held_out_articles() -> None:
    """Three articles written and annotated for this project, never tuned on."""
    s = scores(str(EXAMPLES / "heldout" / "gold.json"), "--corpus-root", str(EXAMPLES))
    assert s["core"]["f1"] >= 0.80, s["core"]
    assert s["full"]["f1"] >= 0.80, s["full"]
