"""Forms of the channels page. They parse and validate input; services apply it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import Department, Organisation
from pregonero.channels.services import offered_connectors


class ChannelForm(forms.Form):
    connector = forms.ChoiceField(label=_("Network"))
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("As people will recognise it."))
    owner_department = forms.ModelChoiceField(
        label=_("Owner department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("The department responsible for this account (GOV-1)."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["connector"].choices = offered_connectors()
        self.fields["owner_department"].queryset = Department.objects.filter(
            organisation=organisation, is_active=True
        )
