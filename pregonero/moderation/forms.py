"""Forms of the moderation screens; choices are limited to the organisation's own rows."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES
from pregonero.channels.models import Channel
from pregonero.moderation.models import Action, AppealOutcome, NoticeTemplate, Rule

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
_ANY = [("", _("Any"))]


class RuleChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, language: str = "", fallback: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.language, self.fallback = language, fallback

    def label_from_instance(self, rule: Rule) -> str:
        return f"{rule.code} · {rule.title_in(self.language, self.fallback)}"


class ModerateForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), widget=forms.RadioSelect)
    rule = RuleChoiceField(
        label=_("Rule broken"),
        queryset=Rule.objects.none(),
        help_text=_("From the organisation's published participation rules."),
    )
    days = forms.IntegerField(
        label=_("Lift after (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Optional, for hiding and blocking: the action is undone by itself then."),
    )
    note = forms.CharField(
        label=_("Internal note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    notice_template = forms.ModelChoiceField(
        label=_("Notice to the citizen"),
        queryset=NoticeTemplate.objects.none(),
        required=False,
        empty_label=_("No template"),
    )
    notice_text = forms.CharField(
        label=_("Notice text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Optional; leave empty to use the template. It is sent as a reply in the conversation. "
            "{rule}, {rule_title}, {action}, {until} and {rules_url} are filled in."
        ),
    )
    notice_language = forms.ChoiceField(label=_("Notice language"))

    def __init__(self, data=None, *, actions, rules, organisation, language: str, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["action"].choices = [(action, Action(action).label) for action in actions]
        self.fields["rule"].queryset = rules
        self.fields["rule"].language, self.fields["rule"].fallback = language, organisation.default_language
        self.fields["notice_template"].queryset = NoticeTemplate.objects.filter(organisation=organisation)
        languages = list(organisation.official_languages or [organisation.default_language])
        self.fields["notice_language"].choices = [
            (code, LANGUAGE_NAMES.get(code, code)) for code in languages
        ]

    def expires_at(self):
        days = self.cleaned_data.get("days")
        return timezone.now() + timedelta(days=days) if days else None


def _language_fields(form: forms.Form, languages: list[str], specs, initial: dict) -> None:
    for code in languages:
        name = LANGUAGE_NAMES.get(code, code)
        for prefix, label, widget, required in specs:
            form.fields[f"{prefix}_{code}"] = forms.CharField(
                label=f"{label} ({name})",
                required=required and code == languages[0],
                widget=widget,
                initial=initial.get(prefix, {}).get(code, ""),
                max_length=4000,
            )


class RuleForm(forms.Form):
    """A rule's code, and its title and text in each official language."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=16,
        help_text=_("Short and stable, cited in decisions: R1, R2…; the same code changes that rule."),
    )

    def __init__(self, data=None, *, languages: list[str], rule: Rule | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.languages = languages
        initial = {"title": rule.titles, "text": rule.texts} if rule else {}
        if rule:
            self.fields["code"].initial = rule.code
        _language_fields(
            self,
            languages,
            [
                ("title", _("Title"), forms.TextInput, True),
                ("text", _("Text"), forms.Textarea(attrs={"rows": 3}), False),
            ],
            initial,
        )

    def values(self, prefix: str) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"{prefix}_{code}", "") for code in self.languages}


class NoticeTemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, data=None, *, languages: list[str], template: NoticeTemplate | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.languages = languages
        if template:
            self.fields["name"].initial = template.name
        _language_fields(
            self,
            languages,
            [("text", _("Notice"), forms.Textarea(attrs={"rows": 3}), True)],
            {"text": template.texts} if template else {},
        )

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"text_{code}", "") for code in self.languages}


class RegisterFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False, choices=_ANY + list(Action.choices))
    rule = forms.CharField(label=_("Rule code"), required=False, max_length=16)
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False, empty_label=_("Any")
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=_ANY
        + [
            ("in_effect", _("In effect")),
            ("reversed", _("Reversed")),
            ("failed", _("Not carried out")),
            ("appealed", _("Appealed")),
        ],
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, organisation):
        super().__init__(data)
        self.fields["channel"].queryset = Channel.objects.filter(organisation=organisation)


class ReverseForm(forms.Form):
    note = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("The citizen's appeal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    received_on = forms.DateField(
        label=_("Received on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        widget=forms.RadioSelect,
        choices=[
            (AppealOutcome.UPHELD, AppealOutcome.UPHELD.label),
            (AppealOutcome.GRANTED, AppealOutcome.GRANTED.label),
        ],
    )
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
