from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES, Organisation
from pregonero.channels.models import Channel
from pregonero.public.news import organisation_languages


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language of the bulletin"))
    channel = forms.ModelChoiceField(
        label=_("Bulletin"), queryset=Channel.objects.none(), empty_label=None, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_("I have read the data protection information and agree to receive the bulletin."),
        required=True,
    )

    def __init__(
        self, *args, organisation: Organisation, channels: QuerySet[Channel], language: str, **kwargs
    ):
        super().__init__(*args, **kwargs)
        names = dict(LANGUAGE_CHOICES)
        self.fields["language"].choices = [
            (code, names[code]) for code in organisation_languages(organisation)
        ]
        self.fields["language"].initial = language
        self.fields["channel"].queryset = channels
        if channels.count() == 1:
            # One bulletin: nothing to choose.
            self.fields["channel"].widget = forms.HiddenInput()
            self.fields["channel"].initial = channels.get().pk
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class NewsSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the news"), required=False, max_length=200, strip=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"


class AccountCheckForm(forms.Form):
    account = forms.CharField(
        label=_("Account name or address"),
        max_length=500,
        strip=True,
        help_text=_("For example @name, @name@server.social or the address of the profile page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
