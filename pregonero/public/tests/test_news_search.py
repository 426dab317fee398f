"""Searching the public news page: in the page's language, ignoring case and accents."""

from __future__ import annotations

from pregonero.public.models import NewsItem

NEWS = "/p/vilanova-de-mar/"


def test_a_search_finds_words_whatever_their_accents_and_case(client, publish):
    publish({"es": "Obras en la plaza del Camión"}, "Plaça Major")
    publish({"es": "Concierto de verano"}, "Música")

    for query in ("placa", "PLAÇA", "camion", "Camión plaza"):
        page = client.get(NEWS, {"q": query}).text
        assert "Plaça Major" in page, query
        assert "Concierto de verano" not in page, query


def test_every_word_of_the_query_must_appear(client, publish):
    publish({"es": "Corte de agua en el centro"}, "Agua")
    publish({"es": "Corte de luz en el puerto"}, "Luz")

    page = client.get(NEWS, {"q": "corte agua"}).text

    assert "Corte de agua en el centro" in page and "Corte de luz en el puerto" not in page
    assert "1 resultado para «corte agua»" in page


def test_the_search_looks_at_the_versions_in_the_language_of_the_page(client, publish):
    publish({"es": "Corte de agua", "ca": "Tall d'aigua"})
    client.cookies["django_language"] = "ca"

    assert "Tall d" in client.get(NEWS, {"q": "aigua"}).text
    assert "Cap notícia no coincideix amb la teva cerca" in client.get(NEWS, {"q": "agua"}).text


def test_withdrawn_items_are_not_found(client, publish):
    from pregonero.public.news import withdraw_news_item

    withdraw_news_item(publish({"es": "Retirada por error"}, "Retirada"), reason="Error")

    assert "Ninguna noticia coincide con tu búsqueda" in client.get(NEWS, {"q": "retirada"}).text


def test_the_pages_of_results_keep_the_query(client, publish):
    for number in range(22):
        publish({"es": f"Fiesta número {number}"}, f"Fiesta {number}")
    publish({"es": "Otra cosa"}, "Otra")

    page = client.get(NEWS, {"q": "fiesta"}).text

    assert 'href="?q=fiesta&amp;page=2" rel="next"' in page
    assert "Fiesta 1" in client.get(NEWS, {"q": "fiesta", "page": 2}).text


def test_the_query_is_shown_escaped(client, publish):
    page = client.get(NEWS, {"q": "<b>plaza</b>"}).text

    assert "<b>plaza</b>" not in page and "&lt;b&gt;plaza&lt;/b&gt;" in page


def test_a_changed_item_is_found_by_its_new_text(publish):
    item = publish({"es": "Texto antiguo"}, "Antiguo")
    item.body = "Texto con acentuación"
    item.save(update_fields=["body"])

    assert NewsItem.objects.filter(pk=item.pk, search_text__contains="acentuacion").exists()


def test_the_news_page_answers_not_modified_when_nothing_changed(client, publish):
    publish({"es": "Corte de agua"}, "Agua")
    first = client.get(NEWS)

    again = client.get(NEWS, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304
    assert "max-age=60" in first["Cache-Control"]
