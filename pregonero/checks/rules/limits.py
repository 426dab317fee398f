"""LIMIT: what each network refuses, from the limits its connector declares.

These are not laws but facts of each network: a post over them fails at publication, so they
block. LIMIT-1 length as the network counts it, LIMIT-2 media count, LIMIT-3 media size and
type, LIMIT-4 thread length.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from pregonero.checks.model import CheckInput, Finding, VariantInput
from pregonero.text.length import count


def _source(variant: VariantInput) -> str:
    return f"Límites de la red ({variant.channel})"


def network_limits(ci: CheckInput) -> list[Finding]:
    """LIMIT-1..4 (block) for every variant."""
    findings = []
    for variant in ci.variants:
        findings += _length(variant)
        findings += _media(ci, variant)
    return findings


def _length(variant: VariantInput) -> list[Finding]:
    limits = variant.limits
    findings = []
    if len(variant.parts) > limits.max_thread:
        findings.append(
            Finding(
                "LIMIT-4",
                "block",
                _("%(count)d parts; %(channel)s allows threads of %(max)d at most.")
                % {"count": len(variant.parts), "channel": variant.channel, "max": limits.max_thread},
                _source(variant),
                variant.language,
                variant.channel,
            )
        )
    if limits.max_length is None:
        return findings
    for index, part in enumerate(variant.parts):
        length = count(part, limits.length_method, url_length=limits.url_length)  # type: ignore[arg-type]
        if length > limits.max_length:
            findings.append(
                Finding(
                    "LIMIT-1",
                    "block",
                    _("%(length)d characters as %(channel)s counts them; the limit is %(max)d.")
                    % {"length": length, "channel": variant.channel, "max": limits.max_length},
                    _source(variant),
                    variant.language,
                    variant.channel,
                    index,
                    (0, len(part)),
                    (f"{length}/{limits.max_length}",),
                )
            )
    return findings


def _media(ci: CheckInput, variant: VariantInput) -> list[Finding]:
    limits = variant.limits
    where = (_source(variant), variant.language, variant.channel)
    findings = []
    if len(variant.media) > limits.max_media:
        findings.append(
            Finding(
                "LIMIT-2",
                "block",
                _("%(count)d media attached; %(channel)s takes %(max)d at most.")
                % {"count": len(variant.media), "channel": variant.channel, "max": limits.max_media},
                *where,
            )
        )
    for index in variant.media:
        media = ci.media[index]
        is_video = media.kind == "video"
        max_bytes = limits.max_video_bytes if is_video else limits.max_image_bytes
        types = limits.video_types if is_video else limits.image_types
        number = index + 1
        if max_bytes is not None and media.size > max_bytes:
            findings.append(
                Finding(
                    "LIMIT-3",
                    "block",
                    _("Media %(n)d weighs %(size).1f MB; %(channel)s takes %(max).1f MB at most.")
                    % {
                        "n": number,
                        "size": media.size / 1e6,
                        "channel": variant.channel,
                        "max": max_bytes / 1e6,
                    },
                    *where,
                )
            )
        if types and media.mime and media.mime not in types:
            findings.append(
                Finding(
                    "LIMIT-3",
                    "block",
                    _("Media %(n)d is %(mime)s, which %(channel)s does not take.")
                    % {"n": number, "mime": media.mime, "channel": variant.channel},
                    *where,
                )
            )
    return findings
