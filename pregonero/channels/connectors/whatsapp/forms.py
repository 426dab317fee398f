"""What an admin pastes to connect a WhatsApp Business number (Cloud API)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ConnectForm(forms.Form):
    phone_number_id = forms.CharField(
        label=_("Phone number ID"),
        max_length=40,
        help_text=_("In Meta's WhatsApp Manager (API setup): the id of the number, not the number itself."),
    )
    business_account_id = forms.CharField(
        label=_("WhatsApp Business Account ID"),
        max_length=40,
        help_text=_("Also in API setup; used to list the approved message templates."),
    )
    access_token = forms.CharField(
        label=_("System user access token"),
        max_length=1000,
        widget=forms.PasswordInput,
        help_text=_(
            "A permanent token of a system user of the organisation's Business Manager with the "
            "whatsapp_business_messaging and whatsapp_business_management permissions."
        ),
    )
    app_secret = forms.CharField(
        label=_("App secret"),
        max_length=100,
        widget=forms.PasswordInput,
        help_text=_("The Meta app's secret (App settings, Basic): it signs the messages Meta sends."),
    )

    def _digits(self, name: str) -> str:
        value = self.cleaned_data[name].strip()
        if not value.isdigit():
            raise forms.ValidationError(_("This id is a number."))
        return value

    def clean_phone_number_id(self) -> str:
        return self._digits("phone_number_id")

    def clean_business_account_id(self) -> str:
        return self._digits("business_account_id")
