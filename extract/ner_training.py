"""Training and evaluation of diplograph's own Stanza NER model.

Why this module exists: Stanza's official Arabic NER model lives on a model hub
that diplograph's machines cannot reach and was trained on Wikipedia (AQMAR),
not news.  So the project trains its own model with *Stanza's own trainer*
(``stanza.models.ner_tagger``) on the CC BY-SA corpora in ``shared/data/ner``
(ANERcorp news, AQMAR Wikipedia) and ships it (see ``models/ner/default``).

The steps, each a plain function so that a GPU job or the CLI can call them:

1. :func:`read_conll` / :func:`write_stanza_json` — CoNLL ``token<TAB>BIO`` →
   Stanza's NER JSON (a list of sentences of ``{"text", "ner"}`` tokens).
   :func:`prepare_data` merges the corpora and decides what AQMAR's broad MISC
   becomes (``keep`` or ``drop``: mapped to ``O``).
2. :func:`build_wordvec` — word2vec (gensim) on the training text, written as a
   Stanza pretrain ``.pt`` (the model only sees words that the pretrain holds,
   so its vocabulary is the training text's own).
3. :func:`charlm_args` — arguments for Stanza's character language model
   (``stanza.models.charlm``), trained forward and backward on the same text.
4. :func:`ner_args` / :func:`train` — the NER trainer, seeded, with every
   setting written to ``settings.json`` beside the model so a run can be redone.
5. :func:`evaluate` — entity-level micro P/R/F1 and per-type scores by seqeval's
   (conlleval's) rules, computed by :func:`span_scores` written here so that the
   scorer has no extra dependency and its rules are visible.

Only text that may go into a CC BY-SA model is used by default: the training
splits of ANERcorp and AQMAR.  Dev text selects checkpoints; test text is never
read while training.
"""

from __future__ import annotations

import json
import logging
import lzma
import os
import random
import subprocess
import sys
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "CORPORA",
    "TrainSettings",
    "bio_spans",
    "build_charlm_text",
    "build_wordvec",
    "charlm_args",
    "evaluate",
    "ner_args",
    "prepare_data",
    "read_conll",
    "read_raw_tokens",
    "resume",
    "shrink_pretrain",
    "span_scores",
    "split_long",
    "train",
    "train_charlm",
    "write_licence_notice",
    "write_stanza_json",
]

log = logging.getLogger(__name__)

#: The corpora that may train the default (CC BY-SA) model.
CORPORA = ("anercorp", "aqmar")

Sentence = list[tuple[str, str]]


# --------------------------------------------------------------------------- data


def read_conll(path: str | Path) -> list[Sentence]:
    """Read ``token<TAB>tag`` lines, a blank line between sentences."""
    sents: list[Sentence] = []
    cur: Sentence = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                parts = line.split()
            cur.append((parts[0], parts[-1]))
    if cur:
        sents.append(cur)
    return sents


def _map_misc(sent: Sentence, misc: str) -> Sentence:
    """``misc="drop"`` turns MISC into O (AQMAR's MISC is article-specific and broad)."""
    if misc == "keep":
        return sent
    return [(w, "O" if t.endswith("-MISC") else t) for w, t in sent]


