"""The load test's own machinery (bench/load): what a virtual user posts from a page's
form, and the report written from locust's statistics. The load itself runs in
`make load` and CI's `make load-smoke`, against the production stack."""

from __future__ import annotations

import pytest

from bench.load.html import forms as page_forms
from bench.load.run import read_stats, section

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


def test_it_posts_a_form_as_it_stands_on_the_page():
    html = """
    <form method="post" action="/documents/7/sign/">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok">
      <textarea name="opinion">同意</textarea>
      <select name="unit">
        <option value="">---</option><option value="3" selected>机电</option>
      </select>
      <input type="checkbox" name="urgent">
      <input type="checkbox" name="notify" value="on" checked>
      <input type="file" name="evidence">
      <button>签发</button>
    </form>
    <form action="/inbox/read-all/"><input name="next" value="/"></form>
    """
    sign, read_all = page_forms(html)
    assert sign == {
        "action": "/documents/7/sign/",
        "fields": {"csrfmiddlewaretoken": "tok", "opinion": "同意", "unit": "3", "notify": "on"},
    }
    assert read_all["fields"] == {"next": "/"}


def test_it_takes_the_first_option_when_none_is_selected():
    (form,) = page_forms(
        '<form><select name="u"><option value="1">a<option value="2">b</select></form>'
    )
    assert form["fields"] == {"u": "1"}


def test_it_writes_a_row_per_page_and_the_total(tmp_path):
    (tmp_path / "users-10_stats.csv").write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
        "GET,/ (to-dos),30,0,40,45,20,300,1000,1.5,0,40,50,60,70,80,120,200,250,300,300,300\n"
        "POST,/documents/[id]/sign/,5,1,90,95,60,400,100,0.2,0.05,90,N/A,N/A,N/A,N/A,350,N/A,400,N/A,N/A,400\n"
        ",Aggregated,35,1,45,50,20,400,900,1.7,0.05,45,55,65,75,90,130,210,260,400,400,400\n"
    )
    text = section(10, read_stats(tmp_path / "users-10"), {"gunicorn": 12.5, "postgres": 1.25}, 80)
    assert "1.7 requests/s, 35 requests, 1 errors; p50 45 ms, p95 130 ms, p99 260 ms" in text
    assert "gunicorn 12.5, postgres 1.2" in text
    assert "| GET / (to-dos) | 30 | 0 | 40 | 120 | 250 | 300 |" in text
    assert "| POST /documents/[id]/sign/ | 5 | 1 | 90 | 350 | 400 | 400 |" in text
    assert text.index("/ (to-dos)") < text.index("/sign/")  # busiest first


def test_it_takes_the_selected_option_wherever_it_is():
    (form,) = page_forms(
        '<form><select name="u"><option value="">-</option><option value="2">b</option>'
        '<option value="3" selected>c</option></select></form>'
    )
    assert form["fields"] == {"u": "3"}
