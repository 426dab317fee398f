from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.archive.models import Direction, Kind


class ExportForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any")), *Kind.choices])
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("Any")), (Direction.OUT, Direction.OUT.label), (Direction.IN, Direction.IN.label)],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    redact = forms.BooleanField(
        label=_("Redact third parties' personal data (names of citizens, ids, phones, e-mails, IBANs)"),
        required=False,
    )

    # The search page's other filters, carried through as they came (selection.py checks them).
    CARRIED = ("channel", "department", "language", "author", "tag")

    def parameters(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in ("q", "kind", "direction", "date_from", "date_to")}
        values.update({name: self.data.get(name) for name in self.CARRIED})
        return {name: str(value) for name, value in values.items() if value}