def split_long(sent: Sentence, max_len: int = 60) -> list[Sentence]:
    """Cut a sentence longer than ``max_len`` tokens into pieces, never inside an entity.

    Why: ANERcorp has run-on "sentences" of up to 530 tokens (the source lacks
    punctuation there); one such batch costs more CPU time than dozens of normal
    ones and teaches little that a 60-token window does not.  Cuts fall after
    punctuation where possible, else at any token outside an entity.
    """
    if max_len <= 0 or len(sent) <= max_len:
        return [sent]
    out: list[Sentence] = []
    rest = sent
    while len(rest) > max_len:
        ok = [k for k in range(max_len // 2, max_len + 1) if not rest[k][1].startswith("I-")]
        punct = [k for k in ok if rest[k - 1][0] in _CUT_AFTER]
        cut = (punct or ok or [max_len])[-1]
        out.append(rest[:cut])
        rest = rest[cut:]
    out.append(rest)
    return out


_CUT_AFTER = frozenset("،,؛;:.!?؟")


def write_stanza_json(sents: Iterable[Sentence], path: str | Path) -> int:
    """Write sentences in Stanza's NER JSON; returns the number written."""
    doc = [[{"text": w, "ner": t} for w, t in s] for s in sents]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False)
    return len(doc)


def prepare_data(
    data_dir: str | Path,
    out_dir: str | Path,
    corpora: Sequence[str] = CORPORA,
    aqmar_misc: str = "keep",
    seed: int = 1234,
    max_len: int = 60,
) -> dict[str, Path]:
    """Convert and merge the corpora's train and dev splits to Stanza JSON.

    AQMAR's MISC covers article-specific classes (sciences, particles,
    competitions...), far broader than ANERcorp's; ``aqmar_misc="drop"`` maps it
    to ``O`` in train *and* dev so that the model learns ANERcorp's MISC only.
    Training sentences longer than ``max_len`` are cut (:func:`split_long`) and
    shuffled with ``seed`` so that batches mix corpora; dev stays as it is.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    out: dict[str, Path] = {}
    for split in ("train", "dev"):
        sents: list[Sentence] = []
        for corpus in corpora:
            part = read_conll(data_dir / corpus / f"{split}.conll")
            if corpus == "aqmar":
                part = [_map_misc(s, aqmar_misc) for s in part]
            sents.extend(part)
        if split == "train":
            sents = [piece for s in sents for piece in split_long(s, max_len)]
            random.Random(seed).shuffle(sents)
        out[split] = out_dir / f"{split}.json"
        write_stanza_json(sents, out[split])
    return out


def build_charlm_text(
    data_dir: str | Path, out_dir: str | Path, corpora: Sequence[str] = CORPORA
) -> dict[str, Path]:
    """Write the training text (train split) and dev text, one sentence a line.

    The character LM sees the same token convention as the tagger: tokens joined
    by single spaces, punctuation split off.
    """
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for split in ("train", "dev"):
        lines = [
            " ".join(w for w, _ in s)
            for corpus in corpora
            for s in read_conll(data_dir / corpus / f"{split}.conll")
        ]
        sub = out_dir / split
        sub.mkdir(exist_ok=True)
        paths[split] = sub / "text.txt"
        paths[split].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def _stable_hash(text: str) -> int:
    """gensim seeds each word's initial vector with ``hash(word)``; Python's str hash
    changes between processes, so use CRC32 to make the vectors reproducible."""
    return zlib.crc32(text.encode("utf-8"))


def read_raw_tokens(path: str | Path) -> Iterable[list[str]]:
    """Token lists of a raw text file (``.txt`` or ``.xz``), one list per sentence.

    Why our own tokenizer: the vectors must hold the tokens the tagger sees, and
    :func:`diplograph.extract.tokenize.sentences_with_tokens` is what splits
    articles at run time (punctuation off, clitics kept, as in ANERcorp).
    """
    from .tokenize import sentences_with_tokens

    path = Path(path)
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                for sent in sentences_with_tokens(line):
                    yield [t.text for t in sent.tokens]


def build_wordvec(
    token_lists: Iterable[list[str]],
    out_pt: str | Path,
    dim: int = 100,
    epochs: int = 20,
    min_count: int = 1,
    window: int = 5,
    seed: int = 1234,
    max_vocab: int = 100_000,
    required: set[str] | None = None,
) -> int:
    """Train word2vec (skip-gram, gensim) and save it as a Stanza pretrain file.

    Why gensim: Stanza reads vectors but does not train them, and gensim is the
    small, standard trainer.  ``workers=1`` keeps the result reproducible.
    ``min_count=1`` because the tagger only knows the pretrain's words: every
    training word must be in it.  With extra raw text the vocabulary written is
    ``required`` (the training words) plus the most frequent other words up to
    ``max_vocab``, so the file stays small while every training word keeps a
    vector.  Returns the vocabulary size written.
    """
    from gensim.models import Word2Vec
    from stanza.models.common.pretrain import Pretrain

    sents = [list(t) for t in token_lists]
    model = Word2Vec(
        sentences=sents,
        vector_size=dim,
        window=window,
        min_count=min_count,
        sg=1,
        epochs=epochs,
        seed=seed,
        workers=1,
        max_final_vocab=None if required else max_vocab,
        hashfxn=_stable_hash,
    )
    wv = model.wv
    words = list(wv.index_to_key)  # most frequent first
    if required:
        chosen = [w for w in words if w in required]
        room = max(0, max_vocab - len(chosen))
        chosen += [w for w in words if w not in required][:room]
        words = chosen
    out_pt = Path(out_pt)
    out_pt.parent.mkdir(parents=True, exist_ok=True)
    txt = out_pt.with_suffix(".vec.txt")
    with open(txt, "w", encoding="utf-8") as fh:
        fh.write(f"{len(words)} {dim}\n")
        for w in words:
            fh.write(w + " " + " ".join(f"{x:.5f}" for x in wv[w]) + "\n")
    pretrain = Pretrain(str(out_pt), str(txt), max_vocab=len(words) + 10, save_to_file=True)
    pretrain.load()
    txt.unlink()
    return len(words)


def shrink_pretrain(model_dir: str | Path, max_words: int) -> tuple[int, int]:
    """Keep the first ``max_words`` words of a model's ``pretrain.pt`` (in place).

    Why this is safe: the tagger does not store the pretrained vectors (only
    its own deltas for the training words, and a copy of the word list, cut
    here the same way); a word dropped here is simply unknown to the vectors,
    as an unseen word is.  :func:`build_wordvec` writes the
    training words first and then the other words most frequent first, so
    cutting the end drops only the rarest words of the extra raw text (what a
    shipped model's size limit requires).  The cut is recorded in
    ``settings.json``.  Returns the vocabulary size before and after.
    """
    import torch

    model_dir = Path(model_dir)
    path = model_dir / "pretrain.pt"
    data = torch.load(path, map_location="cpu", weights_only=False)
    vocab, emb = data["vocab"], data["emb"]
    before = len(vocab["_id2unit"])
    keep = min(before, max_words + 4)  # + Stanza's <PAD> <UNK> <EMPTY> <ROOT>
    vocab["_id2unit"] = vocab["_id2unit"][:keep]
    vocab["_unit2id"] = {w: i for i, w in enumerate(vocab["_id2unit"])}
    data["emb"] = emb[:keep].clone()
    # The tagger keeps a copy of the pretrain's word list: cut it the same way.
    tagger_path = model_dir / "ner.pt"
    tagger = torch.load(tagger_path, map_location="cpu", weights_only=False)
    words = tagger["vocab"]["word"]
    if words["_id2unit"][:keep] != vocab["_id2unit"]:
        raise ValueError(f"{tagger_path}: its word list is not the one of {path}; not shrinking")
    words["_id2unit"] = vocab["_id2unit"]
    words["_unit2id"] = dict(vocab["_unit2id"])
    torch.save(data, path)
    torch.save(tagger, tagger_path)
    settings = model_dir / "settings.json"
    if settings.is_file():
        record = json.loads(settings.read_text(encoding="utf-8"))
        record["pretrain_shrunk_to"] = keep - 4
        settings.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    return before - 4, keep - 4


# ----------------------------------------------------------------------- training


@dataclass
class TrainSettings:
    """Every setting of one NER run; written to ``settings.json`` beside the model."""

    data_dir: str = "../shared/data/ner"
    corpora: list[str] = field(default_factory=lambda: list(CORPORA))
    aqmar_misc: str = "keep"
    max_len: int = 60
    out_dir: str = "ner-model"
    seed: int = 1234
    max_steps: int = 20_000
    eval_interval: int = 500
    max_steps_no_improve: int = 5_000
    batch_size: int = 32
    lr: float = 0.1
    dropout: float = 0.5
    word_dropout: float = 0.01
    locked_dropout: float = 0.0
    hidden_dim: int = 256
    char_hidden_dim: int = 100
    wordvec: bool = True
    wordvec_dim: int = 100
    wordvec_epochs: int = 20
    vectors_text: list[str] = field(default_factory=list)
    vectors_vocab: int = 100_000
    charlm: bool = False
    charlm_hidden_dim: int = 512
    charlm_epochs: int = 30
    charlm_forward: str = ""
    charlm_backward: str = ""
    device: str = ""
    threads: int = 1
    extra: list[str] = field(default_factory=list)


def charlm_args(
    train_dir: str | Path,
    dev_file: str | Path,
    save_dir: str | Path,
    direction: str,
    hidden_dim: int = 512,
    epochs: int = 30,
    seed: int = 1234,
    cutoff: int = 5,
) -> list[str]:
    """Arguments for ``stanza.models.charlm`` (one direction).

    ``cutoff=5``: Stanza's default (1,000) assumes a corpus of billions of
    characters and would drop most of Arabic's rarer letters from a small one.
    """
    return [
        "--train_dir", str(train_dir), "--eval_file", str(dev_file),
        "--direction", direction, "--shorthand", "ar_diplo",
        "--save_dir", str(save_dir), "--save_name", f"{direction}_charlm.pt",
        "--vocab_save_name", f"{direction}_vocab.pt",
        "--char_hidden_dim", str(hidden_dim), "--epochs", str(epochs),
        "--cutoff", str(cutoff), "--seed", str(seed), "--eval_steps", "-1",
        "--no_checkpoint",
    ]  # fmt: skip


def ner_args(s: TrainSettings, train_json: Path, dev_json: Path, pretrain_pt: Path | None) -> list[str]:
    """Arguments for ``stanza.models.ner_tagger`` from one :class:`TrainSettings`."""
    args = [
        "--train_file", str(train_json), "--eval_file", str(dev_json),
        "--shorthand", "ar_diplo",
        "--save_dir", s.out_dir, "--save_name", "ner.pt",
        "--max_steps", str(s.max_steps), "--eval_interval", str(s.eval_interval),
        "--max_steps_no_improve", str(s.max_steps_no_improve),
        "--batch_size", str(s.batch_size), "--lr", str(s.lr),
        "--dropout", str(s.dropout), "--word_dropout", str(s.word_dropout),
        "--locked_dropout", str(s.locked_dropout),
        "--hidden_dim", str(s.hidden_dim), "--char_hidden_dim", str(s.char_hidden_dim),
        "--seed", str(s.seed), "--scheme", "bioes",
    ]  # fmt: skip
    if pretrain_pt is not None:
        args += ["--wordvec_pretrain_file", str(pretrain_pt)]
    else:
        args += ["--no_pretrain"]
    if s.charlm:
        args += [
            "--charlm", "--charlm_shorthand", "ar_diplo",
            "--charlm_forward_file", s.charlm_forward, "--charlm_backward_file", s.charlm_backward,
        ]  # fmt: skip
    if s.device:
        args += ["--device", s.device]
    return args + list(s.extra)


def _run_module(module: str, args: list[str], log_path: Path, threads: int = 1) -> None:
    """Run a Stanza trainer in a child process (it configures global logging).

    ``threads`` sets OMP/MKL threads: on a small, shared machine one thread per
    process was 5-10x faster than two (OpenMP threads spin-wait when the cores
    are busy), and on the GPU machine 16 default threads per process starved
    parallel runs.
    """
    cmd = [sys.executable, "-m", module, *args]
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    log.info("running %s", " ".join(cmd))
    with open(log_path, "a", encoding="utf-8") as fh:
        subprocess.run(cmd, check=True, stdout=fh, stderr=subprocess.STDOUT, env=env)


def train_charlm(text: dict[str, Path], out_dir: Path, s: TrainSettings) -> tuple[Path, Path]:
    """Train forward and backward character LMs; returns their model paths."""
    for direction in ("forward", "backward"):
        args = charlm_args(
            text["train"].parent, text["dev"], out_dir, direction,
            s.charlm_hidden_dim, s.charlm_epochs, s.seed,
        )  # fmt: skip
        _run_module("stanza.models.charlm", args, out_dir / "charlm.log", s.threads)
    return out_dir / "forward_charlm.pt", out_dir / "backward_charlm.pt"


def train(s: TrainSettings) -> Path:
    """Train a model end to end (data, vectors, charlm, tagger) into ``s.out_dir``.

    Returns the path of ``ner.pt``.  ``settings.json`` records the settings,
    the Stanza and torch versions, the wall time and the exact trainer
    arguments; ``train.log`` holds Stanza's log (dev F1 every ``eval_interval``
    steps: the learning curve).
    """
    out = Path(s.out_dir)
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    data = prepare_data(s.data_dir, work, s.corpora, s.aqmar_misc, s.seed, s.max_len)
    pretrain_pt: Path | None = None
    if s.wordvec:
        pretrain_pt = out / "pretrain.pt"
        tokens = [
            [w for w, _ in sent]
            for c in s.corpora
            for sent in read_conll(Path(s.data_dir) / c / "train.conll")
        ]
        required = {w for sent in tokens for w in sent} if s.vectors_text else None
        for raw in s.vectors_text:
            tokens.extend(read_raw_tokens(raw))
        build_wordvec(
            tokens, pretrain_pt, dim=s.wordvec_dim, epochs=s.wordvec_epochs, seed=s.seed,
            max_vocab=s.vectors_vocab, required=required,
        )  # fmt: skip
        if s.vectors_text:
            write_licence_notice(out, s.vectors_text)
    if s.charlm and not (s.charlm_forward and s.charlm_backward):
        text = build_charlm_text(s.data_dir, work / "charlm_text", s.corpora)
        fwd, bwd = train_charlm(text, out, s)
        s.charlm_forward, s.charlm_backward = str(fwd), str(bwd)
    args = ner_args(s, data["train"], data["dev"], pretrain_pt)
    return _run_tagger(out, args, {"settings": asdict(s)}, s.threads, t0)


def _run_tagger(out: Path, args: list[str], record: dict[str, Any], threads: int, t0: float) -> Path:
    """Run Stanza's tagger trainer with ``args``, recording how in ``out/settings.json``.

    The record is written before training too, so that a run that is stopped
    still says how it was made; ``resume`` relies on it.
    """
    import stanza
    import torch

    record = {
        **record,
        "ner_tagger_args": args,
        "stanza": stanza.__version__,
        "torch": torch.__version__,
        "host_cpus": os.cpu_count(),
        "status": "training",
    }
    settings_path = out / "settings.json"
    settings_path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    _run_module("stanza.models.ner_tagger", args, out / "train.log", threads)
    record.update(status="done", wall_seconds=round(time.time() - t0, 1))
    settings_path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    return out / "ner.pt"


def write_licence_notice(model_dir: Path, texts: Sequence[str]) -> Path:
    """Write ``LICENSE_NOTICE.txt``: the raw text in a model's vectors binds its licence.

    Why: vectors trained on outside text carry that text's licence (the
    conservative reading), and :mod:`diplograph.extract.ner` prints this file
    each time such a model loads, so nobody uses it unaware.  SaudiNewsNet, the
    raw news text in ``../shared/data/raw``, is CC BY-NC-SA 4.0 for
    non-commercial research only: a model built on it is never shipped.
    """
    lines = [
        "NOTICE: this NER model's word vectors were trained on extra raw text: " + ", ".join(texts) + ".",
        "The licence of that text binds the model: check it before you use or share the model.",
    ]
    if any("saudinewsnet" in t.lower() for t in texts):
        lines.append(
            "SaudiNewsNet (Alhagri 2015) is CC BY-NC-SA 4.0, for non-commercial research only: so is this "
            "model; attribute the corpus and share derivatives under the same licence."
        )
    path = model_dir / "LICENSE_NOTICE.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _set_arg(args: list[str], flag: str, value: str) -> list[str]:
    """``args`` with ``flag``'s value replaced (or appended)."""
    out = list(args)
    if flag in out:
        out[out.index(flag) + 1] = value
    else:
        out += [flag, value]
    return out


