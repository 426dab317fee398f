"""Forms of the channels pages. They parse and validate input; services apply it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import Department, Organisation
from pregonero.channels.services import offered_connectors


class _Details(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("As people will recognise it."))
    owner_department = forms.ModelChoiceField(
        label=_("Owner department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("The department responsible for this account (GOV-1)."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_department"].queryset = Department.objects.filter(
            organisation=organisation, is_active=True
        )


class ChannelForm(_Details):
    """A channel that needs no account: the website or the e-mail bulletin."""

    connector = forms.ChoiceField(label=_("Network"))
    field_order = ["connector", "name", "owner_department"]

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["connector"].choices = offered_connectors(accounts=False)


class ConnectDetailsForm(_Details):
    """Name and owner of a channel whose account is being connected."""


class ChannelEditForm(_Details):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("A switched-off channel publishes nothing and is not offered in the composer."),
    )
