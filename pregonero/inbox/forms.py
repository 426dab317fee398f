"""Forms of the inbox screens; choices are limited to the organisation's own rows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES, Department
from pregonero.channels.models import Channel
from pregonero.inbox.models import InboxSettings, Kind, Priority, RoutingRule, State

_ANY = [("", _("Any"))]


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False, empty_label=_("Any")
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False, empty_label=_("Any")
    )
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_ANY + LANGUAGE_CHOICES)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_ANY + list(Kind.choices))
    tag = forms.CharField(label=_("Tag"), required=False, max_length=40)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    due = forms.ChoiceField(
        label=_("Answer due"),
        required=False,
        choices=_ANY + [("today", _("Today")), ("week", _("This week"))],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, data, *, organisation, people):
        super().__init__(data)
        self.fields["state"].choices = [
            ("", _("Open ones (not resolved or closed)")),
            ("all", _("All")),
        ] + list(State.choices)
        self.fields["channel"].queryset = Channel.objects.filter(organisation=organisation)
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation)
        self.fields["assignee"].choices = (
            _ANY
            + [("me", _("Me")), ("none", _("Nobody"))]
            + [(str(p.pk), p.full_name or p.email) for p in people]
        )


class TriageForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=State.choices)
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False, empty_label=_("None")
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=None, required=False, empty_label=_("Nobody")
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=400, help_text=_("Separated by commas.")
    )

    def __init__(self, *args, organisation, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            organisation=organisation, is_active=True
        )
        self.fields["assignee"].queryset = people
        self.fields["assignee"].label_from_instance = lambda person: person.full_name or person.email

    def tag_list(self) -> list[str]:
        return [tag for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Only colleagues see it. Mention someone with @ and their e-mail name, e.g. @ana."),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    language = forms.ChoiceField(
        label=_("Language of the reply"),
        choices=LANGUAGE_CHOICES,
        help_text=_("The citizen's language by default (LANG-4)."),
    )
    override_reason = forms.CharField(
        label=_("Reason to send personal data anyway"),
        required=False,
        max_length=500,
        help_text=_("Only if the reply must contain personal data; the reason is recorded in the audit log."),
    )


class WorkingHoursForm(forms.ModelForm):
    working_days = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )

    class Meta:
        model = InboxSettings
        fields = ["opens_at", "closes_at", "working_days"]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}),
            "closes_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Closing time must be after opening time."))
        return cleaned


class TargetsForm(forms.Form):
    """One field per kind of conversation: business hours to the first answer."""

    def __init__(self, *args, initial_hours: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.DecimalField(
                label=label, min_value=0.25, max_value=999, decimal_places=2, initial=initial_hours.get(kind)
            )


class RoutingRuleForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_ANY + LANGUAGE_CHOICES)

    class Meta:
        model = RoutingRule
        fields = ["position", "department", "keywords", "channel", "language"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            organisation=organisation, is_active=True
        )
        self.fields["channel"].queryset = Channel.objects.filter(organisation=organisation)
        self.fields["channel"].empty_label = _("Any")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("keywords", "").strip() or cleaned.get("channel") or cleaned.get("language")):
            self.add_error("keywords", _("Give keywords, a channel or a language: a rule needs a condition."))
        return cleaned
