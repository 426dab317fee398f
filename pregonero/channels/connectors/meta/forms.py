"""What an admin types to connect a Facebook Page or an Instagram professional account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ConnectForm(forms.Form):
    app_id = forms.CharField(
        label=_("App ID"),
        max_length=40,
        help_text=_(
            "From the organisation's app in Meta for Developers (App settings, Basic). Add this "
            "site's …/channels/connect/return/ as a valid OAuth redirect URI."
        ),
    )
    app_secret = forms.CharField(
        label=_("App secret"),
        max_length=100,
        widget=forms.PasswordInput,
        help_text=_("Also from App settings, Basic. It signs the webhook calls Meta sends."),
    )
    page = forms.CharField(
        label=_("Page"),
        max_length=200,
        required=False,
        help_text=_(
            "The Page's id or exact name; leave empty if you manage only one. For Instagram, the "
            "Page the Instagram account is linked to."
        ),
    )

    def clean_app_id(self) -> str:
        value = self.cleaned_data["app_id"].strip()
        if not value.isdigit():
            raise forms.ValidationError(_("An App ID is a number."))
        return value
