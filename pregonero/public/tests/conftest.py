import pytest

from pregonero.public.tests.factories import make_channel, make_post, make_publication, part_for


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://pregonero.example"


@pytest.fixture
def website(vilanova):
    return make_channel(vilanova, "website", "Web de Vilanova")


@pytest.fixture
def bulletin(vilanova):
    return make_channel(vilanova, "email", "Butlletí de Vilanova", from_email="noticies@vilanova.example")


@pytest.fixture
def publish(website, ana):
    def publish_post(texts: dict[str, str], title: str = "", channel=None):
        channel = channel or website
        post = make_post(channel.organisation, ana, texts, title)
        results = [
            channel.get_connector().publish(part_for(make_publication(post, channel, language)))
            for language in texts
        ]
        return channel.organisation.news_items.get(pk=results[0].remote_id)

    return publish_post
