"""What an admin types to connect a Telegram channel: the bot's token and the channel."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

TOKEN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
CHAT = re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{5,})$")


class ConnectForm(forms.Form):
    bot_token = forms.CharField(
        label=_("Bot token"),
        max_length=100,
        widget=forms.PasswordInput,
        help_text=_("The token @BotFather gave when the bot was created (numbers, a colon, letters)."),
    )
    chat = forms.CharField(
        label=_("Channel"),
        max_length=60,
        help_text=_(
            "The channel's public name (@ajuntament) or numeric id (-100…). Make the bot an "
            "administrator of the channel with the right to post messages first."
        ),
    )

    def clean_bot_token(self) -> str:
        token = self.cleaned_data["bot_token"].strip()
        if not TOKEN.match(token):
            raise forms.ValidationError(_("This does not look like a bot token from @BotFather."))
        return token

    def clean_chat(self) -> str:
        chat = self.cleaned_data["chat"].strip()
        if chat.startswith("https://t.me/"):
            chat = "@" + chat.removeprefix("https://t.me/").strip("/")
        if not CHAT.match(chat):
            raise forms.ValidationError(_("Type the channel's @name or its numeric id starting with -100."))
        return chat
