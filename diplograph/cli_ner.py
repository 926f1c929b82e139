"""``diplograph ner ...``: train and evaluate the Stanza NER model.

Why a command of its own: the model is trained from the CoNLL corpora in
``../shared/data/ner`` with Stanza's own trainer, reproducibly, and its quality
is measured with the same entity-level scorer (seqeval rules) on any CoNLL file
— ours, or Stanza's official model where a network exists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["app"]

app = typer.Typer(
    help="Train and evaluate diplograph's Arabic NER model (Stanza).\n\n"
    "Example: diplograph ner eval ../shared/data/ner/anercorp/test.conll",
    no_args_is_help=True,
)


@app.command("train")
def train_cmd(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for ner.pt, pretrain.pt, settings.json and logs.")
    ],
    data_dir: Annotated[Path, typer.Option(help="Folder holding <corpus>/{train,dev}.conll.")] = Path(
        "../shared/data/ner"
    ),
    corpora: Annotated[str, typer.Option(help="Comma-separated corpora to train on.")] = "anercorp,aqmar",
    aqmar_misc: Annotated[
        str, typer.Option(help="What AQMAR's broad MISC becomes: keep, or drop (→ O).")
    ] = "keep",
    steps: Annotated[int, typer.Option(help="Maximum training steps (batches).")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed (data order, initialisation).")] = 1234,
    eval_interval: Annotated[
        int,
        typer.Option(help="Steps between dev evaluations (the learning rate halves after 3 without gain)."),
    ] = 500,
    wordvec: Annotated[
        bool, typer.Option(help="Build word2vec vectors from the training text (gensim).")
    ] = True,
    vectors_text: Annotated[
        list[Path] | None,
        typer.Option(
            help="Raw text (.txt or .xz) added to the word2vec text; repeatable. Its licence "
            "binds the model (SaudiNewsNet: CC BY-NC-SA, research only; never in a shipped model)."
        ),
    ] = None,
    vectors_vocab: Annotated[
        int, typer.Option(help="Words kept in the vectors: every training word, then the most frequent.")
    ] = 100_000,
    wordvec_epochs: Annotated[int, typer.Option(help="word2vec epochs.")] = 20,
    charlm: Annotated[
        bool, typer.Option(help="Train and use a character LM (slow on CPU; 2–5x slower inference).")
    ] = False,
    charlm_hidden: Annotated[int, typer.Option(help="Character LM hidden size.")] = 512,
    dropout: Annotated[float, typer.Option(help="Dropout.")] = 0.5,
    word_dropout: Annotated[
        float, typer.Option(help="Probability of replacing a word by UNK in training.")
    ] = 0.01,
    hidden: Annotated[int, typer.Option(help="Tagger LSTM hidden size.")] = 256,
    char_hidden: Annotated[
        int, typer.Option(help="Character LSTM hidden size (spelling of unseen words).")
    ] = 100,
    max_len: Annotated[
        int, typer.Option(help="Cut training sentences longer than this (never inside an entity).")
    ] = 60,
    device: Annotated[str, typer.Option(help="torch device (cpu, cuda); empty: Stanza's choice.")] = "",
    threads: Annotated[
        int, typer.Option(help="OMP/MKL threads for the trainer (1 is fastest on a busy 2-core box).")
    ] = 1,
) -> None:
    """Train a model with Stanza's trainer; all settings go to OUT/settings.json.

    Example: diplograph ner train --out /tmp/ner-run --steps 20000 --seed 1234
    """
    from diplograph.extract.ner_training import TrainSettings, train

    s = TrainSettings(
        data_dir=str(data_dir),
        corpora=[c.strip() for c in corpora.split(",") if c.strip()],
        aqmar_misc=aqmar_misc,
        out_dir=str(out),
        seed=seed,
        max_steps=steps,
        eval_interval=eval_interval,
        wordvec=wordvec,
        vectors_text=[str(p) for p in vectors_text or []],
        vectors_vocab=vectors_vocab,
        wordvec_epochs=wordvec_epochs,
        charlm=charlm,
        charlm_hidden_dim=charlm_hidden,
        dropout=dropout,
        word_dropout=word_dropout,
        hidden_dim=hidden,
        char_hidden_dim=char_hidden,
        max_len=max_len,
        device=device,
        threads=threads,
    )
    path = train(s)
    Console().print(f"model written to [bold]{path}[/bold]; settings in {Path(out) / 'settings.json'}")


@app.command("resume")
def resume_cmd(
    model_dir: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="Folder of a stopped or finished run.")
    ],
    out: Annotated[Path, typer.Option("--out", help="New folder for the continued run.")],
    steps: Annotated[int, typer.Option(help="Training steps of the continued run.")] = 5_000,
    threads: Annotated[int, typer.Option(help="OMP/MKL threads for the trainer.")] = 1,
) -> None:
    """Go on training from a run's best checkpoint, with its recorded settings.

    Example: diplograph ner resume /tmp/ner-run --out /tmp/ner-run2 --steps 4000
    """
    from diplograph.extract.ner_training import resume

    path = resume(model_dir, out, steps, threads)
    Console().print(f"model written to [bold]{path}[/bold]; settings in {out / 'settings.json'}")


@app.command("shrink")
def shrink_cmd(
    model_dir: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="Model folder with pretrain.pt.")
    ],
    words: Annotated[int, typer.Option(help="Words of the pretrained vectors to keep (the most frequent).")],
) -> None:
    """Cut a model's word vectors to the most frequent words, to fit a size limit.

    The training words always stay; dropped words become unknown to the vectors.

    Example: diplograph ner shrink /tmp/ner-news --words 75000
    """
    from diplograph.extract.ner_training import shrink_pretrain

    before, after = shrink_pretrain(model_dir, words)
    size = (model_dir / "pretrain.pt").stat().st_size / 2**20
    Console().print(f"{model_dir / 'pretrain.pt'}: {before} → {after} words ({size:.1f} MB)")


@app.command("eval")
def eval_cmd(
    conll: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="CoNLL file: token<TAB>BIO tag.")
    ],
    model: Annotated[
        str, typer.Option(help="default | official | a shipped model name | a model folder.")
    ] = "default",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    batch_size: Annotated[int, typer.Option(help="Sentences per batch.")] = 128,
) -> None:
    """Entity-level micro P/R/F1 and per-type scores (seqeval rules).

    Example: diplograph ner eval ../shared/data/ner/aqmar/test.conll --model default --json
    """
    from diplograph.extract.ner import NERModelUnavailable
    from diplograph.extract.ner_training import evaluate

    try:
        res = evaluate(conll, model=model, batch_size=batch_size)
    except NERModelUnavailable as exc:
        Console(stderr=True).print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(res, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{conll.name} — model {model}: {res['sentences']} sentences, {res['seconds']} s")
    for col in ("type", "precision", "recall", "F1", "gold", "predicted", "correct"):
        table.add_column(col, justify="left" if col == "type" else "right")
    rows = [*res["per_type"].items(), ("ALL (micro)", res)]
    for name, r in rows:
        table.add_row(
            name,
            f"{r['precision']:.3f}",
            f"{r['recall']:.3f}",
            f"{r['f1']:.3f}",
            str(r["support"]),
            str(r["predicted"]),
            str(r["correct"]),
        )
    Console().print(table)
