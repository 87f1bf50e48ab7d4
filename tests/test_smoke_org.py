import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.dateless  # the shifted legs skip it (Makefile)


def test_it_serves_the_person_list_to_office(org):
    response = client_for(org.office).get("/people/")
    assert response.status_code == 200
    assert "党外甲" in response.content.decode()
