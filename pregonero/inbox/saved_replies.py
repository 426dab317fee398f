"""Saved replies (respuestas tipo): written once per organisation, in its languages, reused in
the reply editor with the conversation's details filled in.

Editors and above manage them; every save keeps a version of each language's text with who
and when, and creating, editing and deleting are audited. Deleting hides a saved reply and
keeps its versions.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from pregonero.accounts.models import LANGUAGE_CODES, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.audit import services as audit
from pregonero.inbox.models import Conversation, SavedReply, SavedReplyText, SavedReplyVersion
from pregonero.inbox.variables import REPLY_VARIABLES, UnknownVariables, braced, fill, unknown_in

MANAGING_ROLE = Role.EDITOR


def languages_of(organisation) -> list[str]:
    """The organisation's languages, its default first."""
    official = [code for code in organisation.official_languages or [] if code in LANGUAGE_CODES]
    return list(dict.fromkeys([organisation.default_language, *official]))


def normalise(text: str) -> str:
    """Lower case without accents, so "camion" finds "Camión" on SQLite and PostgreSQL alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def available(organisation, *, department=None) -> QuerySet[SavedReply]:
    """Saved replies not deleted; with ``department``, those for everyone plus that department's."""
    queryset = SavedReply.objects.filter(organisation=organisation, deleted_at__isnull=True)
    if department is not None:
        queryset = queryset.filter(Q(department__isnull=True) | Q(department=department))
    return queryset


def search(queryset: QuerySet[SavedReply], query: str) -> QuerySet[SavedReply]:
    """Saved replies whose title, category, tags or any text contain every word of ``query``."""
    for word in normalise(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _require_managing(actor: Person, organisation) -> None:
    role = effective_role(actor, organisation)
    if role is None or not role.at_least(MANAGING_ROLE):
        raise PermissionDenied


def _check_texts(organisation, texts: dict[str, str]) -> dict[str, str]:
    allowed = languages_of(organisation)
    cleaned = {language: text.strip() for language, text in texts.items() if language in allowed}
    errors = {}
    for language, text in cleaned.items():
        unknown = unknown_in(text)
        if unknown:
            errors[f"text_{language}"] = _("Unknown variable: %(names)s. You can use %(known)s.") % {
                "names": braced(unknown),
                "known": braced(REPLY_VARIABLES),
            }
    if errors:
        raise ValidationError(errors)
    if not any(cleaned.values()):
        raise ValidationError(_("Write the text in at least one language."))
    return cleaned


def _snapshot(saved: SavedReply) -> dict:
    return {
        "title": saved.title,
        "category": saved.category,
        "tags": list(saved.tags),
        "department": saved.department_id,
        "texts": {item.language: item.text for item in saved.texts.all()},
    }


@transaction.atomic
def save(
    organisation,
    *,
    actor: Person,
    saved: SavedReply | None = None,
    title: str,
    category: str = "",
    tags: list[str] | tuple = (),
    department=None,
    texts: dict[str, str],
    request=None,
) -> SavedReply:
    """Create a saved reply (``saved`` None) or edit one; a new version is kept of each language
    whose text changed (a blank text removes that language)."""
    _require_managing(actor, organisation)
    if department is not None and department.organisation_id != organisation.pk:
        raise ValidationError({"department": _("Choose a department of this organisation.")})
    cleaned = _check_texts(organisation, texts)
    creating = saved is None
    if creating:
        saved = SavedReply(organisation=organisation, created_by=actor)
        before = {}
    else:
        saved = SavedReply.objects.select_for_update().get(pk=saved.pk, organisation=organisation)
        before = _snapshot(saved)
    saved.title = title.strip()[:200]
    saved.category = category.strip()[:100]
    saved.tags = sorted({tag.strip()[:40] for tag in tags if tag.strip()})
    saved.department = department
    saved.updated_at = timezone.now()
    saved.save()
    current = {item.language: item for item in saved.texts.all()}
    number = (saved.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    for language, text in cleaned.items():
        stored = current.get(language)
        if (stored.text if stored else "") == text:
            continue
        if text:
            SavedReplyText.objects.update_or_create(
                saved_reply=saved, language=language, defaults={"text": text}
            )
        else:
            stored.delete()
        SavedReplyVersion.objects.create(
            saved_reply=saved, number=number, language=language, title=saved.title, text=text, edited_by=actor
        )
    texts_now = {item.language: item.text for item in saved.texts.all()}
    saved.search_text = normalise(
        "\n".join([saved.title, saved.category, " ".join(saved.tags), *texts_now.values()])
    )
    saved.save(update_fields=["search_text"])
    after = _snapshot(saved)
    audit.record(
        "inbox.saved_reply_created" if creating else "inbox.saved_reply_edited",
        actor=actor,
        organisation=organisation,
        obj=saved,
        changes=audit.diff(before, after),
        request=request,
    )
    return saved


@transaction.atomic
def delete(saved: SavedReply, *, actor: Person, request=None) -> None:
    """Hide the saved reply from pickers and lists; its versions stay."""
    _require_managing(actor, saved.organisation)
    saved.deleted_at = timezone.now()
    saved.save(update_fields=["deleted_at"])
    audit.record(
        "inbox.saved_reply_deleted",
        actor=actor,
        organisation=saved.organisation,
        obj=saved,
        details={"title": saved.title},
        request=request,
    )


@dataclass(frozen=True)
class Inserted:
    text: str
    language: str
    # True when the saved reply has no text in the wanted language and another one was used.
    fallback: bool


def values_for(conversation: Conversation, actor: Person, language: str) -> dict[str, str]:
    with translation.override(language):
        today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    return {
        "citizen_name": conversation.citizen_name or conversation.citizen_handle,
        "citizen_handle": conversation.citizen_handle,
        "organisation": conversation.organisation.name,
        "agent_name": actor.full_name or actor.email,
        "today": today,
    }


def text_for(saved: SavedReply, language: str) -> tuple[str, str] | None:
    """The text in ``language``, else in the organisation's default and official languages in
    order; ``(text, language used)`` or None when there is none."""
    texts = {item.language: item.text for item in saved.texts.all()}
    for candidate in [language, *languages_of(saved.organisation), *sorted(texts)]:
        if texts.get(candidate):
            return texts[candidate], candidate
    return None


def insert(saved: SavedReply, conversation: Conversation, *, actor: Person, language: str) -> Inserted:
    """The saved reply filled in for ``conversation``, in ``language`` when it exists there.

    Raises ``ValidationError`` when it uses a variable that is not known."""
    found = text_for(saved, language)
    if found is None:
        raise ValidationError({"saved_reply": _("This saved reply has no text.")})
    text, used = found
    try:
        filled = fill(text, values_for(conversation, actor, used))
    except UnknownVariables as error:
        raise ValidationError(
            {
                "saved_reply": _(
                    "This saved reply uses an unknown variable (%(names)s): ask an editor to fix it."
                )
                % {"names": braced(error.names)}
            }
        ) from error
    return Inserted(text=filled, language=used, fallback=used != language)
