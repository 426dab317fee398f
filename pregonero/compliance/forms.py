"""Forms of the compliance screens. They parse and validate input; services apply it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.forms_manage import REGION_CHOICES
from pregonero.accounts.models import Organisation
from pregonero.checks.model import SEVERITIES
from pregonero.compliance import rulesettings
from pregonero.compliance.catalogue import rules_in_engine_order
from pregonero.compliance.models import Election, ElectionKind, ReviewStatus
from pregonero.compliance.profiles import PROFILES
from pregonero.publishing.forms import LocalDateTimeField
from pregonero.publishing.models import Post, PostState

PUBLISHED_STATES = (PostState.PUBLISHING, PostState.PUBLISHED, PostState.PARTLY_PUBLISHED)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SEVERITY_LABELS = {"block": _("Block"), "warn": _("Warn"), "info": _("Inform")}


class ElectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("E.g. “Elecciones locales 2027”."))
    kind = forms.ChoiceField(label=_("Kind"), choices=ElectionKind.choices)
    region = forms.ChoiceField(
        label=_("Autonomous community"),
        choices=REGION_CHOICES,
        required=False,
        help_text=_("For regional elections, and for local ones limited to some towns of a region."),
    )
    municipalities = forms.CharField(
        label=_("Municipalities"),
        required=False,
        max_length=2000,
        help_text=_("Only for a partial or repeated local election: INE codes separated by commas."),
    )
    call_date = forms.DateField(
        label=_("Call date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("The day the call is published in the official bulletin."),
    )
    election_date = forms.DateField(
        label=_("Election date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Give one of the two dates: the other follows (LOREG art. 42)."),
    )

    @classmethod
    def initial_for(cls, election: Election) -> dict[str, Any]:
        return {
            "name": election.name,
            "kind": election.kind,
            "region": election.region,
            "municipalities": ", ".join(election.municipalities),
            "call_date": election.call_date,
            "election_date": election.election_date,
        }

    def clean_municipalities(self) -> list[str]:
        return [code for code in re.split(r"[\s,;]+", self.cleaned_data["municipalities"]) if code]


# The settings fields edited as stored; "disabled" and "severity" come from the rule table.
_PLAIN_FIELDS = [name for name in rulesettings.FIELDS if name not in ("disabled", "severity")]


def _slug(rule: str) -> str:
    return rule.replace("-", "_").lower()


class LinesField(forms.CharField):
    """A word list, one entry per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, (list, tuple)) else value

    def to_python(self, value) -> list[str]:
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]


