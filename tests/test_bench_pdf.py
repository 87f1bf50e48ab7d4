"""bench/pdf.py runs and reports the portal's PDF time against WeasyPrint's floor."""

from __future__ import annotations

import re

from bench import pdf as bench_pdf


def test_it_reports_the_ratio_to_the_floor(capsys):
    status = bench_pdf.main(["--pages", "2", "--runs", "1"])
    out = capsys.readouterr().out
    assert "2-page issued document" in out
    ratio = float(re.search(r"ratio (\d+\.\d+)", out).group(1))
    assert ratio > 0
    assert status == (0 if "OK" in out else 1)
