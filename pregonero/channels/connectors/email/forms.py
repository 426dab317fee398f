"""Settings of an e-mail bulletin an admin may change (``channel.config`` keys)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SettingsForm(forms.Form):
    from_email = forms.EmailField(
        label=_("Sender address"),
        required=False,
        help_text=_("The bulletin is sent from this address; empty: the server's default sender."),
    )
    privacy_url = forms.URLField(
        label=_("Privacy notice address"),
        required=False,
        assume_scheme="https",
        help_text=_("Linked from the data-protection text of the subscription form and every message."),
    )
