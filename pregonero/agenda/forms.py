"""Forms of the calendar: filters, moving a post, local holidays, the import file."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES, Department, Organisation
from pregonero.agenda.importing import MAX_BYTES
from pregonero.channels.models import Channel
from pregonero.publishing.forms import FoldChoice
from pregonero.publishing.models import PostState

LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)


class CalendarFilterForm(forms.Form):
    """What the calendar, its exports and its links keep in the query string."""

    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.none(), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    tag = forms.ChoiceField(label=_("Campaign"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, organisation: Organisation, tags: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["channel"].queryset = Channel.objects.filter(organisation=organisation)
        self.fields["channel"].empty_label = _("All")
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation)
        self.fields["department"].empty_label = _("All")
        self.fields["state"].choices = everything + list(PostState.choices)
        self.fields["tag"].choices = everything + [(tag, tag) for tag in tags]
        self.fields["language"].choices = everything + [
            (code, LANGUAGE_LABELS.get(code, code)) for code in organisation.official_languages
        ]

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class GoToForm(forms.Form):
    date = forms.DateField(label=_("Go to date"), widget=forms.DateInput(attrs={"type": "date"}))


class MoveForm(FoldChoice):
    """A new local date and time for a post; the time may need a fold on the night clocks go back."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time"].help_text = _("Local time in %(zone)s.") % {"zone": organisation.time_zone}

    def local(self) -> datetime:
        return datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"]).replace(
            second=0, microsecond=0
        )


class LocalHolidayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    name = forms.CharField(label=_("Name"), max_length=150)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 or Excel's CSV, with ; or , between cells; at most 1 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large: at most 1 MB."))
        return upload


class ConfirmImportForm(forms.Form):
    """The previewed file, carried back so the import needs no state on the server."""

    content = forms.CharField(widget=forms.HiddenInput)
