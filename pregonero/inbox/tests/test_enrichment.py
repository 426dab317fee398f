"""Enrichment on arrival: language, explainable sentiment, personal data, routing suggestions."""

from __future__ import annotations

import pytest

from pregonero.inbox import classifier, enrichment, ingest, sentiment, services
from pregonero.inbox.models import Conversation, Message, RoutingRule, State
from pregonero.inbox.tests.fakes import message

VALENCIAN = (
    "Bon dia, al carrer de la Mar hi ha un forat enorme i les voreres estan brutes des de fa setmanes."
)
SPANISH = "Buenos días, en la calle del Mar hay un bache enorme y las aceras están sucias desde hace semanas."


def test_language_comes_from_the_text_not_the_network_tag():
    assert enrichment.enrich(VALENCIAN, "es").language == "ca"
    assert enrichment.enrich(SPANISH, "ca").language == "es"
    # Too short to tell: the network's tag is all there is.
    assert enrichment.enrich("Hola!", "es-ES").language == "es"


@pytest.mark.parametrize(
    ("text", "negative_words"),
    [
        ("Es una vergüenza, la plaza está muy sucia y nadie hace nada.", ["vergüenza", "sucia", "nadie"]),
        ("Quina vergonya, el parc està brut i ningú fa res.", ["vergonya", "brut", "ningú"]),
        ("Estoy harto del ruido de las obras.", ["harto", "ruido"]),
    ],
)
def test_negative_messages_say_which_words_made_them_negative(text, negative_words):
    found = sentiment.score(text)
    assert found.label == "negative"
    assert found.negative_words() == negative_words


def test_thanks_are_positive_and_negation_flips_a_word():
    assert sentiment.score("Moltes gràcies, sou molt amables!").label == "positive"
    assert sentiment.score("Muchas gracias por la ayuda, genial.").label == "positive"
    assert sentiment.score("El servicio no está bien.").words == (("bien", -1.0),)
    assert sentiment.score("Avui fa sol.").label == "neutral"


def test_personal_data_kinds_are_flagged():
    found = enrichment.enrich(
        "Mi DNI es 12345678Z y mi teléfono 612 345 678, escribidme a maria@correo.example"
    )
    assert set(found.personal_data) >= {"dni", "email"}
    assert enrichment.enrich(SPANISH).personal_data == []


def test_the_classifier_says_how_sure_it_is():
    model = classifier.train(
        [
            ("bache en la calle, acera rota", "obras"),
            ("farola fundida en la plaza, acera levantada", "obras"),
            ("contenedor lleno, basura sin recoger", "limpieza"),
            ("recogida de basura y contenedores sucios", "limpieza"),
        ]
    )
    prediction = model.predict("la basura del contenedor lleva días")
    assert prediction.label == "limpieza"
    assert 0.5 < prediction.confidence <= 1
    assert model.predict("xyzzy") is None
    assert classifier.train([]).predict("basura") is None


@pytest.mark.django_db
def test_rules_suggest_first(vilanova, channel, urbanismo):
    RoutingRule.objects.create(
        organisation=vilanova, department=urbanismo, keywords="forat, bache", position=1
    )
    ingest.store(channel, message("m1", VALENCIAN))
    conversation = Conversation.objects.get()
    assert conversation.suggested_department == urbanismo
    assert conversation.suggestion_reason.startswith("rule:")
    assert conversation.language == "ca"
    stored = Message.objects.get()
    assert stored.sentiment < 0 and ["brutes", -1.5] in stored.sentiment_words


@pytest.mark.django_db
def test_a_reroute_teaches_the_classifier(vilanova, channel, ana, urbanismo):
    from pregonero.accounts.models import Department

    limpieza = Department.objects.create(organisation=vilanova, name="Limpieza")
    ingest.store(
        channel, message("m1", "Los contenedores de la plaza llevan tres días sin vaciarse.", author="1")
    )
    first = Conversation.objects.get()
    assert first.suggested_department is None  # nothing learned yet
    # Someone first sends it to the wrong department, then reroutes it: both are decisions,
    # the latest one (Limpieza) is what the classifier learns for this text.
    for department in (urbanismo, limpieza):
        services.triage(
            first, actor=ana, state=State.OPEN, priority=1, department=department, assignee=None, tags=[]
        )
    ingest.store(channel, message("m2", "Otra vez los contenedores llenos en mi calle.", author="2"))
    second = Conversation.objects.exclude(pk=first.pk).get()
    assert second.suggested_department == limpieza
    assert second.suggestion_reason == "learned"
    assert 0.5 < second.suggestion_confidence <= 1
