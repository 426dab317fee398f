"""What an admin types to connect a Mastodon account, and the settings they may change later."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _


def instance_url(text: str) -> str:
    """``https://host[:port]`` from what a person typed: a host, an address, or ``@user@host``."""
    text = text.strip()
    if text.startswith("@") and text.count("@") == 2:
        text = text.rsplit("@", 1)[1]
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname or " " in text:
        raise forms.ValidationError(_("Type the address of the instance, for example mastodon.social."))
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


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
        return instance_url(self.cleaned_data["instance"])


class SettingsForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who sees the posts"),
        choices=[
            ("public", _("Everyone, in public timelines")),
            ("unlisted", _("Everyone, but not in public timelines")),
        ],
        initial="public",
    )
