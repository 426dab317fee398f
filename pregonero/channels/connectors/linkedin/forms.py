"""What an admin types to connect a LinkedIn organisation page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ConnectForm(forms.Form):
    client_id = forms.CharField(
        label=_("Client ID"),
        max_length=100,
        help_text=_(
            "From the organisation's app in the LinkedIn Developer Portal (Auth), with the "
            "Community Management API. Add this site's …/channels/connect/return/ as a redirect URL."
        ),
    )
    client_secret = forms.CharField(label=_("Client secret"), max_length=200, widget=forms.PasswordInput)
    organization = forms.CharField(
        label=_("Organisation page"),
        max_length=100,
        required=False,
        help_text=_(
            "The page's numeric id (in its admin address, linkedin.com/company/<id>/admin); "
            "leave empty if the person administers only one."
        ),
    )

    def clean_organization(self) -> str:
        value = self.cleaned_data["organization"].strip().removeprefix("urn:li:organization:")
        if value and not value.isdigit():
            raise forms.ValidationError(_("The organisation id is a number."))
        return value
