"""Versioned rule settings: saving a version, applying a profile, and which version is in force.

Each save adds an immutable :class:`RuleSettingsVersion`; the latest one is in force. An
organisation with no version of its own follows the nearest organisation above that has one, and
the engine's defaults when none has: a council tunes the rules once for its towns, and a town
that saves its own stops following the council from then on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pregonero.accounts.models import Organisation, Person
from pregonero.accounts.roles import Role
from pregonero.accounts.scoping import effective_role
from pregonero.audit import services as audit
from pregonero.checks.engine import RULE_IDS
from pregonero.checks.model import SEVERITIES, RuleSettings
from pregonero.compliance.models import RuleSettingsVersion
from pregonero.compliance.profiles import BY_SLUG

LIST_FIELDS = ("party_terms", "achievement_phrases", "acronym_whitelist", "own_contacts")
# (field, lowest, highest) of the numeric thresholds.
THRESHOLDS = (
    ("max_hashtags", 0, 30),
    ("max_emoji", 0, 50),
    ("readability_floor", 0.0, 100.0),
    ("language_confidence", 0.0, 1.0),
)
FIELDS = ("disabled", "severity", *LIST_FIELDS, *(name for name, _low, _high in THRESHOLDS))
_DEFAULTS = RuleSettings()


def default_values() -> dict[str, Any]:
    """The engine's own defaults, in the stored (JSON) shape."""
    return normalise({name: getattr(_DEFAULTS, name) for name in FIELDS})


@dataclass(frozen=True)
class InForce:
    """The settings in force for an organisation and where they come from."""

    values: dict[str, Any]
    version: RuleSettingsVersion | None
    # The organisation whose version is in force (itself or one above); None: the defaults.
    owner: Organisation | None

    def inherited_by(self, organisation: Organisation) -> bool:
        return self.owner is not None and self.owner.pk != organisation.pk

    def own_number(self, organisation: Organisation) -> int | None:
        """The number of the organisation's own version in force; None while it has none."""
        return None if self.version is None or self.inherited_by(organisation) else self.version.number


def latest_version(organisation: Organisation) -> RuleSettingsVersion | None:
    return RuleSettingsVersion.objects.filter(organisation=organisation).order_by("-number").first()


def in_force(organisation: Organisation) -> InForce:
    """The organisation's latest version, else the nearest ancestor's, else the defaults."""
    chain = [organisation.pk, *reversed(organisation.ancestor_ids())]
    latest = {}
    for version in RuleSettingsVersion.objects.filter(organisation_id__in=chain).select_related(
        "organisation"
    ):
        current = latest.get(version.organisation_id)
        if current is None or version.number > current.number:
            latest[version.organisation_id] = version
    for organisation_id in chain:
        if organisation_id in latest:
            version = latest[organisation_id]
            return InForce(values_of(version), version, version.organisation)
    return InForce(default_values(), None, None)


def values_of(version: RuleSettingsVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in FIELDS}


def as_rule_settings(values: Mapping[str, Any]) -> RuleSettings:
    """Stored values as the engine's :class:`RuleSettings`."""
    return RuleSettings(
        disabled=frozenset(values["disabled"]),
        severity=dict(values["severity"]),
        **{name: tuple(values[name]) for name in LIST_FIELDS},
        **{name: values[name] for name, _low, _high in THRESHOLDS},
    )


def history(organisation: Organisation) -> QuerySet[RuleSettingsVersion]:
    return RuleSettingsVersion.objects.filter(organisation=organisation).select_related("created_by")


def _terms(items: Iterable[str]) -> list[str]:
    """Stripped, without blanks or repeats, in the order given."""
    seen: dict[str, None] = {}
    for item in items:
        text = " ".join(str(item).split())
        if text:
            seen.setdefault(text, None)
    return list(seen)


def normalise(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and canonicalise settings; raises ValidationError naming the field at fault."""
    errors: dict[str, list[str]] = {}
    disabled = sorted(set(values.get("disabled", ())))
    unknown = [rule for rule in disabled if rule not in RULE_IDS]
    severity = {str(rule): level for rule, level in dict(values.get("severity", {})).items()}
    unknown += [rule for rule in severity if rule not in RULE_IDS]
    if unknown:
        errors["disabled"] = [_("Unknown rules: %(rules)s.") % {"rules": ", ".join(sorted(set(unknown)))}]
    if any(level not in SEVERITIES for level in severity.values()):
        errors["severity"] = [_("A severity is block, warn or info.")]
    result: dict[str, Any] = {
        "disabled": disabled,
        "severity": dict(sorted(severity.items())),
        **{name: _terms(values.get(name, ())) for name in LIST_FIELDS},
    }
    for name, low, high in THRESHOLDS:
        value = values.get(name, getattr(_DEFAULTS, name))
        try:
            value = type(high)(value)
        except (TypeError, ValueError):
            errors[name] = [_("Enter a number.")]
            continue
        if not low <= value <= high:
            errors[name] = [_("Enter a value from %(low)s to %(high)s.") % {"low": low, "high": high}]
        result[name] = value
    if errors:
        raise ValidationError(errors)
    return result


def _require_admin(actor: Person, organisation: Organisation) -> None:
    if effective_role(actor, organisation) != Role.ADMIN:
        raise PermissionDenied


@transaction.atomic
def save_version(
    organisation: Organisation,
    *,
    actor: Person,
    values: Mapping[str, Any],
    based_on: int | None,
    note: str = "",
    profile: str = "",
    request=None,
) -> RuleSettingsVersion:
    """Save ``values`` as the organisation's new version and return it.

    ``based_on`` is the number of the organisation's own version the admin was editing (None:
    they started from inherited settings or the defaults); if someone saved since, nothing is
    saved, so no one overwrites a change they have not seen. Saving the same values again only
    makes sense to stop following the organisation above, so it is refused otherwise.
    """
    _require_admin(actor, organisation)
    clean = normalise(values)
    current = in_force(organisation)
    own = current.version if current.own_number(organisation) else None
    if current.own_number(organisation) != based_on:
        raise ValidationError(
            _("Someone saved these settings meanwhile (version %(number)s). Review them and save again.")
            % {"number": own.number if own else "—"}
        )
    changes = audit.diff(current.values, clean)
    if own is not None and not changes:
        raise ValidationError(_("Nothing has changed, so no new version was saved."))
    try:
        with transaction.atomic():
            version = RuleSettingsVersion.objects.create(
                organisation=organisation,
                number=(own.number if own else 0) + 1,
                profile=profile,
                note=note.strip()[:300],
                changes=changes,
                created_by=actor,
                **clean,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Someone saved these settings meanwhile. Review them and save again.")
        ) from error
    audit.record(
        "rule_settings.saved",
        actor=actor,
        organisation=organisation,
        obj=version,
        changes=changes,
        details={
            "version": version.number,
            "profile": profile,
            "note": version.note,
            "inherited_from": current.owner.name if current.inherited_by(organisation) else "",
        },
        request=request,
    )
    return version


def apply_profile(
    organisation: Organisation, slug: str, *, actor: Person, based_on: int | None, request=None
) -> RuleSettingsVersion:
    """Save a new version: the settings in force with the profile's fields replaced."""
    profile = BY_SLUG.get(slug)
    if profile is None:
        raise ValidationError({"profile": _("Choose a profile.")})
    values = {**in_force(organisation).values, **profile.values}
    return save_version(
        organisation,
        actor=actor,
        values=values,
        based_on=based_on,
        note=_("Profile applied: %(name)s") % {"name": profile.name},
        profile=slug,
        request=request,
    )
