"""Signing in and out, the second factor, passwords and the person's own profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from pregonero.accounts import auth_services, mfa
from pregonero.accounts.auth_services import LastAccess
from pregonero.accounts.forms_auth import (
    CurrentPasswordForm,
    LoginForm,
    PasswordResetRequestForm,
    ProfileForm,
    RecoveryCodeForm,
    TOTPCodeForm,
)
from pregonero.accounts.middleware import two_factor_required
from pregonero.accounts.models import Person


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _throttled_message() -> str:
    minutes = int(auth_services.FAILURE_WINDOW.total_seconds() // 60)
    return _(
        "Too many failed attempts. For your security, signing in is paused for %(minutes)s minutes. "
        "Try again later, or reset your password."
    ) % {"minutes": minutes}


def _welcome(request: HttpRequest, person: Person, previous: LastAccess | None) -> None:
    """Tell the person when and from where they last signed in (RULES.md GOV-3), in their language."""
    translation.activate(person.language)
    if previous is None:
        messages.info(request, _("Welcome. This is your first access to Pregonero."))
        return
    when = formats.date_format(timezone.localtime(previous.at), "DATETIME_FORMAT")
    text = _("Your previous access was on %(when)s from the address %(ip)s.") % {
        "when": when,
        "ip": previous.ip or _("unknown"),
    }
    if previous.failures_since:
        text += " " + ngettext(
            "Since then there was %(count)d failed attempt to sign in with your address.",
            "Since then there were %(count)d failed attempts to sign in with your address.",
            previous.failures_since,
        ) % {"count": previous.failures_since}
    messages.info(request, text)


@sensitive_post_parameters("password")
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.user.is_authenticated:
        return redirect(_safe_next(request, next_url))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = auth_services.check_password(
            request, form.cleaned_data["email"], form.cleaned_data["password"]
        )
        if attempt.throttled:
            form.add_error(None, _throttled_message())
        elif attempt.person is None:
            # The same words whether the address exists or not.
            form.add_error(None, _("The e-mail address or the password is not correct."))
        elif attempt.person.has_two_factor:
            auth_services.start_pending(request, attempt.person, _safe_next(request, next_url))
            return redirect("accounts:login_verify")
        else:
            previous = auth_services.complete_login(request, attempt.person, method="password")
            _welcome(request, attempt.person, previous)
            return redirect(_safe_next(request, next_url))
    context = {"form": form, "next": next_url, "expired": request.GET.get("expired") == "1"}
    return render(request, "accounts/login.html", context)


@sensitive_post_parameters("code", "recovery_code")
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    was_pending = auth_services.PENDING_PERSON in request.session
    person = auth_services.pending_person(request)
    if person is None:
        if was_pending:
            messages.warning(request, _("The time to enter the code ran out. Please sign in again."))
        return redirect("accounts:login")
    recovery = request.method == "POST" and "recovery_code" in request.POST
    totp_form = TOTPCodeForm(request.POST if request.method == "POST" and not recovery else None)
    recovery_form = RecoveryCodeForm(request.POST if recovery else None)
    form, field = (recovery_form, "recovery_code") if recovery else (totp_form, "code")
    if request.method == "POST" and form.is_valid():
        attempt = auth_services.check_second_factor(
            request, person, form.cleaned_data[field], recovery=recovery
        )
        if attempt.throttled:
            form.add_error(None, _throttled_message())
        elif attempt.person is None:
            form.add_error(field, _("The code is not correct or has already been used."))
        else:
            next_url = request.session.get(auth_services.PENDING_NEXT, "")
            method = "password+recovery_code" if recovery else "password+totp"
            previous = auth_services.complete_login(request, person, method=method)
            _welcome(request, person, previous)
            if recovery:
                left = mfa.unused_recovery_codes(person)
                messages.warning(
                    request,
                    ngettext(
                        "You have %(count)d recovery code left. Create new ones from your profile.",
                        "You have %(count)d recovery codes left. Create new ones from your profile.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_safe_next(request, next_url))
    context = {"totp_form": totp_form, "recovery_form": recovery_form, "show_recovery": recovery}
    return render(request, "accounts/login_verify.html", context)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        auth_services.record_logout(request, request.user)
        auth_logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = request.user
    form = ProfileForm(
        request.POST or None, initial={"full_name": person.full_name, "language": person.language}
    )
    if request.method == "POST" and form.is_valid():
        auth_services.update_profile(request, person, **form.cleaned_data)
        language = person.language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        messages.success(request, _("Your profile has been saved."))
        response = redirect("accounts:profile")
        # The cookie keeps the language on the sign-in page after signing out.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    context = {
        "form": form,
        "has_two_factor": person.has_two_factor,
        "two_factor_required": two_factor_required(person),
        "unused_recovery_codes": mfa.unused_recovery_codes(person),
        "recent_logins": auth_services.recent_logins(person),
    }
    return render(request, "accounts/profile.html", context)


def _show_recovery_codes(request: HttpRequest, codes: list[str], *, just_enabled: bool) -> HttpResponse:
    # Shown in this response only: the plain codes are never stored, not even in the session.
    return render(
        request, "accounts/recovery_codes_show.html", {"codes": codes, "just_enabled": just_enabled}
    )


@login_required
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    person = request.user
    if person.has_two_factor:
        messages.info(request, _("Two-factor authentication is already on."))
        return redirect("accounts:profile")
    device = auth_services.start_two_factor_setup(person)
    form = TOTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = auth_services.confirm_two_factor(request, person, device, form.cleaned_data["code"])
        if codes is not None:
            return _show_recovery_codes(request, codes, just_enabled=True)
        form.add_error(
            "code",
            _("That code is not correct. Check that your phone's clock is right and try the newest code."),
        )
    uri = mfa.provisioning_uri(device.secret, person.email)
    title = _("QR code that adds your Pregonero account to an authenticator app")
    context = {
        "form": form,
        # segno escapes the title and writes only geometry: nothing from the request reaches this markup.
        "qr_svg": mark_safe(mfa.qr_svg(uri, title)),  # noqa: S308
        "qr_title": title,
        "secret": mfa.grouped(device.secret),
        "required": two_factor_required(person),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@sensitive_post_parameters("password")
@login_required
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    person = request.user
    if not person.has_two_factor:
        return redirect("accounts:two_factor_setup")
    form = CurrentPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = auth_services.regenerate_recovery_codes(request, person)
        return _show_recovery_codes(request, codes, just_enabled=False)
    context = {"form": form, "unused": mfa.unused_recovery_codes(person)}
    return render(request, "accounts/recovery_codes.html", context)


@sensitive_post_parameters("password")
@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    person = request.user
    if not person.has_two_factor:
        return redirect("accounts:profile")
    form = CurrentPasswordForm(person, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            auth_services.disable_two_factor(request, person)
        except PermissionDenied:
            status = 403
        else:
            messages.success(request, _("Two-factor authentication is now off."))
            return redirect("accounts:profile")
    context = {"form": form, "required": two_factor_required(person)}
    return render(request, "accounts/two_factor_disable.html", context, status=status)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        # The parent keeps this session signed in (update_session_auth_hash); others end.
        response = super().form_valid(form)
        auth_services.record_password_changed(self.request, self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    @property
    def extra_email_context(self) -> dict:
        return {"site_url": settings.SITE_URL, "expiry_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}

    def form_valid(self, form):
        auth_services.record_reset_requested(self.request, form.cleaned_data["email"])
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    # No sign-in after the reset: the person signs in as usual, second factor included.
    post_reset_login = False
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        auth_services.record_reset_completed(self.request, self.user)
        return response


password_change = PasswordChangeView.as_view()
password_reset = PasswordResetView.as_view()
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_sent.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
