"""Pre-flight checks of a post: the pure checks engine fed from the database, and its gate.

:func:`input_for_post` and :func:`input_for_draft` turn a saved post, or the composer's
unsaved form, into a :class:`~pregonero.checks.model.CheckInput`; :func:`report_for_post` and
:func:`report_for_draft` run the checks and group the findings into :class:`Issue` s, one per
problem, with the :class:`~pregonero.publishing.models.CheckOverride` that covers it, if any.

An issue is identified by its *fingerprint*: the rule, the source, the language, the words that
fired and the whole content in that language (the text and every channel version of it). The
same words found in the text and again in a thread part are one issue; an edit of the text
concerned makes a new fingerprint, so an override granted for the old text no longer counts.

The gate (:meth:`Report.gate`) lists the blocking issues no override covers. Submission,
approval, scheduling and publish-now refuse while it is not empty (:mod:`pregonero.publishing.review`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pregonero.checks.engine import run_checks
from pregonero.checks.model import CheckInput, Finding, MediaInput, VariantInput
from pregonero.compliance.context import check_context
from pregonero.publishing.adapt import AdaptationError, adapt
from pregonero.publishing.models import Category, CheckOverride, Media, Post, PostState

# The checks engine's categories (ELEC-5 lets emergency information through).
CATEGORIES = {
    Category.SERVICE: "service",
    Category.AGENDA: "agenda",
    Category.EMERGENCY: "emergency",
    Category.CAMPAIGN: "institutional",
    Category.OTHER: "",
}
# Blocks nobody may override: publishing refuses them on its own (review.submission_problems),
# the network would refuse the post, or the law leaves no room (an unreviewed machine
# translation, LANG-3). The person fixes the post instead.
NOT_OVERRIDABLE = frozenset(
    {"LANG-1", "LANG-3", "A11Y-1", "DATA-3", "LIMIT-1", "LIMIT-2", "LIMIT-3", "LIMIT-4"}
)
# Refused by review.submission_problems with its own message: the gate does not say it twice.
REPORTED_BY_PUBLISHING = frozenset({"LANG-1", "A11Y-1", "DATA-3", "LIMIT-3"})
# States in which a block may still be overridden: before anything went out.
OVERRIDABLE_STATES = (
    PostState.DRAFT,
    PostState.REJECTED,
    PostState.IN_REVIEW,
    PostState.APPROVED,
    PostState.SCHEDULED,
)


def needs_second_approver(rule: str) -> bool:
    """Election rules: an override counts only once a second approver confirms it (ELEC-2)."""
    return rule.startswith("ELEC-")


# Building the input


def _part_text(part) -> str:
    # Parts are stored as strings; older rows may hold {"text": ...}.
    return part if isinstance(part, str) else part.get("text", "")


def _media_input(media: Media) -> MediaInput:
    return MediaInput(
        kind=media.kind,
        description=media.description,
        has_captions=bool(media.captions),
        shows_minors=media.shows_minors,
        consent_recorded=media.consent_recorded,
        size=media.size,
        mime=media.mime,
    )


def _variant_input(channel, language: str, parts: Iterable, media_count: int) -> VariantInput:
    connector = channel.get_connector()
    return VariantInput(
        channel=channel.name,
        language=language,
        parts=tuple(_part_text(part) for part in parts),
        limits=connector.limits,
        # The dispatcher attaches every file of the post where the network takes media.
        media=tuple(range(media_count)) if connector.capabilities.media else (),
    )


def _check_input(
    organisation,
    *,
    texts: Mapping[str, str],
    variants: list[VariantInput],
    media: list[MediaInput],
    category: str,
    scheduled_at: datetime | None,
    now: datetime | None,
    machine_translated: frozenset[str],
) -> CheckInput:
    context = check_context(organisation)
    return CheckInput(
        texts=dict(texts),
        variants=tuple(variants),
        media=tuple(media),
        category=CATEGORIES.get(category, ""),
        scheduled_at=scheduled_at,
        now=now or timezone.now(),
        policy=context.policy,
        territory=context.territory,
        settings=context.settings,
        calendar=context.calendar,
        machine_translated=machine_translated,
    )


def input_for_post(post: Post, *, when: datetime | None = None, now: datetime | None = None) -> CheckInput:
    """The saved post as the checks see it: ``when`` (else its scheduled time) decides the
    election phase; ``now`` defaults to the present."""
    texts = list(post.texts.all())
    media = [_media_input(item) for item in post.media.all()]
    variants = [
        _variant_input(variant.channel, variant.language, variant.parts, len(media))
        for variant in post.variants.filter(channel__in=post.channels.all())
        .select_related("channel")
        .order_by("channel__name", "language")
    ]
    return _check_input(
        post.organisation,
        texts={text.language: text.body.strip() for text in texts},
        variants=variants,
        media=media,
        category=post.category,
        scheduled_at=when or post.scheduled_at,
        now=now,
        machine_translated=frozenset(text.language for text in texts if text.machine_translated),
    )


def input_for_draft(
    organisation,
    *,
    texts: Mapping[str, str],
    channels: Iterable,
    category: str,
    post: Post | None = None,
    now: datetime | None = None,
) -> CheckInput:
    """The composer's unsaved content as the checks see it, for the live panel.

    Each channel gets the automatic adaptation of each text, except versions a person edited
    by hand on the saved ``post``, which go out as edited. Media, the scheduled time and the
    machine-translation marks come from ``post`` (a text changed in the form is no longer the
    machine's draft).
    """
    texts = {language: body.strip() for language, body in texts.items() if body.strip()}
    media = [_media_input(item) for item in post.media.all()] if post else []
    edited = {}
    machine_translated = frozenset()
    if post is not None:
        edited = {(v.channel_id, v.language): v.parts for v in post.variants.filter(edited=True)}
        machine_translated = frozenset(
            text.language
            for text in post.texts.filter(machine_translated=True)
            if texts.get(text.language) == text.body.strip()
        )
    variants = []
    for channel in channels:
        connector = channel.get_connector()
        for language, body in texts.items():
            parts = edited.get((channel.pk, language))
            if parts is None:
                try:
                    parts = adapt(body, connector.limits, connector.capabilities)
                except AdaptationError:
                    # The preview says why it does not fit; there is nothing to check on it.
                    parts = []
            variants.append(_variant_input(channel, language, parts, len(media)))
    return _check_input(
        organisation,
        texts=texts,
        variants=variants,
        media=media,
        category=category,
        scheduled_at=post.scheduled_at if post else None,
        now=now,
        machine_translated=machine_translated,
    )


# Grouping findings into issues


def _contents(check_input: CheckInput) -> dict[str | None, str]:
    """Per language, the text and every channel version of it; ``None``: everything."""
    by_language: dict[str | None, list[str]] = {
        language: [text] for language, text in sorted(check_input.texts.items())
    }
    for variant in sorted(check_input.variants, key=lambda v: (v.channel, v.language)):
        by_language.setdefault(variant.language, []).extend(variant.parts)
    contents: dict[str | None, str] = {
        language: "\x1e".join(items) for language, items in by_language.items()
    }
    contents[None] = "\x1d".join(f"{language}\x1f{body}" for language, body in contents.items())
    return contents


def fingerprint(finding: Finding, contents: Mapping[str | None, str]) -> str:
    """What identifies ``finding`` across runs and languages of the interface (see module doc)."""
    payload = [
        finding.rule,
        finding.source,
        finding.language,
        list(finding.evidence),
        contents.get(finding.language, ""),
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Place:
    """Where one finding of an issue points: ``text`` is the string ``span`` indexes."""

    channel: str | None
    part: int | None
    span: tuple[int, int] | None
    text: str


@dataclass(slots=True)
class Issue:
    """One problem: the findings with one fingerprint and message, and its override, if any."""

    number: int
    fingerprint: str
    rule: str
    severity: str
    message: str
    source: str
    language: str | None
    evidence: tuple[str, ...]
    places: list[Place] = field(default_factory=list)
    override: CheckOverride | None = None

    @property
    def overridable(self) -> bool:
        return self.severity == "block" and self.rule not in NOT_OVERRIDABLE

    @property
    def needs_second_approver(self) -> bool:
        return needs_second_approver(self.rule)

    @property
    def overridden(self) -> bool:
        return self.override is not None and self.override.in_force

    @property
    def blocks(self) -> bool:
        return self.severity == "block" and not self.overridden

    @property
    def where(self) -> list[tuple[str, int | None]]:
        """The channel versions concerned, as (channel, part number from 1 or None), once each."""
        seen: list[tuple[str, int | None]] = []
        for place in self.places:
            if place.channel is not None:
                item = (place.channel, None if place.part is None else place.part + 1)
                if item not in seen:
                    seen.append(item)
        return seen

    def describe(self) -> str:
        """The issue in one sentence for a refusal: rule, message and source."""
        return _("%(rule)s: %(message)s Source: %(source)s.") % {
            "rule": self.rule,
            "message": self.message,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Mark:
    """A stretch of a displayed text that findings concern, and the issues they belong to."""

    start: int
    end: int
    issues: tuple[Issue, ...]


@dataclass(slots=True)
class Report:
    issues: list[Issue]
    # The instant the checks judged the post at (its scheduled time, or when they ran).
    when: datetime | None = None

    def blocking(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.blocks]

    def gate(self) -> list[Issue]:
        """What stops the post: blocks no override covers, except those publishing reports
        itself (:data:`REPORTED_BY_PUBLISHING`)."""
        return [issue for issue in self.blocking() if issue.rule not in REPORTED_BY_PUBLISHING]

    def refusals(self) -> list[str]:
        """:meth:`gate` as sentences for a refusal."""
        return [issue.describe() for issue in self.gate()]

    def count(self, severity: str) -> int:
        return sum(issue.severity == severity for issue in self.issues)

    def marks(self, text: str, language: str | None) -> list[Mark]:
        """The stretches of ``text`` (a text or a channel part in ``language``) to highlight.

        Overlapping spans merge into one mark carrying every issue concerned.
        """
        spans = sorted(
            (
                (place.span, issue)
                for issue in self.issues
                if issue.language == language
                for place in issue.places
                if place.span is not None and place.text == text and place.span[0] < place.span[1]
            ),
            key=lambda item: item[0],
        )
        marks: list[Mark] = []
        for (start, end), issue in spans:
            if marks and start < marks[-1].end:
                last = marks[-1]
                issues = last.issues if issue in last.issues else (*last.issues, issue)
                marks[-1] = Mark(last.start, max(last.end, end), issues)
            else:
                marks.append(Mark(start, end, (issue,)))
        return marks


def _place(finding: Finding, check_input: CheckInput, parts: Mapping[tuple[str, str], tuple]) -> Place:
    if finding.channel is None:
        text = check_input.texts.get(finding.language or "", "")
    else:
        variant_parts = parts.get((finding.channel, finding.language or ""), ())
        index = finding.part if finding.part is not None else -1
        text = variant_parts[index] if 0 <= index < len(variant_parts) else ""
    return Place(finding.channel, finding.part, finding.span, text)


def build_report(
    findings: list[Finding], check_input: CheckInput, overrides: Iterable[CheckOverride] = ()
) -> Report:
    """Group ``findings`` (in the engine's order) into issues and attach their overrides."""
    contents = _contents(check_input)
    parts = {(v.channel, v.language): v.parts for v in check_input.variants}
    by_fingerprint = {override.fingerprint: override for override in overrides}
    issues: dict[tuple[str, str], Issue] = {}
    for finding in findings:
        key = fingerprint(finding, contents)
        issue = issues.get((key, finding.message))
        if issue is None:
            issue = issues[(key, finding.message)] = Issue(
                number=len(issues) + 1,
                fingerprint=key,
                rule=finding.rule,
                severity=finding.severity,
                message=finding.message,
                source=finding.source,
                language=finding.language,
                evidence=finding.evidence,
                override=by_fingerprint.get(key),
            )
        issue.places.append(_place(finding, check_input, parts))
    return Report(list(issues.values()), when=check_input.when)


def report_for_post(post: Post, *, when: datetime | None = None, now: datetime | None = None) -> Report:
    """The checks of the saved ``post`` at ``when`` (else its scheduled time, else now)."""
    check_input = input_for_post(post, when=when, now=now)
    return build_report(run_checks(check_input), check_input, post.check_overrides.all())


def report_for_draft(
    organisation,
    *,
    texts: Mapping[str, str],
    channels: Iterable,
    category: str,
    post: Post | None = None,
    now: datetime | None = None,
) -> Report:
    """The checks of the composer's unsaved content (see :func:`input_for_draft`)."""
    check_input = input_for_draft(
        organisation, texts=texts, channels=channels, category=category, post=post, now=now
    )
    overrides = post.check_overrides.all() if post is not None else ()
    return build_report(run_checks(check_input), check_input, overrides)


def find_issue(report: Report, fingerprint_: str) -> Issue | None:
    return next((issue for issue in report.issues if issue.fingerprint == fingerprint_), None)
