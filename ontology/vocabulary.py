"""The shared vocabulary, free of any RDF machinery.

Event types with their CAMEO codes, the roles that may be swapped, entity
types and statuses: ``extract`` produces them, ``graph`` writes them, the
scorer compares them.  Kept in a module without rdflib imports so the
extraction side depends on nothing heavier than this list.
"""

from __future__ import annotations

__all__ = [
    "DIRECT_PREDICATES",
    "ENTITY_TYPES",
    "EVENT_CLASSES",
    "EVENT_TYPES",
    "STATUSES",
    "SYMMETRIC_TYPES",
]

#: The 22 CAMEO-aligned event types and their CAMEO codes (see SCHEMA.md).
EVENT_TYPES: dict[str, str] = {
    "STATEMENT": "010",
    "APPEAL": "020",
    "INTENT_TO_COOPERATE": "030",
    "MEET": "040",
    "PHONE_CALL": "041",
    "VISIT": "042",
    "HOST": "043",
    "MEDIATE": "045",
    "NEGOTIATE": "046",
    "PRAISE": "051",
    "RECOGNIZE": "054",
    "SIGN_AGREEMENT": "057",
    "CEASEFIRE": "0871",
    "COOPERATE": "060",
    "AID": "070",
    "DEMAND": "100",
    "CRITICIZE": "111",
    "REJECT": "120",
    "THREATEN": "130",
    "SANCTION": "163",
    "WITHDRAW": "160",
    "ATTACK": "180",
}

#: Types whose actor and target may be swapped without changing the meaning.
SYMMETRIC_TYPES = frozenset({"MEET", "NEGOTIATE", "SIGN_AGREEMENT", "CEASEFIRE", "COOPERATE"})

STATUSES = ("happened", "planned", "ongoing")

ENTITY_TYPES = (
    "Person",
    "Country",
    "City",
    "Region",
    "Organization",
    "GovernmentBody",
    "Facility",
    "Agreement",
    "Other",
)

#: Event type name → ontology class local name.
EVENT_CLASSES: dict[str, str] = {
    "STATEMENT": "Statement",
    "APPEAL": "Appeal",
    "INTENT_TO_COOPERATE": "IntentToCooperate",
    "MEET": "Meet",
    "PHONE_CALL": "PhoneCall",
    "VISIT": "Visit",
    "HOST": "Host",
    "MEDIATE": "Mediate",
    "NEGOTIATE": "Negotiate",
    "PRAISE": "Praise",
    "RECOGNIZE": "Recognize",
    "SIGN_AGREEMENT": "SignAgreement",
    "CEASEFIRE": "Ceasefire",
    "COOPERATE": "Cooperate",
    "AID": "Aid",
    "DEMAND": "Demand",
    "CRITICIZE": "Criticize",
    "REJECT": "Reject",
    "THREATEN": "Threaten",
    "SANCTION": "Sanction",
    "WITHDRAW": "Withdraw",
    "ATTACK": "Attack",
}

#: Event type → the direct actor–predicate–target property (Qatar –mediates– ...).
DIRECT_PREDICATES: dict[str, str] = {
    "STATEMENT": "statesAbout",
    "APPEAL": "appealsTo",
    "INTENT_TO_COOPERATE": "pledgesCooperationWith",
    "MEET": "meetsWith",
    "PHONE_CALL": "callsWith",
    "VISIT": "visits",
    "HOST": "hosts",
    "MEDIATE": "mediates",
    "NEGOTIATE": "negotiatesWith",
    "PRAISE": "praises",
    "RECOGNIZE": "recognizes",
    "SIGN_AGREEMENT": "signsAgreementWith",
    "CEASEFIRE": "agreesCeasefireWith",
    "COOPERATE": "cooperatesWith",
    "AID": "aids",
    "DEMAND": "demandsOf",
    "CRITICIZE": "criticizes",
    "REJECT": "rejects",
    "THREATEN": "threatens",
    "SANCTION": "sanctions",
    "WITHDRAW": "withdrawsFrom",
    "ATTACK": "attacks",
}
