"""What an admin types to connect an X account: the organisation's own X app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ConnectForm(forms.Form):
    client_id = forms.CharField(
        label=_("Client ID"),
        max_length=100,
        help_text=_(
            "From the organisation's app in the X developer portal (Keys and tokens, OAuth 2.0). "
            "Its callback address must be this site's …/channels/connect/return/."
        ),
    )
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Only for a confidential app (\u201cWeb App\u201d); leave empty for a public one."),
    )

    def clean_client_id(self) -> str:
        return self.cleaned_data["client_id"].strip()

    def clean_client_secret(self) -> str:
        return self.cleaned_data["client_secret"].strip()
