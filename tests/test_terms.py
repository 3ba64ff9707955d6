"""Words as data: every language's terms file matches British English key by
key and field by field, and a language without one falls back, saying so."""

from __future__ import annotations

import datetime as dt

import pytest

from publisher.terms import FOLDER, _load, fields, terms_for

ENGLISH = _load(FOLDER / "en-GB.yaml")
LANGUAGES = sorted(path.stem for path in FOLDER.glob("*.yaml") if path.stem != "en-GB")


def test_welsh_polish_and_urdu_have_terms():
    assert {"cy", "pl", "ur"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_terms_file_fills_the_same_fields_as_english(language):
    own = _load(FOLDER / f"{language}.yaml")
    assert not set(own) - set(ENGLISH), "keys English does not have"
    mismatched = {key: (fields(own[key]), fields(ENGLISH[key]))
                  for key in own if fields(own[key]) != fields(ENGLISH[key])}
    assert not mismatched
    assert len(own["months"].split()) == 12 and len(own.get("months_standalone", own["months"]).split()) == 12


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_is_translated(language):
    assert terms_for(language).borrowed == ()


def test_a_language_with_no_terms_falls_back_to_english_and_names_the_keys():
    romanian = terms_for("ro")
    assert romanian("phone") == "Phone:"
    assert "phone" in romanian.borrowed and len(romanian.borrowed) == len(ENGLISH)


def test_a_regional_tag_uses_its_language():
    assert terms_for("cy-GB")("language_name") == "Cymraeg"


def test_dates_are_written_the_way_each_language_writes_them():
    day = dt.date(2024, 1, 5)
    assert terms_for("en-GB").date(day) == "5 January 2024"
    assert terms_for("cy").date(day) == "5 Ionawr 2024"
    assert terms_for("pl").date(day) == "5 stycznia 2024"
    assert terms_for("pl").month(day) == "styczeń 2024"
