"""The analyst notebooks run top to bottom on the sample articles, and are committed without outputs.

Executed with nbclient in a fresh ``python3`` kernel of this virtualenv (the
kernelspec that ipykernel installs), from the ``notebooks/`` folder as an
analyst would open them.  ``DIPLOGRAPH_NER=0`` keeps the run fast and
independent of the NER model; the pipeline with NER is tested elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install -e '.[dev]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install -e '.[dev]')")
pytest.importorskip("ipykernel", reason="ipykernel is not installed: no kernel to run the notebooks")
pytest.importorskip("pandas", reason="pandas is not installed (the notebooks' tables)")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_build_and_query.ipynb", "02_network_analysis.ipynb"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_without_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert dirty == [], f"{name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_top_to_bottom(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIPLOGRAPH_NER", "0")
    monkeypatch.delenv("DIPLOGRAPH_ARTICLES", raising=False)
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()  # raises CellExecutionError with the failing cell and traceback
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "<table" in html  # pandas tables were shown
    if name.startswith("02"):
        assert "<iframe srcdoc=" in html  # the interactive view, inline
