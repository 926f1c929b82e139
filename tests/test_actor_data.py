"""The actor dictionary's data files are well-formed (extract/data/actors/*.yaml)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from diplograph.extract.gazetteer import DATA_DIR, load, parse_date
from diplograph.extract.normalize import is_arabic

ID = re.compile(r"^(Q\d+|X:\S+)$")


def _read(name: str) -> dict:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def _all_ids() -> list[str]:
    ids = []
    for c in _read("countries.yaml")["countries"]:
        ids.append(c["id"])
        if c.get("capital", {}).get("id"):
            ids.append(c["capital"]["id"])
    ids += [p["id"] for p in _read("places.yaml")["places"]]
    ids += [o["id"] for o in _read("organizations.yaml")["organizations"]]
    ids += [p["id"] for p in _read("people.yaml")["people"]]
    return ids


def test_every_file_has_a_source_header():
    for path in sorted(Path(DATA_DIR).glob("*.yaml")):
        head = path.read_text(encoding="utf-8").split("\n", 12)
        assert head[0].startswith("#"), path.name
        assert any("ource" in line for line in head[:12]), f"{path.name}: no 'Sources' in the header"


def test_ids_are_qids_or_slugs_and_unique():
    ids = _all_ids()
    bad = [i for i in ids if not ID.match(str(i))]
    assert not bad, bad
    dup = [i for i, n in Counter(ids).items() if n > 1]
    assert not dup, f"duplicate ids: {dup}"


def test_countries_cover_the_un_members_and_observers():
    import pycountry

    countries = _read("countries.yaml")["countries"]
    assert len(countries) == 195
    isos = [c["iso"] for c in countries]
    assert len(set(isos)) == 195
    for iso in isos:
        assert pycountry.countries.get(alpha_2=iso) is not None, iso
    assert {"PS", "VA"} <= set(isos)
    for c in countries:
        assert {"id", "iso", "en", "ar"} <= set(c), c
        assert re.match(r"^Q\d+$", c["id"]), c["id"]
        assert is_arabic(c["ar"]), c["ar"]
        for n in c.get("nisba", []) + c.get("alt", []) + c.get("plural", []):
            assert isinstance(n, str) and is_arabic(n), (c["en"], n)
        cap = c.get("capital")
        if cap:
            assert {"en", "ar"} <= set(cap) and is_arabic(cap["ar"]), c["en"]


@pytest.mark.parametrize("name,key", [("places.yaml", "places"), ("organizations.yaml", "organizations")])
def test_places_and_organizations_fields(name, key):
    types = {"Country", "City", "Region", "Organization", "GovernmentBody", "Facility", "Agreement", "Other"}
    known = set(_all_ids())
    for e in _read(name)[key]:
        assert {"id", "en", "ar", "type"} <= set(e), e
        assert e["type"] in types, e
        assert is_arabic(e["ar"]), e["ar"]
        if e.get("affiliation"):
            assert e["affiliation"] in known, e
        if e.get("prefer"):
            assert e["prefer"] in known, e


def test_people_offices_dates_and_roles():
    roles = set(_read("roles.yaml")["roles"])
    known = set(_all_ids())
    for p in _read("people.yaml")["people"]:
        assert {"id", "en", "ar", "offices"} <= set(p), p
        assert is_arabic(p["ar"]), p["ar"]
        assert p["offices"], p["en"]
        for o in p["offices"]:
            assert o["role"] in roles, (p["en"], o["role"])
            assert o["of"] in known, (p["en"], o["of"])
            start, end = parse_date(o.get("start")), parse_date(o.get("end"), end=True)
            if start and end:
                assert start <= end, (p["en"], o)


def test_titles_name_known_roles():
    data = _read("roles.yaml")
    roles = set(data["roles"])
    for t in data["titles"]:
        assert set(t.get("roles", [])) <= roles, t
        assert set(t.get("bare", [])) <= roles, t
        assert t.get("needs", "country") in {"country", "org", "body", "none"}, t


def test_partial_dates():
    assert str(parse_date("2024-09")) == "2024-09-01"
    assert str(parse_date("2024-09", end=True)) == "2024-09-30"
    assert str(parse_date("2024", end=True)) == "2024-12-31"
    with pytest.raises(ValueError):
        parse_date("last May")


def test_generated_bodies_have_grammatical_arabic_labels():
    """A nisba after a definite noun is definite too: "الحكومة القطرية", never "الحكومة قطرية"."""
    gaz = load()
    assert gaz.actors["X:Qatar_MFA"].label_ar == "وزارة الخارجية القطرية"
    assert gaz.actors["X:Saudi_Arabia_Government"].label_ar == "الحكومة السعودية"
    assert gaz.actors["X:Qatar_Parliament"].label_ar == "البرلمان القطري"
    assert gaz.actors["X:South_Korea_MFA"].label_ar == "وزارة الخارجية الكورية الجنوبية"
    assert gaz.actors["X:South_Africa_Government"].label_ar == "الحكومة الجنوب أفريقية"
    bodies = [a for a in gaz.actors.values() if a.kind == "body"]
    assert len(bodies) > 500
    for body in bodies:
        words = body.label_ar.split()
        # The noun is definite ("الحكومة", "وزارة الخارجية"), so is the adjective after it.
        assert any(w.startswith("ال") for w in words[1:]), body.label_ar
        assert not any(w.endswith(("ية", "ي")) and not w.startswith("ال") and words[i - 1].startswith("ال")
                       and words[i - 1].endswith(("ية", "ي")) for i, w in enumerate(words) if i), body.label_ar


def test_dictionary_loads_with_generated_forms():
    gaz = load()
    assert gaz.actors["Q3861"].affiliation == "Q846"
    assert gaz.actors["X:Qatar_MFA"].affiliation == "Q846"
    assert gaz.actors["X:US_Department_of_State"].type == "GovernmentBody"
    assert gaz.actors["X:Marco_Rubio" if "X:Marco_Rubio" in gaz.actors else "Q324546"].type == "Person"
    # Every body template generated for a country with a nisba.
    assert gaz.actors["Q818" if "Q818" in gaz.actors else "Q846"].bodies["MFA"]
