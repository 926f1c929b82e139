"""Named-entity recognition with Stanza: diplograph's own shipped model, or Stanza's official one.

Why our own model: Stanza's official Arabic NER model is fetched from a model
hub that diplograph's machines cannot reach, and it was trained on Wikipedia
(AQMAR), not news.  diplograph therefore trains a Stanza NER model on ANERcorp
(news) and AQMAR with Stanza's own trainer (see :mod:`.ner_training`) and ships
it under ``models/ner/default`` (CC BY-SA, see its ``MODEL_CARD.md``).

Inference goes through ``stanza.Pipeline`` so that the model files stay the
standard Stanza format: pre-tokenized input (our tokenizer follows the training
data's convention), our model paths, ``download_method=None`` and an empty
resources file so that no download is ever attempted, one pipeline per process
(cached), sentences sorted by length and batched, under
``torch.inference_mode``.

``model="official"`` uses Stanza's official Arabic pipeline through
``stanza.download`` where a network exists; without one it raises
:class:`NERModelUnavailable`, or falls back to the default model when the caller
passes ``fallback=True``.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .model import Mention, Sentence

__all__ = [
    "LABELS",
    "MODELS_DIR",
    "NERModelUnavailable",
    "load_pipeline",
    "model_files",
    "official_dir",
    "ner_mentions",
    "tag",
]

log = logging.getLogger(__name__)

#: Where shipped models live: one folder per model name.
MODELS_DIR = Path(__file__).resolve().parent / "models" / "ner"

#: The labels our models predict.
LABELS = ("PER", "LOC", "ORG", "MISC")


def official_dir() -> Path:
    """Where ``model="official"`` keeps Stanza's downloaded files (``$DIPLOGRAPH_STANZA_DIR``)."""
    return Path(os.environ.get("DIPLOGRAPH_STANZA_DIR", Path.home() / "stanza_resources"))


_LOCK = threading.Lock()


class NERModelUnavailable(RuntimeError):
    """The requested NER model cannot be loaded (missing files, or no network for ``official``)."""


def model_files(model: str = "default") -> dict[str, Path]:
    """Resolve a model name or folder to its Stanza files.

    ``model`` is a shipped model's name (``default``, ``news-nc``), a folder
    holding ``ner.pt`` (and optionally ``pretrain.pt``,
    ``forward_charlm.pt``, ``backward_charlm.pt``), or a ``.pt`` file.
    Returns the paths that exist, keyed ``ner``, ``pretrain``, ``forward``,
    ``backward``, plus ``dir``.
    """
    path = Path(model)
    if not path.exists() and (MODELS_DIR / model).is_dir():
        path = MODELS_DIR / model
    if path.is_file():
        path, ner = path.parent, path
    else:
        ner = path / "ner.pt"
    if not ner.is_file():
        raise NERModelUnavailable(
            f"no NER model at {ner}; shipped models: {sorted(p.name for p in MODELS_DIR.glob('*') if p.is_dir())}"
        )
    files = {"dir": path, "ner": ner}
    for key, name in (
        ("pretrain", "pretrain.pt"),
        ("forward", "forward_charlm.pt"),
        ("backward", "backward_charlm.pt"),
    ):
        if (path / name).is_file():
            files[key] = path / name
    return files


@functools.cache
def _empty_resources() -> str:
    """A resources file holding ``{}``: Stanza then never looks one up online."""
    fd, name = tempfile.mkstemp(prefix="diplograph-stanza-", suffix=".json")
    with os.fdopen(fd, "w") as fh:
        fh.write("{}")
    return name


def _print_licence(files: dict[str, Path]) -> None:
    """Print the licence of a non-default model when it loads (e.g. CC BY-NC-SA)."""
    lic = files["dir"] / "LICENSE_NOTICE.txt"
    if lic.is_file():
        log.warning("%s", lic.read_text(encoding="utf-8").strip())


@functools.lru_cache(maxsize=4)
def _load_local(model: str, batch_size: int) -> Any:
    import stanza

    files = model_files(model)
    _print_licence(files)
    kwargs: dict[str, Any] = {
        "lang": "ar",
        "processors": "tokenize,ner",
        "tokenize_pretokenized": True,
        "ner_model_path": str(files["ner"]),
        "download_method": None,
        "resources_filepath": _empty_resources(),
        "allow_unknown_language": True,
        "use_gpu": False,
        "ner_batch_size": batch_size,
        "logging_level": "ERROR",
    }
    if "pretrain" in files:
        kwargs["ner_pretrain_path"] = str(files["pretrain"])
    if "forward" in files and "backward" in files:
        kwargs["ner_forward_charlm_path"] = str(files["forward"])
        kwargs["ner_backward_charlm_path"] = str(files["backward"])
    return stanza.Pipeline(**kwargs)


