"""RSS 2.0 and Atom feeds of an organisation's news, one per official language (``?lang=``)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import linebreaks_filter, urlize
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext

from pregonero.accounts.models import Organisation
from pregonero.public import news
from pregonero.public.models import NewsItem
from pregonero.public.views import public_organisation

FEED_SIZE = 30


def feed_language(request: HttpRequest, organisation: Organisation) -> str:
    """Feed readers keep no cookies, so the language is in the address; default otherwise."""
    requested = request.GET.get("lang", "")
    return (
        requested if requested in news.organisation_languages(organisation) else organisation.default_language
    )


class RssFeed(Feed):
    url_name = "public:feed_rss"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        organisation = public_organisation(kwargs["org"])
        # Titles and the feed's language element follow the language of its items.
        with translation.override(feed_language(request, organisation)):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, org: str) -> tuple[Organisation, str]:
        organisation = public_organisation(org)
        return organisation, feed_language(request, organisation)

    def title(self, obj: tuple[Organisation, str]) -> str:
        return gettext("News from %(organisation)s") % {"organisation": obj[0].name}

    def description(self, obj: tuple[Organisation, str]) -> str:
        return self.title(obj)

    def link(self, obj: tuple[Organisation, str]) -> str:
        return news.absolute(reverse("public:news", kwargs={"org": obj[0].slug}))

    def feed_url(self, obj: tuple[Organisation, str]) -> str:
        return news.absolute(f"{reverse(self.url_name, kwargs={'org': obj[0].slug})}?lang={obj[1]}")

    def items(self, obj: tuple[Organisation, str]):
        organisation, language = obj
        return news.visible_news(organisation, language).select_related("organisation")[:FEED_SIZE]

    def item_title(self, item: NewsItem) -> str:
        # Feed titles are plain text that readers show as HTML, hence escaped once here.
        return escape(item.title or gettext("News item %(number)s") % {"number": item.number})

    def item_description(self, item: NewsItem) -> str:
        return linebreaks_filter(urlize(item.body, autoescape=True), autoescape=True)

    def item_link(self, item: NewsItem) -> str:
        return news.news_url(item)

    def item_pubdate(self, item: NewsItem):
        return item.published_at


class AtomFeed(RssFeed):
    feed_type = Atom1Feed
    url_name = "public:feed_atom"

    def subtitle(self, obj: tuple[Organisation, str]) -> str:
        return self.description(obj)
