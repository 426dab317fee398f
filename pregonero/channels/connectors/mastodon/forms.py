"""What an admin types to connect a Mastodon account, and the settings they may change later."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.channels.connectors.addresses import server_url


class ConnectForm(forms.Form):
    instance = forms.CharField(
        label=_("Instance"),
        max_length=200,
        help_text=_(
            "The server the account lives on, for example mastodon.social. You will sign in "
            "there and allow Pregonero to publish."
        ),
    )

    def clean_instance(self) -> str:
        try:
            return server_url(self.cleaned_data["instance"])
        except ValueError:
            raise forms.ValidationError(
                _("Type the address of the instance, for example mastodon.social.")
            ) from None


class SettingsForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who sees the posts"),
        choices=[
            ("public", _("Everyone, in public timelines")),
            ("unlisted", _("Everyone, but not in public timelines")),
        ],
        initial="public",
    )
