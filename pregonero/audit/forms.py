"""The filters of the audit log screen, shared by the list and the CSV export."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pregonero.audit.actions import label
from pregonero.audit.models import AuditEntry, Outcome


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    person = forms.CharField(label=_("Person"), required=False, max_length=254)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("Any outcome")), *Outcome.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    q = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=200,
        help_text=_("Searches the object and the person."),
    )

    def __init__(self, data, *, entries: QuerySet[AuditEntry], time_zone: str, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.time_zone = zoneinfo.ZoneInfo(time_zone)
        actions = entries.order_by("action").values_list("action", flat=True).distinct()
        self.fields["action"].choices = [
            ("", _("Any action")),
            *sorted(
                ((action, label(action)) for action in actions), key=lambda choice: str(choice[1]).casefold()
            ),
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def _start_of(self, day: dt.date) -> dt.datetime:
        # Days are the organisation's days, not UTC's: "1 March" in Madrid starts at 23:00 UTC.
        return dt.datetime.combine(day, dt.time.min, tzinfo=self.time_zone)

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """Apply the valid filters to ``entries``; call after ``is_valid()`` returned True."""
        data = self.cleaned_data
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("person"):
            entries = entries.filter(
                Q(actor_label__icontains=data["person"]) | Q(actor__full_name__icontains=data["person"])
            )
        if data.get("outcome"):
            entries = entries.filter(outcome=data["outcome"])
        if data.get("date_from"):
            entries = entries.filter(at__gte=self._start_of(data["date_from"]))
        if data.get("date_to"):
            entries = entries.filter(at__lt=self._start_of(data["date_to"] + dt.timedelta(days=1)))
        if data.get("q"):
            entries = entries.filter(
                Q(object_repr__icontains=data["q"]) | Q(actor_label__icontains=data["q"])
            )
        return entries

    def applied(self) -> dict[str, str]:
        """The filters in use, as text, for the record of an export."""
        return {
            name: value.isoformat() if isinstance(value, dt.date) else str(value)
            for name, value in self.cleaned_data.items()
            if value
        }
