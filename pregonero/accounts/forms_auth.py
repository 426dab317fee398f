"""Forms of the sign-in and own-account pages. They check input; the decisions live in auth_services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES, Person

FORM_ERRORS_ID = "form-errors"


class FormErrorsDescribeFields:
    """A form-wide error (wrong password, too many attempts) marks every field as invalid and
    points it at the error, so screen readers announce it with whichever field has focus."""

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        if field is None:
            for form_field in self.fields.values():
                form_field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": FORM_ERRORS_ID})


class LoginForm(FormErrorsDescribeFields, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TOTPCodeForm(FormErrorsDescribeFields, forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits. A new code appears every 30 seconds."),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class RecoveryCodeForm(FormErrorsDescribeFields, forms.Form):
    recovery_code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("One of the codes you saved when you set up two-factor authentication."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class CurrentPasswordForm(forms.Form):
    """Asks again for the password of the person already signed in, before a sensitive change."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, person: Person, *args, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="password_incorrect")
        return password


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    language = forms.ChoiceField(label=_("Interface language"), choices=LANGUAGE_CHOICES)


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """Django's reset form; the e-mail goes out in the language the person chose.

    Unlike Django's, it also serves people who have never chosen a password: someone
    invited whose invitation link expired gets a fresh link this way.
    """

    def get_users(self, email):
        return Person.objects.filter(email__iexact=email.strip(), is_active=True)

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs) -> None:
        with translation.override(
            getattr(context.get("user"), "language", None) or translation.get_language()
        ):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
