"""What the inbox adds to a message when it arrives: language, personal data, sentiment, and
a suggested department for a new conversation (rules first, then the learned classifier)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef

from pregonero.inbox import classifier, sentiment
from pregonero.inbox.models import RoutingDecision, RoutingRule
from pregonero.text.fold import fold
from pregonero.text.language import DEFAULT_CANDIDATES, identify
from pregonero.text.personal_data import find_personal_data

# How many of the organisation's latest routing decisions the classifier learns from.
TRAINING_WINDOW = 2000


@dataclass(frozen=True)
class Enrichment:
    language: str
    language_confidence: float | None
    personal_data: list[str]
    sentiment: sentiment.Sentiment


def enrich(text: str, network_language: str = "") -> Enrichment:
    """Language from the text itself (the network's tag is what the client defaulted to, often
    wrong), falling back to the network's tag when the text is too short to tell."""
    found = identify(text or "", DEFAULT_CANDIDATES)
    language = found.language or (network_language or "").split("-")[0].lower()
    kinds = sorted({item.kind for item in find_personal_data(text or "")})
    return Enrichment(
        language=language[:8],
        language_confidence=found.confidence if found.language else None,
        personal_data=kinds,
        sentiment=sentiment.score(text or ""),
    )


@dataclass(frozen=True)
class Suggestion:
    department_id: int | None
    confidence: float | None
    # "rule:<id>" or "learned"; the conversation page says it in words.
    reason: str


def rule_matches(rule: RoutingRule, text: str, channel_id: int, language: str) -> bool:
    if rule.channel_id and rule.channel_id != channel_id:
        return False
    if rule.language and rule.language != language:
        return False
    keywords = rule.keyword_list()
    if not keywords:
        return bool(rule.channel_id or rule.language)
    # Substrings of the folded text: "bache" also finds "baches" and "Baches".
    folded = fold(text or "")
    return any(fold(word) in folded for word in keywords)


# Trained models by (organisation, newest decision and its time, number of decisions): a new
# decision or a removed one changes the key, so a reroute counts from the next message.
_MODELS: dict[tuple, classifier.Model] = {}


def learned_model(organisation) -> classifier.Model:
    """Trained on the latest decision of each conversation: a reroute replaces the first choice."""
    later = RoutingDecision.objects.filter(conversation=OuterRef("conversation"), pk__gt=OuterRef("pk"))
    decisions = RoutingDecision.objects.filter(organisation=organisation, department__is_active=True).exclude(
        Exists(later)
    )
    state = decisions.aggregate(newest=Max("pk"), at=Max("decided_at"), count=Count("pk"))
    key = (organisation.pk, state["newest"], state["at"], state["count"])
    if key not in _MODELS:
        if len(_MODELS) > 256:
            _MODELS.clear()
        _MODELS[key] = classifier.train(decisions.values_list("text", "department_id")[:TRAINING_WINDOW])
    return _MODELS[key]


def suggest(organisation, text: str, channel_id: int, language: str) -> Suggestion:
    rules = RoutingRule.objects.filter(organisation=organisation, department__is_active=True)
    for rule in rules:
        if rule_matches(rule, text, channel_id, language):
            return Suggestion(rule.department_id, 1.0, f"rule:{rule.pk}")
    prediction = learned_model(organisation).predict(text)
    if prediction is None:
        return Suggestion(None, None, "")
    return Suggestion(prediction.label, prediction.confidence, "learned")
