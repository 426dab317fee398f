"""The archive search box and its filters, shared by the search page (and, later, its export)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import Organisation
from pregonero.archive.models import Direction, Kind
from pregonero.archive.search import Filters

INTERNAL = "none"


def _date_field(label):
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ArchiveSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=500,
        help_text=_(
            'Words in Spanish or Valencian, all of them by default; "a phrase" in quotes; '
            "o between words for either; -word to leave out; word* for words starting so."
        ),
    )
    date_from = _date_field(_("From"))
    date_to = _date_field(_("To"))
    channel = forms.TypedChoiceField(label=_("Channel"), required=False, coerce=int, empty_value=None)
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[
            ("", _("Any direction")),
            (Direction.IN, Direction.IN.label),
            (Direction.OUT, Direction.OUT.label),
            (INTERNAL, Direction.NONE.label),
        ],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *Kind.choices])
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *settings.LANGUAGES]
    )
    author = forms.CharField(label=_("Author"), required=False, max_length=255)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)

    def __init__(self, data, *, organisation: Organisation, **kwargs) -> None:
        super().__init__(data, **kwargs)
        from pregonero.channels.models import Channel

        self.fields["channel"].choices = [
            ("", _("Any channel")),
            *Channel.objects.filter(organisation=organisation).values_list("pk", "name"),
        ]
        self.fields["department"].choices = [
            ("", _("Any department")),
            *organisation.departments.values_list("pk", "name"),
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def filters(self) -> Filters:
        """The filters chosen; call after ``is_valid()`` returned True."""
        data = self.cleaned_data
        direction = data.get("direction") or None
        return Filters(
            channel=data.get("channel"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            department=data.get("department"),
            direction="" if direction == INTERNAL else direction,
            author=data.get("author", "").strip(),
            language=data.get("language", ""),
            kind=data.get("kind", ""),
            tag=data.get("tag", "").strip(),
        )

    def applied(self) -> dict[str, str]:
        """The query and filters in use, as text, for the audit log."""
        return {name: str(value) for name, value in self.cleaned_data.items() if value not in (None, "")}
