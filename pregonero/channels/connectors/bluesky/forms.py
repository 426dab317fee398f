"""What an admin types to connect a Bluesky account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.channels.connectors.addresses import server_url

DEFAULT_SERVICE = "https://bsky.social"


class ConnectForm(forms.Form):
    identifier = forms.CharField(
        label=_("Handle"),
        max_length=253,
        help_text=_("The account's handle, for example ajuntament.bsky.social, or its e-mail address."),
    )
    app_password = forms.CharField(
        label=_("App password"),
        max_length=100,
        widget=forms.PasswordInput,
        help_text=_(
            "Create one in Bluesky: Settings, Privacy and security, App passwords. Never the "
            "account's own password: an app password can be revoked on its own."
        ),
    )
    service = forms.CharField(
        label=_("Server"),
        max_length=200,
        initial=DEFAULT_SERVICE,
        help_text=_("Leave as it is unless the account lives on its own server (PDS)."),
    )

    def clean_identifier(self) -> str:
        return self.cleaned_data["identifier"].strip().removeprefix("@")

    def clean_service(self) -> str:
        try:
            return server_url(self.cleaned_data["service"])
        except ValueError:
            raise forms.ValidationError(_("Type the server's address, for example bsky.social.")) from None
