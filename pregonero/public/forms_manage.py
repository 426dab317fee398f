"""Forms of the admins' public-pages settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.public.models import AccessibilityStatement, OfficialAccount, PrivacyNotice


class ChannelListingForm(forms.Form):
    listed = forms.BooleanField(label=_("Show on the official channels page"), required=False)
    url = forms.URLField(
        label=_("Profile address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Leave empty to use the address Pregonero works out from the connected account."),
    )


class OfficialAccountForm(forms.ModelForm):
    class Meta:
        model = OfficialAccount
        fields = ["network", "handle", "url", "listed"]
        help_texts = {
            "network": _("For example YouTube or TikTok."),
            "handle": _("As people see it on the network, for example @ajuntament."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].required = True
        self.fields["url"].required = True
        self.fields["url"].assume_scheme = "https"


class PrivacyNoticeForm(forms.ModelForm):
    class Meta:
        model = PrivacyNotice
        fields = ["controller", "purpose", "legal_basis", "recipients", "rights", "full_text"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[:-1]}


class AccessibilityStatementForm(forms.ModelForm):
    class Meta:
        model = AccessibilityStatement
        fields = [
            "conformity",
            "non_accessible",
            "prepared_on",
            "method",
            "reviewed_on",
            "contact",
            "enforcement",
        ]
        widgets = {
            "prepared_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