def resume(model_dir: str | Path, out_dir: str | Path, max_steps: int, threads: int = 1) -> Path:
    """Go on training a model from its saved best checkpoint, into a new folder.

    Why: a long CPU run that is stopped (a machine that goes away, a session
    that ends) keeps its best ``ner.pt``; this continues from it with the very
    trainer arguments recorded in ``settings.json`` (same data, vectors and
    sizes) for ``max_steps`` more steps.  The new folder keeps the old model
    intact: Stanza's first evaluation after loading always saves, even when it
    scores below the loaded model.  ``settings.json`` of the new folder records
    both runs, so the model stays reproducible.
    """
    import shutil

    src, out = Path(model_dir), Path(out_dir)
    if src.resolve() == out.resolve():
        raise ValueError(f"{out}: resume into a new folder, not the model's own")
    before = json.loads((src / "settings.json").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    args = _set_arg(before["ner_tagger_args"], "--save_dir", str(out))
    args = _set_arg(args, "--max_steps", str(max_steps))
    if (src / "LICENSE_NOTICE.txt").is_file():
        shutil.copyfile(src / "LICENSE_NOTICE.txt", out / "LICENSE_NOTICE.txt")
    if "--wordvec_pretrain_file" in args:
        shutil.copyfile(src / "pretrain.pt", out / "pretrain.pt")
        args = _set_arg(args, "--wordvec_pretrain_file", str(out / "pretrain.pt"))
    args += ["--finetune", "--finetune_load_name", str(src / "ner.pt")]
    record = {
        "settings": {**before["settings"], "out_dir": str(out), "max_steps": max_steps, "threads": threads},
        "resumed_from": {"dir": str(src), **before},
    }
    return _run_tagger(out, args, record, threads, time.time())


# ----------------------------------------------------------------------- scoring


def bio_spans(tags: Sequence[str]) -> set[tuple[str, int, int]]:
    """Entity spans ``(type, start, end)`` by conlleval/seqeval (default) rules.

    An entity starts at ``B-X``, or at ``I-X`` that does not continue an ``X``
    (after ``O`` or another type), and runs over the following ``I-X``.  ``E-``
    and ``S-`` (BIOES) are read as ``I-`` and ``B-``.
    """
    spans: set[tuple[str, int, int]] = set()
    typ, start = None, 0
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        prefix = {"E": "I", "S": "B"}.get(prefix, prefix)
        continues = prefix == "I" and label == typ
        if typ is not None and not continues:
            spans.add((typ, start, i))
            typ = None
        if prefix in ("B", "I") and not continues:
            typ, start = label, i
    return spans


def span_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    """Micro P/R/F1 over exact entity spans, overall and per type."""
    counts: dict[str, list[int]] = {}  # type -> [tp, n_gold, n_pred]
    for k, (g, p) in enumerate(zip(gold, pred, strict=True)):
        gs = {(t, k, a, b) for t, a, b in bio_spans(g)}
        ps = {(t, k, a, b) for t, a, b in bio_spans(p)}
        for t in {x[0] for x in gs | ps}:
            c = counts.setdefault(t, [0, 0, 0])
            gt, pt = {x for x in gs if x[0] == t}, {x for x in ps if x[0] == t}
            c[0] += len(gt & pt)
            c[1] += len(gt)
            c[2] += len(pt)

    def prf(tp: int, ng: int, npred: int) -> dict:
        p = tp / npred if npred else 0.0
        r = tp / ng if ng else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f, "support": ng, "predicted": npred, "correct": tp}

    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {**prf(*total), "per_type": {t: prf(*counts[t]) for t in sorted(counts)}}


def evaluate(conll_path: str | Path, model: str = "default", batch_size: int = 128) -> dict:
    """Tag a CoNLL file's tokens with ``model`` and score against its tags.

    Returns ``{"precision", "recall", "f1", "support", "predicted", "correct",
    "per_type": {type: {...}}, "sentences", "tokens", "seconds", "model", "file"}``.
    ``model`` is ``"default"``, ``"official"``, another shipped model's name or a
    directory holding ``ner.pt``.
    """
    from .ner import tag

    sents = read_conll(conll_path)
    tokens = [[w for w, _ in s] for s in sents]
    gold = [[t for _, t in s] for s in sents]
    t0 = time.time()
    pred = tag(tokens, model=model, batch_size=batch_size)
    secs = time.time() - t0
    res = span_scores(gold, pred)
    res.update(
        sentences=len(sents),
        tokens=sum(map(len, tokens)),
        seconds=round(secs, 2),
        model=model,
        file=str(conll_path),
    )
    return res