@functools.lru_cache(maxsize=1)
def _load_official(batch_size: int) -> Any:
    import stanza

    model_dir = str(official_dir())
    try:
        stanza.download("ar", model_dir=model_dir, processors="tokenize,ner", logging_level="WARN")
    except Exception as exc:  # requests/OSError/Stanza's own errors: all mean "could not fetch"
        raise NERModelUnavailable(
            "Stanza's official Arabic NER model could not be downloaded "
            f"({type(exc).__name__}: {exc}). This machine seems to have no network access to "
            "Stanza's model hub; use the shipped model (model='default') or pass fallback=True."
        ) from exc
    return stanza.Pipeline(
        lang="ar",
        dir=model_dir,
        processors="tokenize,ner",
        tokenize_pretokenized=True,
        download_method=None,
        use_gpu=False,
        ner_batch_size=batch_size,
        logging_level="ERROR",
    )


def load_pipeline(model: str = "default", fallback: bool = False, batch_size: int = 128) -> Any:
    """The ``stanza.Pipeline`` for ``model``, built once per process.

    ``fallback=True`` turns an unavailable ``official`` model into the default
    one (with a warning) instead of raising :class:`NERModelUnavailable`.
    """
    with _LOCK:
        if model != "official":
            return _load_local(model, batch_size)
        try:
            return _load_official(batch_size)
        except NERModelUnavailable as exc:
            if not fallback:
                raise
            log.warning("%s Falling back to the default model.", exc)
            return _load_local("default", batch_size)


def _run(pipe: Any, token_lists: Sequence[Sequence[str]], batch_size: int) -> list[Any]:
    """Tag token lists, longest first in chunks so that batches hold similar lengths."""
    import torch

    order = sorted(range(len(token_lists)), key=lambda i: -len(token_lists[i]))
    out: list[Any] = [None] * len(token_lists)
    chunk = max(batch_size * 16, 1)
    with torch.inference_mode():
        for k in range(0, len(order), chunk):
            idx = [i for i in order[k : k + chunk] if token_lists[i]]
            if not idx:
                continue
            doc = pipe([list(token_lists[i]) for i in idx])
            for i, sent in zip(idx, doc.sentences, strict=True):
                out[i] = sent
    return out


def _release(tagged: Sequence[Any]) -> None:
    """Unlink Stanza's tagged sentences from their parts, so that they are freed at once.

    Why: Stanza's words point at their token and sentence, its tokens and
    entity spans at their sentence, and a sentence at its document: reference
    cycles that only Python's garbage collector frees.  Each article left
    thousands of such objects for it, and the collections they caused were
    most of the collector's work in a build.  Measured (300 synthetic articles
    with NER, 2 cores): the collector 0.50 → 0.08 CPU-s, whole build CPU
    12.79 → 12.35 s (−3.4 %), the same peak memory.  Only private links are
    cleared, after we have read what we need; should a Stanza version name
    them otherwise, the collector frees the sentences as before.
    """
    try:
        for sent in tagged:
            if sent is None:
                continue
            for tok in sent.tokens:
                for word in tok.words:
                    word._parent = None
                    word._sent = None
                tok._sent = None
            for ent in sent.ents:
                ent._doc = None
                ent._sent = None
            sent._doc = None
    except AttributeError:  # pragma: no cover - another Stanza layout: leave it to the collector
        pass


def tag(
    token_lists: list[list[str]], model: str = "default", batch_size: int = 128, fallback: bool = False
) -> list[list[str]]:
    """BIO tags (``B-PER``, ``I-LOC``, ``O``...) for each token of each sentence.

    The evaluation (:func:`.ner_training.evaluate`) scores these tags; Stanza's
    BIOES output is converted to BIO.
    """
    pipe = load_pipeline(model, fallback=fallback, batch_size=batch_size)
    sents = _run(pipe, token_lists, batch_size)
    tags: list[list[str]] = []
    for toks, sent in zip(token_lists, sents, strict=True):
        if sent is None:
            tags.append(["O"] * len(toks))
            continue
        row = []
        for tok in sent.tokens:
            t = tok.ner or "O"
            prefix, _, label = t.partition("-")
            row.append("O" if t == "O" else {"S": "B", "E": "I"}.get(prefix, prefix) + "-" + label)
        tags.append(row)
    _release(sents)
    return tags


def ner_mentions(
    sentences: Sequence[Sentence], model: str = "default", batch_size: int = 128, fallback: bool = False
) -> list[Mention]:
    """Entity mentions found by NER in tokenized sentences.

    Character offsets come from the sentences' tokens, so they point into the
    document; ``text`` is the document text of the span (the sentence's
    original characters, white space inside the span included).  ``score`` is
    1.0: Stanza's CRF decoder gives no calibrated span probability.
    """
    token_lists = [[t.text for t in s.tokens] for s in sentences]
    pipe = load_pipeline(model, fallback=fallback, batch_size=batch_size)
    docs = _run(pipe, token_lists, batch_size)
    mentions: list[Mention] = []
    for sent, ssent in zip(sentences, docs, strict=True):
        if ssent is None:
            continue
        for ent in ssent.ents:
            toks = ent.tokens
            first = sent.tokens[toks[0].id[0] - 1]
            last = sent.tokens[toks[-1].id[0] - 1]
            a, b = first.start - sent.start, last.end - sent.start
            mentions.append(
                Mention(
                    start=first.start,
                    end=last.end,
                    text=sent.text[a:b],
                    label=ent.type,
                    source="ner",
                    sentence=sent.index,
                    score=1.0,
                )
            )
    _release(docs)
    return mentions
