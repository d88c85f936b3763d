"""Heading names, normalisation and page ranges: the small pieces the engine stands on."""

from __future__ import annotations

import pytest

from proceedings.pdf.structure import HeadingNames, Kind
from proceedings.texts import letters_key
from proceedings.wording import page_ranges

NAMES = HeadingNames()


@pytest.mark.parametrize(
    "title",
    [
        "LLM Usage",
        "LLMs Usage Statement",
        "Use of Large Language Models",
        "Use of Large Language Models (LLMs)",
        "Statement on the Use of LLMs",
        "Declaration of LLM usage",
        "LLM Disclosure",
        "The Use of Large Language Models",
    ],
)
def test_llm_disclosure_variants_do_not_count(title: str) -> None:
    assert NAMES.classify(title, numbered=False) is Kind.TRAILING


@pytest.mark.parametrize(
    "title", ["Large Language Models", "LLMs for Code", "Using LLMs to Grade Essays", "Results"]
)
def test_body_titles_are_not_trailing_material(title: str) -> None:
    assert NAMES.classify(title, numbered=False) is None


@pytest.mark.parametrize(
    "title",
    ["R EFERENCES", "References", "BIBLIOGRAPHY", "Bibliography"],
)
def test_references_names_in_any_case_and_split_small_caps(title: str) -> None:
    assert NAMES.classify(title, numbered=False) is Kind.REFERENCES


@pytest.mark.parametrize(
    "title",
    [
        "Acknowledgments",
        "Acknowledgements",
        "A CKNOWLEDGMENTS",
        "Acknowledgments and Disclosure of Funding",
        "Appendix",
        "Appendices",
        "NeurIPS Paper Checklist",
        "Broader Impacts",
        "Impact Statement",
        "Ethics Statement",
        "Reproducibility Statement",
    ],
)
def test_default_not_counted_headings(title: str) -> None:
    assert NAMES.classify(title, numbered=False) is Kind.TRAILING


def test_limitations_counts_only_as_a_numbered_body_section() -> None:
    assert NAMES.classify("Limitations", numbered=False) is Kind.TRAILING
    assert NAMES.classify("Limitations", numbered=True) is None


def test_extra_names_and_prefixes() -> None:
    names = NAMES.with_extra(["Author Statement", "Supplement*"])
    assert names.classify("AUTHOR STATEMENT", numbered=False) is Kind.TRAILING
    assert names.classify("Supplementary Proofs", numbered=False) is Kind.TRAILING
    assert NAMES.classify("Author Statement", numbered=False) is None


def test_letters_key_folds_accents_case_and_spacing() -> None:
    assert letters_key("R EFERENCES") == "references"
    assert letters_key("Remerciements à Łukasz") == "remerciementsalukasz"


def test_page_ranges_are_compact() -> None:
    assert page_ranges([7, 1, 2, 3, 9, 10]) == "1-3, 7, 9-10"
    assert page_ranges([4]) == "4"
