"""bench/pdf.py runs and reports the portal's PDF time against WeasyPrint's floor."""

from __future__ import annotations

import re

import pytest

from bench import pdf as bench_pdf

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


def test_it_reports_the_ratio_to_the_floor(capsys):
    status = bench_pdf.main(["--pages", "2", "--runs", "1"])
    out = capsys.readouterr().out
    assert "2-page issued document" in out
    assert "| WeasyPrint alone (floor) |" in out
    ratio = float(re.search(r"ratio (\d+\.\d+)", out).group(1))
    assert ratio > 0
    assert status == (0 if "OK" in out else 1)


def test_it_renders_a_small_document_once_and_judges_nothing_in_a_smoke_run(capsys, monkeypatch):
    monkeypatch.setenv("BENCH_SMOKE", "1")
    assert bench_pdf.main([]) == 0
    out = capsys.readouterr().out
    assert "2-page issued document, median of 1 runs" in out
    assert "not judged (smoke run)" in out
