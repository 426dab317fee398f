"""What an admin types to connect the public information mailbox, and what they may change."""

from __future__ import annotations

import ipaddress
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.channels.connectors.mailbox.client import LOOPBACK, PLAIN, SSL, STARTTLS

SECURITY_CHOICES = [
    (SSL, _("TLS from the start (IMAP port 993, SMTP port 465)")),
    (STARTTLS, _("STARTTLS (IMAP port 143, SMTP port 587)")),
    (PLAIN, _("None: only for a mail server on this same machine")),
]

IMAP_PORTS = {SSL: 993, STARTTLS: 143, PLAIN: 143}
SMTP_PORTS = {SSL: 465, STARTTLS: 587, PLAIN: 25}


def _host(value: str) -> str:
    host = value.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not re.fullmatch(r"[\w-]+(\.[\w-]+)*", host):
        raise forms.ValidationError(_("Type the server's name only, for example imap.example.org."))
    return host


def _folder(value: str) -> str:
    folder = value.strip()
    if any(char in folder for char in "\r\n\x00"):
        raise forms.ValidationError(_("Type a folder name on one line."))
    return folder


class ConnectForm(forms.Form):
    address = forms.EmailField(
        label=_("Mailbox address"),
        help_text=_(
            "The public address citizens write to, for example info@example.org. Answers are sent from it."
        ),
    )
    imap_host = forms.CharField(
        label=_("Incoming mail server (IMAP)"), max_length=253, help_text=_("For example imap.example.org.")
    )
    imap_security = forms.ChoiceField(label=_("Incoming connection security"), choices=SECURITY_CHOICES)
    imap_port = forms.IntegerField(
        label=_("Incoming server port"),
        required=False,
        min_value=1,
        max_value=65535,
        help_text=_("Empty: the usual port for the security chosen."),
    )
    username = forms.CharField(
        label=_("User name"), max_length=255, help_text=_("Often the mailbox address itself.")
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=500,
        widget=forms.PasswordInput,
        help_text=_("Use an application password if the mail provider offers them."),
    )
    folder = forms.CharField(
        label=_("Folder"),
        max_length=255,
        initial="INBOX",
        help_text=_("The folder whose messages become conversations; usually INBOX."),
    )
    smtp_host = forms.CharField(
        label=_("Outgoing mail server (SMTP)"),
        max_length=253,
        required=False,
        help_text=_(
            "For example smtp.example.org. Empty: answers go through this Pregonero server's own "
            "outgoing mail settings, which must be allowed to send from the mailbox address."
        ),
    )
    smtp_security = forms.ChoiceField(
        label=_("Outgoing connection security"), choices=SECURITY_CHOICES, initial=STARTTLS
    )
    smtp_port = forms.IntegerField(
        label=_("Outgoing server port"),
        required=False,
        min_value=1,
        max_value=65535,
        help_text=_("Empty: the usual port for the security chosen."),
    )
    smtp_username = forms.CharField(
        label=_("Outgoing user name"),
        max_length=255,
        required=False,
        help_text=_("Usually the same as above. Empty: the outgoing server is used without logging in."),
    )
    smtp_password = forms.CharField(
        label=_("Outgoing password"),
        max_length=500,
        required=False,
        widget=forms.PasswordInput,
        help_text=_("Empty: the same password as the incoming server."),
    )

    def clean_imap_host(self) -> str:
        return _host(self.cleaned_data["imap_host"])

    def clean_smtp_host(self) -> str:
        value = self.cleaned_data.get("smtp_host", "")
        return _host(value) if value.strip() else ""

    def clean_folder(self) -> str:
        return _folder(self.cleaned_data["folder"])

    def clean(self) -> dict:
        data = super().clean()
        for prefix, ports in (("imap", IMAP_PORTS), ("smtp", SMTP_PORTS)):
            host, security = data.get(f"{prefix}_host"), data.get(f"{prefix}_security")
            if not host or not security:
                continue
            if security == PLAIN and host not in LOOPBACK:
                self.add_error(
                    f"{prefix}_security",
                    _("A connection without encryption is only allowed to a mail server on this machine."),
                )
            if not data.get(f"{prefix}_port"):
                data[f"{prefix}_port"] = ports[security]
        return data


class SettingsForm(forms.Form):
    folder = forms.CharField(
        label=_("Folder"),
        max_length=255,
        help_text=_("The folder whose messages become conversations; usually INBOX."),
    )
    sent_folder = forms.CharField(
        label=_("Folder for sent answers"),
        max_length=255,
        required=False,
        help_text=_(
            "A copy of every answer is kept in this folder (for example Sent), so people who read "
            "the mailbox in a mail program see it. Empty: no copy."
        ),
    )

    def clean_folder(self) -> str:
        return _folder(self.cleaned_data["folder"])

    def clean_sent_folder(self) -> str:
        return _folder(self.cleaned_data.get("sent_folder", ""))