class RuleSettingsForm(forms.Form):
    """Every rule with its switch and severity, then the word lists and thresholds.

    ``rows`` pairs each rule's description with its two bound fields, for the table.
    """

    party_terms = LinesField(
        label=_("Party names, acronyms and slogans (NEUT-4)"),
        required=False,
        help_text=_("One per line. Written with capitals, they must match in case (“PP”, “Podemos”)."),
    )
    achievement_phrases = LinesField(
        label=_("Local achievement phrasings (NEUT-1, ELEC-2)"),
        required=False,
        help_text=_("One per line, added to the built-in list, e.g. “el nostre govern ha complit”."),
    )
    acronym_whitelist = LinesField(
        label=_("Acronyms everyone here knows (A11Y-5)"),
        required=False,
        help_text=_("One per line; they need no expansion."),
    )
    own_contacts = LinesField(
        label=_("The organisation's own public contacts (DATA-1)"),
        required=False,
        help_text=_(
            "Phones, e-mail addresses, web domains and IBANs of the organisation, one per line: "
            "not personal data."
        ),
    )
    max_hashtags = forms.IntegerField(label=_("Most hashtags in a post (A11Y-4)"), min_value=0, max_value=30)
    max_emoji = forms.IntegerField(label=_("Most emoji in a post (A11Y-4)"), min_value=0, max_value=50)
    readability_floor = forms.FloatField(
        label=_("Lowest INFLESZ readability (A11Y-6)"), min_value=0, max_value=100
    )
    language_confidence = forms.FloatField(
        label=_("Confidence needed to say a version is in another language (LANG-2)"),
        min_value=0,
        max_value=1,
        help_text=_("From 0 to 1; higher means fewer, surer warnings."),
    )
    note = forms.CharField(
        label=_("What this change is for"),
        required=False,
        max_length=300,
        help_text=_("Optional; shown in the history."),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        severities = [("", _("As the rule says")), *((level, SEVERITY_LABELS[level]) for level in SEVERITIES)]
        self.rules = rules_in_engine_order()
        for info in self.rules:
            self.fields[f"enabled_{_slug(info.rule)}"] = forms.BooleanField(
                label=_("%(rule)s on") % {"rule": info.rule}, required=False
            )
            self.fields[f"severity_{_slug(info.rule)}"] = forms.ChoiceField(
                label=_("Severity of %(rule)s") % {"rule": info.rule}, choices=severities, required=False
            )

    @property
    def rows(self) -> list[tuple]:
        return [
            (info, self[f"enabled_{_slug(info.rule)}"], self[f"severity_{_slug(info.rule)}"])
            for info in self.rules
        ]

    @property
    def general_fields(self) -> list:
        names = [*rulesettings.LIST_FIELDS, *(name for name, _low, _high in rulesettings.THRESHOLDS), "note"]
        return [self[name] for name in names]

    @classmethod
    def initial_for(cls, values: dict[str, Any], based_on: int | None) -> dict[str, Any]:
        initial: dict[str, Any] = {name: values[name] for name in _PLAIN_FIELDS}
        for info in rules_in_engine_order():
            initial[f"enabled_{_slug(info.rule)}"] = info.rule not in values["disabled"]
            initial[f"severity_{_slug(info.rule)}"] = values["severity"].get(info.rule, "")
        initial["based_on"] = based_on
        return initial

    def values(self) -> dict[str, Any]:
        """The cleaned form in the shape :func:`rulesettings.save_version` takes."""
        data = self.cleaned_data
        result = {name: data[name] for name in _PLAIN_FIELDS}
        result["disabled"] = [info.rule for info in self.rules if not data[f"enabled_{_slug(info.rule)}"]]
        result["severity"] = {
            info.rule: data[f"severity_{_slug(info.rule)}"]
            for info in self.rules
            if data[f"severity_{_slug(info.rule)}"]
        }
        return result


def _readable(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key}: {SEVERITY_LABELS.get(level, level)}" for key, level in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return "—" if value is None else str(value)


def describe_changes(changes: dict[str, list]) -> list[tuple[str, str, str]]:
    """A version's ``changes`` as (what, before, after) in words, for the history table."""
    labels = {
        "disabled": _("Rules switched off"),
        "severity": _("Severities forced"),
        **{name: RuleSettingsForm.base_fields[name].label for name in _PLAIN_FIELDS},
    }
    return [
        (str(labels.get(name, name)), _readable(before), _readable(after))
        for name, (before, after) in changes.items()
    ]


class ProfileForm(forms.Form):
    profile = forms.ChoiceField(
        label=_("Profile"),
        choices=[(profile.slug, profile.name) for profile in PROFILES],
        help_text=_(
            "Replaces the word lists the profile names; everything else stays. Saved as a new version."
        ),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)


DECISIONS = {
    "release": _("Release to the queue"),
    "withdraw": _("Withdraw the post"),
    ReviewStatus.KEPT: _("Keep online"),
    ReviewStatus.REMOVED: _("Removed from the networks"),
}


class ReviewDecisionForm(forms.Form):
    """The decision comes from the button pressed; the note is recorded with it."""

    decision = forms.ChoiceField(choices=list(DECISIONS.items()))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RemovalOrderForm(forms.Form):
    board = forms.CharField(
        label=_("Electoral board"), max_length=200, help_text=_("E.g. “Junta Electoral de Zona de València”.")
    )
    reference = forms.CharField(label=_("Order reference"), max_length=100, required=False)
    received_at = LocalDateTimeField(label=_("Received at"))
    post = forms.ModelChoiceField(label=_("Post concerned"), queryset=Post.objects.none(), required=False)
    content = forms.CharField(
        label=_("Content concerned"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The address on the network, or what the board describes, if it is not one of the posts."
        ),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].help_text = _("Local time in %(zone)s: the 24 hours run from then.") % {
            "zone": organisation.time_zone
        }
        self.fields["post"].queryset = Post.objects.filter(
            organisation=organisation, state__in=PUBLISHED_STATES
        ).order_by("-updated_at")[:200]


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File (PDF or image)"))
    description = forms.CharField(
        label=_("What it shows"), max_length=200, help_text=_("E.g. “The order”, “The post before removal”.")
    )


class CompliedForm(forms.Form):
    note = forms.CharField(
        label=_("Compliance note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was removed, where and when: it is the answer to the board."),
    )
