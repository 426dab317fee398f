"""Forms of the admins' API screens: new token, new webhook endpoint."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.roles import Role
from pregonero.api.models import READ_ONLY_RESOURCES, WRITE_ONLY_RESOURCES, Access, Event, Resource


def _scope_choices(resource: str) -> list[tuple[str, str]]:
    choices = [("", _("No access"))]
    if resource not in WRITE_ONLY_RESOURCES:
        choices.append((Access.READ, Access.READ.label))
    if resource not in READ_ONLY_RESOURCES:
        choices.append((Access.WRITE, Access.WRITE.label))
    return choices


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say which program uses it, e.g. “Municipal website CMS”."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.CONTRIBUTOR,
        help_text=_("The token acts for you with at most this role."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the organisation's time zone. Leave empty for a token that does not expire."),
    )
    allowed_addresses = forms.CharField(
        label=_("Allowed addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One IP address or network per line (e.g. 203.0.113.7 or 10.20.0.0/16). Empty: any."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(organisation.time_zone)
        for resource in Resource:
            self.fields[f"scope_{resource.value}"] = forms.ChoiceField(
                label=resource.label, choices=_scope_choices(resource), required=False
            )

    def clean_expires_at(self):
        value = self.cleaned_data["expires_at"]
        # The browser sends the organisation's wall-clock time, without a zone.
        return value.replace(tzinfo=self.zone) if value is not None and value.tzinfo is None else value

    def scope_fields(self):
        return [self[f"scope_{resource.value}"] for resource in Resource]

    def other_fields(self):
        return [field for field in self.visible_fields() if not field.name.startswith("scope_")]

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "role": data["role"],
            "expires_at": data["expires_at"],
            "allowed_addresses": data["allowed_addresses"].splitlines(),
            "scopes": {resource.value: data[f"scope_{resource.value}"] for resource in Resource},
        }


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Pregonero sends a POST request with the event to this address."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )
