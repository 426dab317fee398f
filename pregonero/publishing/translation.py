"""Machine-translated drafts of a post's other official languages (RULES.md LANG-3).

:func:`translate_text` asks Apertium (:mod:`pregonero.text.translate`) for the text of one
language from another, stores it as that language's text with ``machine_translated`` set,
adapts the channel versions again and records a revision and an audit entry. The flag stays
until a person edits that text (:func:`pregonero.publishing.services.save_post` clears it) or
confirms it (:func:`confirm_translation`); the LANG-3 check blocks publishing meanwhile.

Apertium runs before the transaction opens, so a slow translation holds no lock; a failure
(:class:`~pregonero.text.translate.TranslationError`) reaches the caller with nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.audit import services as audit
from pregonero.publishing import services
from pregonero.publishing.models import Post, PostState, PostText
from pregonero.publishing.rules import EDITABLE_STATES, may_write, require, require_state, role_of
from pregonero.text.translate import can_translate, mode_for, translate, variant_for


def _not_editable() -> str:
    return _("A post that is “%(state)s” can no longer be edited.")


@dataclass(frozen=True, slots=True)
class Offer:
    """One language a post can be translated into, from which of its texts, and how it stands."""

    target: str
    sources: tuple[str, ...]
    exists: bool
    machine_translated: bool


def region_of(organisation: Organisation) -> str:
    """The organisation's autonomous community, or the nearest one set above it."""
    if organisation.region:
        return organisation.region
    above = Organisation.objects.filter(pk__in=organisation.ancestor_ids()).exclude(region="")
    regions = dict(above.values_list("pk", "region"))
    return next((regions[pk] for pk in reversed(organisation.ancestor_ids()) if pk in regions), "")


def offers(post: Post) -> list[Offer]:
    """For each official language, the texts of this post Apertium can translate into it."""
    texts = {text.language: text for text in post.texts.all()}
    result = []
    for target in post.organisation.official_languages:
        sources = tuple(
            source
            for source in post.organisation.official_languages
            if source != target and source in texts and can_translate(source, target)
        )
        current = texts.get(target)
        if sources or (current and current.machine_translated):
            result.append(
                Offer(target, sources, current is not None, bool(current and current.machine_translated))
            )
    return result


def translate_text(post: Post, *, actor: Person, source: str, target: str, request=None) -> PostText:
    """Draft ``target`` from the ``source`` text by machine translation; see the module docstring.

    Editors and above only. Raises ``PermissionDenied``, ``ValidationError`` (state, languages,
    a source text that changed meanwhile) or ``TranslationError`` (Apertium).
    """
    organisation = post.organisation
    require(role_of(actor, organisation).at_least(Role.EDITOR) and may_write(actor, post))
    require_state(post, EDITABLE_STATES, _not_editable())
    official = organisation.official_languages
    if source not in official or target not in official or source == target:
        raise ValidationError(_("Choose two different official languages of the organisation."))
    original = post.texts.filter(language=source).first()
    if original is None or not original.body.strip():
        raise ValidationError(_("There is no text to translate from in that language."))
    variant = variant_for(target, region_of(organisation))
    mode = mode_for(source, target, variant)
    body = translate(
        original.body,
        source,
        target,
        variant=variant,
        timeout=settings.TRANSLATION_TIMEOUT_SECONDS,
        binary=settings.APERTIUM_BINARY,
    ).strip()
    return _store(post, actor, original, target, body, mode, request)


@transaction.atomic
def _store(
    post: Post, actor: Person, original: PostText, target: str, body: str, mode: str, request
) -> PostText:
    post = Post.objects.select_for_update().select_related("organisation").get(pk=post.pk)
    require_state(post, EDITABLE_STATES, _not_editable())
    if not post.texts.filter(pk=original.pk, body=original.body).exists():
        raise ValidationError(_("The text changed while it was being translated. Translate it again."))
    before = services.snapshot(post)
    text, _created = PostText.objects.update_or_create(
        post=post, language=target, defaults={"body": body, "machine_translated": True}
    )
    post.revision += 1
    post.updated_at = timezone.now()
    if post.state in (PostState.APPROVED, PostState.REJECTED):
        # What was approved is no longer what would go out (as with a person's edit).
        post.state = PostState.DRAFT
        post.approved_by, post.approved_at = None, None
    post.save()
    services._regenerate(post)
    services._add_revision(post, actor, autosave=False)
    audit.record(
        "post.translated",
        actor=actor,
        organisation=post.organisation,
        obj=post,
        changes=audit.diff(before, services.snapshot(post)),
        details={"source": original.language, "target": target, "engine": f"apertium {mode}"},
        request=request,
    )
    return text


@transaction.atomic
def confirm_translation(post: Post, *, actor: Person, language: str, request=None) -> PostText:
    """A person has read the machine translation in ``language`` and takes it as it is."""
    require(may_write(actor, post))
    require_state(post, EDITABLE_STATES, _not_editable())
    text = PostText.objects.select_for_update().filter(post=post, language=language).first()
    if text is None or not text.machine_translated:
        raise ValidationError(_("That version is not waiting for a review of its translation."))
    text.machine_translated = False
    text.save(update_fields=["machine_translated"])
    audit.record(
        "post.translation_confirmed",
        actor=actor,
        organisation=post.organisation,
        obj=post,
        changes={"machine_translated": [True, False]},
        details={"language": language},
        request=request,
    )
    return text
