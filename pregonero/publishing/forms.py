"""Forms of the publishing screens. They parse and validate input; services apply it."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES, Department, Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.channels.models import Channel
from pregonero.publishing import emergency, rules
from pregonero.publishing.models import ApprovalRule, Category, Post, PostState

LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)


def text_field_name(language: str) -> str:
    return f"text_{language}"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time left naive: the organisation's zone applies, not the server's.

    Django's own field would attach the server's zone and refuse the times that do not
    exist or repeat there; the services decide those with the organisation's zone.
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        for pattern in self.input_formats:
            try:
                return datetime.strptime(str(value).strip(), pattern)
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class PostForm(forms.Form):
    """The composer: one text per official language, in the organisation's order."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    tags = forms.CharField(
        label=_("Campaign tags"), required=False, help_text=_("Separate them with commas."), max_length=500
    )
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation: Organisation, person: Person, role: Role, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        departments = Department.objects.filter(organisation=organisation, is_active=True)
        if not role.at_least(Role.EDITOR):
            departments = departments.filter(pk__in=rules.contributor_departments(person, organisation))
            self.fields["department"].required = True
        self.fields["department"].queryset = departments
        self.fields["channels"].queryset = Channel.objects.filter(organisation=organisation, is_active=True)
        for language in organisation.official_languages:
            self.fields[text_field_name(language)] = forms.CharField(
                label=_("Text in %(language)s") % {"language": LANGUAGE_LABELS.get(language, language)},
                required=False,
                widget=forms.Textarea(attrs={"rows": 6, "lang": language}),
            )

    @classmethod
    def initial_for(cls, post: Post) -> dict:
        initial = {
            "title": post.title,
            "department": post.department_id,
            "category": post.category,
            "tags": ", ".join(post.tags),
            "channels": list(post.channels.values_list("pk", flat=True)),
            "revision": post.revision,
        }
        for text in post.texts.all():
            initial[text_field_name(text.language)] = text.body
        return initial

    def text_fields(self) -> list[forms.BoundField]:
        return [self[text_field_name(language)] for language in self.organisation.official_languages]

    def content(self) -> dict:
        """The cleaned values as keyword arguments of ``services.create_post``/``save_post``."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "department": data["department"],
            "category": data["category"],
            "tags": [tag.strip() for tag in data["tags"].split(",") if tag.strip()],
            "channels": list(data["channels"]),
            "texts": {
                language: data.get(text_field_name(language), "")
                for language in self.organisation.official_languages
            },
        }


class PostFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.none(), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["state"].choices = everything + list(PostState.choices)
        self.fields["category"].choices = everything + list(Category.choices)
        self.fields["language"].choices = everything + [
            (code, LANGUAGE_LABELS.get(code, code)) for code in organisation.official_languages
        ]
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation)
        self.fields["department"].empty_label = _("All")
        self.fields["channel"].queryset = Channel.objects.filter(organisation=organisation)
        self.fields["channel"].empty_label = _("All")


class MediaForm(forms.Form):
    file = forms.FileField(label=_("Image or video"))
    description = forms.CharField(
        label=_("Text description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the image shows, for people who cannot see it. Required before submitting."),
    )
    captions = forms.FileField(
        label=_("Captions (WebVTT or SRT)"), required=False, help_text=_("Every video needs captions.")
    )
    shows_minors = forms.BooleanField(label=_("Shows children under 14"), required=False)
    consent_recorded = forms.BooleanField(label=_("Parental consent recorded"), required=False)


class MediaEditForm(MediaForm):
    file = None


class VariantForm(forms.Form):
    body = forms.CharField(label=_("Text for this channel"), widget=forms.Textarea(attrs={"rows": 8}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting: the author reads it."),
    )


class FoldChoice(forms.Form):
    """For forms whose local time may happen twice: which one (``fold``), asked only then."""

    fold = forms.TypedChoiceField(
        label=_("Which one?"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        choices=[("0", _("The first")), ("1", _("The second"))],
    )
    asks_fold = False

    def offer_folds(self, choices) -> None:
        """Label the two instants of an ambiguous time and show the question."""
        self.asks_fold = True
        self.fields["fold"].choices = [
            (
                str(index),
                _("%(time)s (UTC%(offset)s, %(which)s)")
                % {
                    "time": instant.strftime("%H:%M"),
                    "offset": instant.strftime("%z")[:3] + ":" + instant.strftime("%z")[3:],
                    "which": _("the first, still summer time")
                    if index == 0
                    else _("the second, winter time"),
                },
            )
            for index, instant in enumerate(choices)
        ]


class ScheduleForm(FoldChoice):
    when = LocalDateTimeField(label=_("Date and time"))
    # Only asked when the time happens twice (the night clocks go back).

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["when"].help_text = _("Local time in %(zone)s.") % {"zone": organisation.time_zone}


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PolicyForm(forms.Form):
    approval = forms.ChoiceField(label=_("Approval"), choices=ApprovalRule.choices, widget=forms.RadioSelect)
    approval_categories = forms.MultipleChoiceField(
        label=_("Categories that need approval"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    approval_channels = forms.ModelMultipleChoiceField(
        label=_("Channels that always need approval"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    four_eyes = forms.BooleanField(
        label=_("The author of a post can never approve it (four eyes)"), required=False
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approval_channels"].queryset = Channel.objects.filter(organisation=organisation)


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("It is recorded in the audit log."),
    )


class ResumeForm(FoldChoice):
    reschedule = forms.ChoiceField(
        label=_("Paused publications"),
        widget=forms.RadioSelect,
        choices=[
            (emergency.RESCHEDULE_KEEP, _("Keep their times (those already past go out at once)")),
            (emergency.RESCHEDULE_SHIFT, _("Move each one later by as long as the pause lasted")),
            (emergency.RESCHEDULE_NEW, _("Publish them all at a new time")),
        ],
        initial=emergency.RESCHEDULE_KEEP,
    )
    new_time = LocalDateTimeField(label=_("New time"), required=False)


class RetryForm(forms.Form):
    checked = forms.BooleanField(
        label=_("I have checked the network: the post is not there."),
        required=False,
    )


class MarkSentForm(forms.Form):
    url = forms.CharField(
        label=_("Address of the post on the network (optional)"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


class OverrideForm(forms.Form):
    """Override one blocking finding; the finding is named by its fingerprint."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Write why this post may go out despite the finding.")},
    )
    # The instant the finding was found at (the schedule page checks a time not saved yet).
    when = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    back = forms.ChoiceField(
        widget=forms.HiddenInput, choices=[("detail", "detail"), ("schedule", "schedule")], required=False
    )


class ConfirmOverrideForm(forms.Form):
    confirm = forms.BooleanField(label=_("I have read the reason and confirm this override"))
