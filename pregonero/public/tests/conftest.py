import pytest

from pregonero.public.tests.factories import make_channel


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://pregonero.example"


@pytest.fixture
def website(vilanova):
    return make_channel(vilanova, "website", "Web de Vilanova")


@pytest.fixture
def bulletin(vilanova):
    return make_channel(vilanova, "email", "Butlletí de Vilanova", from_email="noticies@vilanova.example")
