"""What an admin types to connect a Matrix room."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.channels.connectors.addresses import server_url


class ConnectForm(forms.Form):
    homeserver = forms.CharField(
        label=_("Homeserver"),
        max_length=200,
        help_text=_("The server of the account that will post, for example matrix.org."),
    )
    access_token = forms.CharField(
        label=_("Access token"),
        max_length=500,
        widget=forms.PasswordInput,
        help_text=_(
            "The access token of the account that will post (in Element: Settings, Help & About, "
            "Access token). Use an account for the organisation, not a person's."
        ),
    )
    room = forms.CharField(
        label=_("Room"),
        max_length=255,
        help_text=_(
            "The room's address (#news:example.org) or id (!abc:example.org). Invite the account first."
        ),
    )

    def clean_homeserver(self) -> str:
        try:
            return server_url(self.cleaned_data["homeserver"])
        except ValueError:
            raise forms.ValidationError(
                _("Type the address of the homeserver, for example matrix.org.")
            ) from None

    def clean_room(self) -> str:
        room = self.cleaned_data["room"].strip()
        if room[:1] not in {"#", "!"} or ":" not in room:
            raise forms.ValidationError(
                _("A room address starts with # or ! and names its server after a colon.")
            )
        return room
