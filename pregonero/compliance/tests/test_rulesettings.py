"""Rule settings: versions that never change, inheritance down the tree, profiles, the engine's view."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pregonero.audit.models import AuditEntry
from pregonero.checks.engine import RULE_IDS, run_checks
from pregonero.checks.model import CheckInput
from pregonero.compliance import rulesettings
from pregonero.compliance.catalogue import RULES, rules_in_engine_order
from pregonero.compliance.context import check_context
from pregonero.compliance.models import RuleSettingsVersion
from pregonero.compliance.profiles import PROFILES


def save(organisation, actor, based_on=None, **changes):
    values = {**rulesettings.in_force(organisation).values, **changes}
    return rulesettings.save_version(organisation, actor=actor, values=values, based_on=based_on)


def test_every_rule_of_the_engine_is_described_with_its_source():
    assert set(RULES) == set(RULE_IDS)
    assert all(info.source and info.reports for info in rules_in_engine_order())


def test_without_any_version_the_engine_defaults_apply(vilanova):
    current = rulesettings.in_force(vilanova)
    assert (current.version, current.owner) == (None, None)
    assert check_context(vilanova).settings == rulesettings.as_rule_settings(rulesettings.default_values())


def test_each_save_is_a_new_version_and_the_latest_is_in_force(vilanova, alba):
    first = save(vilanova, alba, party_terms=["PSPV"])
    second = save(vilanova, alba, based_on=1, party_terms=["PSPV", "Compromís"], max_hashtags=2)
    assert (first.number, second.number) == (1, 2)
    assert second.changes == {"max_hashtags": [3, 2], "party_terms": [["PSPV"], ["PSPV", "Compromís"]]}
    settings = check_context(vilanova).settings
    assert settings.party_terms == ("PSPV", "Compromís")
    assert settings.max_hashtags == 2
    first.refresh_from_db()
    assert first.party_terms == ["PSPV"]


def test_a_version_cannot_be_changed_afterwards(vilanova, alba):
    version = save(vilanova, alba, party_terms=["PSPV"])
    version.party_terms = ["PP"]
    with pytest.raises(TypeError):
        version.save()
    with pytest.raises(TypeError):
        RuleSettingsVersion.objects.filter(pk=version.pk).update(party_terms=["PP"])


def test_a_save_based_on_an_old_version_is_refused(vilanova, alba, diana):
    save(vilanova, alba, max_emoji=4)
    save(vilanova, diana, based_on=1, max_emoji=3)
    with pytest.raises(ValidationError, match="meanwhile"):
        save(vilanova, alba, based_on=1, max_emoji=2)
    assert rulesettings.latest_version(vilanova).number == 2


def test_saving_nothing_new_is_refused(vilanova, alba):
    save(vilanova, alba, max_emoji=4)
    with pytest.raises(ValidationError, match="Nothing has changed"):
        save(vilanova, alba, based_on=1)


def test_towns_follow_the_council_until_they_save_their_own(diputacion, vilanova, diana, alba):
    save(diputacion, diana, disabled=["A11Y-6"], severity={"NEUT-1": "block"})
    current = rulesettings.in_force(vilanova)
    assert current.owner == diputacion and current.inherited_by(vilanova)
    assert check_context(vilanova).settings.disabled == frozenset({"A11Y-6"})
    # Vilanova's first save starts from what it inherited.
    own = save(vilanova, alba, party_terms=["PSPV"])
    assert own.number == 1
    assert (own.disabled, own.severity) == (["A11Y-6"], {"NEUT-1": "block"})
    save(diputacion, diana, based_on=1, disabled=[])
    assert check_context(vilanova).settings.disabled == frozenset({"A11Y-6"})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"disabled": ["NOPE-1"]}, "disabled"),
        ({"severity": {"NEUT-1": "fatal"}}, "severity"),
        ({"max_hashtags": 99}, "max_hashtags"),
        ({"language_confidence": "high"}, "language_confidence"),
    ],
)
def test_settings_out_of_range_are_refused_on_their_field(vilanova, alba, changes, field):
    with pytest.raises(ValidationError) as error:
        save(vilanova, alba, **changes)
    assert field in error.value.message_dict


def test_word_lists_are_trimmed_and_deduplicated(vilanova, alba):
    version = save(vilanova, alba, party_terms=[" PSPV ", "", "PSPV", "Compromís  amb"])
    assert version.party_terms == ["PSPV", "Compromís amb"]


def test_only_admins_save_settings(vilanova, pau):
    with pytest.raises(PermissionDenied):
        save(vilanova, pau, max_emoji=1)


def test_saving_is_audited_with_what_changed(vilanova, alba):
    save(vilanova, alba, acronym_whitelist=["PAI"])
    entry = AuditEntry.objects.get(action="rule_settings.saved")
    assert entry.changes == {"acronym_whitelist": [[], ["PAI"]]}
    assert entry.details["version"] == 1


def test_applying_a_profile_saves_a_version_and_keeps_the_own_contacts(vilanova, alba):
    save(vilanova, alba, own_contacts=["963 00 00 00"], max_emoji=2)
    version = rulesettings.apply_profile(vilanova, "comunitat-valenciana", actor=alba, based_on=1)
    assert (version.number, version.profile) == (2, "comunitat-valenciana")
    assert "PSPV" in version.party_terms and "GVA" in version.acronym_whitelist
    assert (version.own_contacts, version.max_emoji) == (["963 00 00 00"], 2)
    assert "Comunitat Valenciana" in version.note


def test_an_unknown_profile_is_refused(vilanova, alba):
    with pytest.raises(ValidationError):
        rulesettings.apply_profile(vilanova, "narnia", actor=alba, based_on=None)


@pytest.mark.parametrize("profile", PROFILES, ids=[profile.slug for profile in PROFILES])
def test_every_profile_is_valid_settings(profile):
    values = {**rulesettings.default_values(), **profile.values}
    assert rulesettings.normalise(values) == values


def test_the_engine_reads_the_settings_in_force(vilanova, alba):
    text = {"es": "Bienvenidos al pleno de Compromís."}
    assert not [f for f in run_checks(CheckInput(texts=text)) if f.rule == "NEUT-4"]
    save(vilanova, alba, party_terms=["Compromís"], severity={"NEUT-4": "block"})
    findings = run_checks(CheckInput(texts=text, settings=check_context(vilanova).settings))
    assert [(f.rule, f.severity) for f in findings if f.rule == "NEUT-4"] == [("NEUT-4", "block")]
