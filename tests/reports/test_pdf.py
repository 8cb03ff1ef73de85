"""reports.pdf: the renderer's garbage-collector thresholds (bench: pdf_growth)."""

from __future__ import annotations

import gc

import pytest

from reports import pdf


def test_a_render_collects_rarely_and_restores_the_thresholds():
    before = gc.get_threshold()
    seen = []
    with pdf.fewer_collections():
        seen.append(gc.get_threshold())
    assert seen == [(pdf.RENDER_GC_THRESHOLD, *before[1:])]
    assert gc.get_threshold() == before


def test_the_thresholds_come_back_when_a_render_fails():
    before = gc.get_threshold()
    with pytest.raises(ValueError), pdf.fewer_collections():
        raise ValueError("WeasyPrint failed")
    assert gc.get_threshold() == before


def test_html_becomes_a_pdf_with_the_default_thresholds_afterwards():
    before = gc.get_threshold()
    document = pdf.html_to_pdf("<p>Grand rounds</p>", base_url="http://testserver/")
    assert document.startswith(b"%PDF-")
    assert gc.get_threshold() == before


def test_overlapping_renders_put_back_the_thresholds_of_before_the_first():
    """Two threads rendering at once: the first to finish must not restore the default
    while the other renders, nor the last restore the raised threshold for good."""
    before = gc.get_threshold()
    first, second = pdf.fewer_collections(), pdf.fewer_collections()

    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    during = gc.get_threshold()
    second.__exit__(None, None, None)

    assert during == (pdf.RENDER_GC_THRESHOLD, *before[1:])
    assert gc.get_threshold() == before
