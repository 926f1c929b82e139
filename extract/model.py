"""The plain data that flows through the extraction pipeline.

A :class:`Document` goes in; each pipeline stage fills one more of its lists
(sentences, mentions, entities, times, events).  Every span keeps character
offsets into ``Document.text`` exactly as it was read, so every fact points
back to the evidence that supports it.  Nothing here knows about RDF: the
``graph`` package turns these objects into triples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "Document",
    "Entity",
    "Event",
    "Mention",
    "Sentence",
    "TimeValue",
    "Token",
    "EVENT_TYPES",
    "SYMMETRIC_TYPES",
    "STATUSES",
    "ENTITY_TYPES",
]

# The shared vocabulary lives in ``ontology`` (both sides speak it); re-exported
# here because every stage of the pipeline uses it.
from diplograph.ontology.vocabulary import ENTITY_TYPES, EVENT_TYPES, STATUSES, SYMMETRIC_TYPES  # noqa: E402


@dataclass(slots=True)
class Token:
    """A token: ``text == doc.text[start:end]``; ``norm`` is its matching form."""

    text: str
    start: int
    end: int
    norm: str = ""


@dataclass(slots=True)
class Sentence:
    """A sentence as a character span of the document, with its tokens."""

    start: int
    end: int
    text: str
    tokens: list[Token] = field(default_factory=list)
    index: int = 0


@dataclass(slots=True)
class Mention:
    """A span that names something.

    ``label`` is the NER class (PER, LOC, ORG, MISC) or, for a dictionary match,
    the entity type; ``source`` says which component found it (``ner``,
    ``gazetteer``, ``coref``).  ``entity_ids`` is filled by linking: usually
    one id, several for a plural reference ("البلدين" → both countries).  A
    capital keeps its own id (Doha); the rule engine reads the entity's
    ``affiliation`` when the capital stands for its government.
    """

    start: int
    end: int
    text: str
    label: str
    source: str = "ner"
    sentence: int = 0
    entity_ids: list[str] = field(default_factory=list)
    score: float = 1.0


@dataclass(slots=True)
class Entity:
    """A canonical actor, place or thing.

    ``id`` is the Wikidata QID where it is certain (``Q846``), a dictionary slug
    (``X:Egypt_MFA``) or, for names the dictionary does not know, an id minted
    from the normalized Arabic name (``ar:...``).  ``affiliation`` is the id of
    the country or organization a person or body acts for.
    """

    id: str
    label_en: str
    label_ar: str
    type: str
    wikidata: str | None = None
    affiliation: str | None = None
    role: str | None = None
    aliases_ar: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TimeValue:
    """A time expression resolved to ISO 8601 at the precision the text gives.

    ``value`` is ``2025``, ``2025-05``, ``2025-05-13`` or an interval
    ``2025-05-13/2025-05-16``; it is ``None`` when the expression is relative
    and no publication date is known, in which case ``raw`` still holds the
    Arabic expression.
    """

    value: str | None
    raw: str
    start: int = -1
    end: int = -1

    @property
    def begin(self) -> str | None:
        """First ISO value of the interval (or the value itself)."""
        return self.value.split("/")[0] if self.value else None

    @property
    def finish(self) -> str | None:
        """Last ISO value of the interval (or the value itself)."""
        return self.value.split("/")[-1] if self.value else None


@dataclass(slots=True)
class Event:
    """One extracted event: who did what to whom, where, when, and the proof.

    Roles hold entity ids.  ``evidence`` is a list of (start, end) character
    spans: the same event stated twice in an article is one event with two
    spans.  ``rule_id`` names the data-file rule that produced it.
    """

    type: str
    actor: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    time: TimeValue | None = None
    status: str = "happened"
    evidence: list[tuple[int, int]] = field(default_factory=list)
    rule_id: str = ""
    confidence: float = 0.5
    trigger: str = ""
    topic: str | None = None
    sentence: int = 0

    @property
    def cameo(self) -> str:
        """The CAMEO code of the event type."""
        return EVENT_TYPES[self.type]


@dataclass(slots=True)
class Document:
    """An article and everything extracted from it."""

    id: str
    text: str
    title: str = ""
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    published_basis: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    times: list[TimeValue] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def span(self, start: int, end: int) -> str:
        """The original text between two offsets."""
        return self.text[start:end]
