"""Machine translation of a post's texts from the composer and the post page (RULES.md LANG-3).

Both actions are POST-only and work without JavaScript. In the composer the buttons belong to
the composer form (``formaction``), so what the person has typed is saved first and nothing
is lost; if that save fails, the composer comes back with its errors and nothing is
translated. A translation that cannot be made (Apertium missing, too slow, no such pair) is
reported in the person's language and changes nothing.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from pregonero.accounts.roles import Role
from pregonero.publishing import services, translation, views
from pregonero.publishing.forms import LANGUAGE_LABELS, PostForm
from pregonero.text.translate import (
    ApertiumMissing,
    PairUnavailable,
    TranslationError,
    TranslationTimeout,
)

logger = logging.getLogger(__name__)


def _name(language: str) -> str:
    return str(LANGUAGE_LABELS.get(language, language))


def _failure_message(error: TranslationError) -> str:
    if isinstance(error, ApertiumMissing):
        return _(
            "Machine translation is not installed on this server. Nothing was changed: write the text "
            "yourself or ask an administrator to install Apertium."
        )
    if isinstance(error, PairUnavailable):
        return _("This server cannot translate from %(source)s into %(target)s. Nothing was changed.") % {
            "source": _name(error.source),
            "target": _name(error.target),
        }
    if isinstance(error, TranslationTimeout):
        return _("The machine translation took too long and was stopped. Nothing was changed: try again.")
    return _("The machine translation failed. Nothing was changed: try again or write the text yourself.")


def _from_composer(request: HttpRequest) -> bool:
    return "revision" in request.POST


def _back(request: HttpRequest, organisation, post) -> HttpResponse:
    return redirect(
        "publishing:edit" if _from_composer(request) else "publishing:detail", organisation.slug, post.pk
    )


def _save_composer_first(request: HttpRequest, organisation, role, post) -> HttpResponse | None:
    """Save the composer's content when the button was pressed there; a response if that failed.

    On failure the composer view handles the same request again, so the person sees the
    errors (or the version saved meanwhile) next to what they wrote.
    """
    if not _from_composer(request):
        return None
    form = PostForm(request.POST, organisation=organisation, person=request.user, role=role)
    if form.is_valid():
        try:
            services.save_post(
                post,
                actor=request.user,
                revision=form.cleaned_data["revision"] or 0,
                request=request,
                **form.content(),
            )
        except ValidationError:
            pass
        else:
            return None
    messages.error(request, _("Nothing was translated: the post could not be saved first. See below."))
    return views.post_edit(request, organisation.slug, post.pk)


@login_required
@views.post_only
def post_translate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Draft one language of the post from another with Apertium (editors and above)."""
    organisation, role, post = views._post_in(request, slug, pk, minimum=Role.EDITOR)
    source, _sep, target = request.POST.get("translate", "").partition(":")
    failed = _save_composer_first(request, organisation, role, post)
    if failed is not None:
        return failed
    post.refresh_from_db()
    try:
        translation.translate_text(post, actor=request.user, source=source, target=target, request=request)
    except TranslationError as error:
        logger.warning("Machine translation of post %s (%s→%s) failed: %s", post.pk, source, target, error)
        messages.error(request, _failure_message(error))
    except ValidationError as error:
        views._report(request, error)
    else:
        messages.success(
            request,
            _(
                "The %(target)s version has been drafted by machine translation from %(source)s. Review it: "
                "edit it or press “Confirm translation” before publishing."
            )
            % {"target": _name(target), "source": _name(source)},
        )
    return _back(request, organisation, post)


@login_required
@views.post_only
def translation_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A person takes a machine translation as it is: the review flag goes."""
    organisation, role, post = views._post_in(request, slug, pk, minimum=Role.CONTRIBUTOR)
    language = request.POST.get("confirm", "")
    failed = _save_composer_first(request, organisation, role, post)
    if failed is not None:
        return failed
    if _from_composer(request) and not post.texts.filter(language=language, machine_translated=True).exists():
        # The save just made was an edit of that text, which is the review.
        messages.success(
            request, _("Changes saved; the %(language)s text is yours now.") % {"language": _name(language)}
        )
        return _back(request, organisation, post)
    try:
        translation.confirm_translation(post, actor=request.user, language=language, request=request)
    except ValidationError as error:
        views._report(request, error)
    else:
        messages.success(
            request, _("The %(language)s translation has been confirmed.") % {"language": _name(language)}
        )
    return _back(request, organisation, post)
