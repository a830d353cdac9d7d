"""The sentence reader of the Spanish render test finds English left on a Spanish page and nothing else."""

from __future__ import annotations

from .text import english_left, html_sentences, looks_english

SPANISH = """<html><head><title>Su portal</title><style>.a { color: red }</style></head><body>
<script>var message = "Loading the page for you";</script>
<h1>Su portal</h1><p>Próxima cita: 3 de diciembre. <strong>It is too late to cancel online.</strong></p>
<p>María de la Cruz · REC-00012 · patient@example.org · 38 °C · T6</p>
<img alt="Your progress over the last year"><p hidden>Nothing to see here for you</p>
<p>ISNCSCI AIS B, SCIM III 45</p></body></html>"""
ENGLISH = SPANISH.replace("Su portal", "Your portal").replace("Próxima cita", "Next appointment")


def test_an_english_sentence_identical_in_both_renders_is_found():
    left = english_left(html_sentences(SPANISH), html_sentences(ENGLISH))
    assert left == ["It is too late to cancel online.", "Your progress over the last year"]


def test_scripts_styles_and_hidden_text_are_not_read():
    text = " ".join(html_sentences(SPANISH))
    assert "Loading" not in text and "color" not in text and "Nothing to see" not in text


def test_names_numbers_codes_addresses_and_kept_terms_are_not_english():
    for sentence in (
        "María de la Cruz · REC-00012 · patient@example.org · 38 °C · T6",
        "ISNCSCI AIS B, SCIM III 45",
    ):
        assert not looks_english(sentence)
    assert looks_english("Book a visit with the clinic")
    assert not looks_english("Reserve una cita")
