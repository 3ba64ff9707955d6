"""Sentence splitting respects each script: the audio and the read-aloud
highlighting depend on it in every language."""

from __future__ import annotations

import pytest

from publisher.text import split_sentences

CASES = [
    ("Babies smile. They sleep a lot.", ["Babies smile.", "They sleep a lot."]),
    ("Use a cot, e.g. this one. Then rest.", ["Use a cot, e.g. this one.", "Then rest."]),
    ("Mae babanod yn gwenu. Maen nhw'n cysgu.", ["Mae babanod yn gwenu.", "Maen nhw'n cysgu."]),
    ("Dzieci się uśmiechają. Łatwo to zauważyć.", ["Dzieci się uśmiechają.", "Łatwo to zauważyć."]),
    ("یہ پہلا جملہ ہے۔ کیا یہ دوسرا ہے؟ ہاں۔", ["یہ پہلا جملہ ہے۔", "کیا یہ دوسرا ہے؟", "ہاں۔"]),
    ("هل هذا صحيح؟ نعم.", ["هل هذا صحيح؟", "نعم."]),
    ("बच्चे मुस्कुराते हैं। वे सोते हैं।", ["बच्चे मुस्कुराते हैं।", "वे सोते हैं।"]),
    ("“Play matters.” Porges says so.", ["“Play matters.”", "Porges says so."]),
    ("Napisz na ul. Długa 1. Dziękujemy.", ["Napisz na ul. Długa 1.", "Dziękujemy."]),
    ("Mae rhai pethau, e.e. Cwsg, yn bwysig. Diolch.", ["Mae rhai pethau, e.e. Cwsg, yn bwysig.", "Diolch."]),
]


@pytest.mark.parametrize(("text", "sentences"), CASES, ids=[c[0][:24] for c in CASES])
def test_sentences_split_at_each_scripts_stops(text, sentences):
    assert split_sentences(text) == sentences
