from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.retention.models import DEFAULT_BLOCK_DAYS, Category, DataSubjectRequest, LegalHold

MAX_DAYS = 100 * 365


class PolicyForm(forms.Form):
    """One organisation's two policies at once; an empty "keep" switches a category off."""

    def __init__(self, *args, policies: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for category, label in Category.choices:
            policy = policies.get(category)
            self.fields[f"{category}_keep"] = forms.IntegerField(
                label=_("%(records)s: keep for (days after the conversation is closed)") % {"records": label},
                min_value=1,
                max_value=MAX_DAYS,
                required=False,
                initial=policy.keep_days if policy and policy.active else None,
                help_text=_("Leave empty to keep them indefinitely."),
            )
            self.fields[f"{category}_block"] = forms.IntegerField(
                label=_("%(records)s: then blocked for (days) before destruction") % {"records": label},
                min_value=0,
                max_value=MAX_DAYS,
                initial=policy.block_days if policy else DEFAULT_BLOCK_DAYS,
            )


class HoldForm(forms.ModelForm):
    conversation_numbers = forms.CharField(
        label=_("Conversations"),
        required=False,
        help_text=_("Conversation numbers separated by commas, as shown in the inbox."),
    )

    class Meta:
        model = LegalHold
        fields = ["title", "reason", "everything", "citizen"]

    def clean_conversation_numbers(self) -> list[int]:
        raw = self.cleaned_data["conversation_numbers"]
        numbers = []
        for piece in raw.replace(";", ",").split(","):
            piece = piece.strip().lstrip("#")
            if not piece:
                continue
            if not piece.isdigit():
                raise forms.ValidationError(_("“%(value)s” is not a conversation number.") % {"value": piece})
            numbers.append(int(piece))
        return numbers


class RequestForm(forms.ModelForm):
    identifier_lines = forms.CharField(
        label=_("How the person is known to us"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: handles on each network (@name@instance, @name.bsky.social), e-mail, phone."
        ),
    )

    class Meta:
        model = DataSubjectRequest
        fields = ["kind", "reference", "received_at", "notes"]
        widgets = {"received_at": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_identifier_lines(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["identifier_lines"].splitlines()]
        lines = [line for line in lines if line]
        if any(len(line) < 3 for line in lines):
            raise forms.ValidationError(_("Each identifier needs at least three characters."))
        return lines


class CloseForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("answered", _("Answered")), ("rejected", _("Rejected"))],
    )
