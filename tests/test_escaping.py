"""No user-controlled text is rendered unescaped: a hostile string typed into every text
field of the demo forms appears on every page only in its escaped form."""

from __future__ import annotations

from portal.models import Person, Unit
from tests.conftest import client_for

HOSTILE = '<script>alert("统战")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;统战&quot;)&lt;/script&gt;"


def test_it_escapes_hostile_text_on_every_page(org):
    client = client_for(org.office)
    response = client.post(
        "/units/new/",
        {
            "name": HOSTILE,
            "short_name": HOSTILE[:30],
            "kind": "school",
            "parent": org.branch_a.pk,
            "sort_order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name=HOSTILE)
    response = client.post(
        "/people/new/",
        {
            "name": HOSTILE[:50],
            "unit": unit.pk,
            "gender": "m",
            "ethnicity": HOSTILE[:20],
            "title": HOSTILE,
            "political_status": "non_party",
            "overseas_study": "on",
            "overseas_detail": HOSTILE,
            "phone": HOSTILE[:30],
            "email": "",
            "note": HOSTILE,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(unit=unit)
    client.post(  # a change, so the history pages show old and new values
        f"/people/{person.pk}/edit/",
        {
            "name": "改过的名字",
            "unit": unit.pk,
            "gender": "f",
            "ethnicity": "汉族",
            "title": "讲师",
            "political_status": "cpc",
            "overseas_detail": "",
            "note": "",
            "is_active": "on",
        },
    )
    pages = [
        "/",
        "/units/",
        f"/units/{unit.pk}/",
        f"/units/{unit.pk}/history/",
        f"/units/{unit.pk}/edit/",
        "/people/",
        f"/people/?q={HOSTILE}",
        f"/people/{person.pk}/history/",
        f"/people/{person.pk}/edit/",
        f"/calendar/?start={HOSTILE}&n=1",
    ]
    for viewer in (org.office, org.leader, org.commissioner_a):
        for url in pages:
            response = client_for(viewer).get(url)
            html = response.content.decode()
            assert "<script>alert" not in html, (viewer, url)
            assert "<img src=x" not in html, (viewer, url)
    office_unit_page = client.get(f"/units/{unit.pk}/").content.decode()
    assert ESCAPED in office_unit_page
