"""Human-readable names of audit actions.

Entries store a stable action code ("department.created") that scripts and the CSV
export rely on; people read the translated label. An action missing here is shown
by its code, so a new action is never hidden.
"""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "audit.exported": _("Audit log exported"),
    "channel.connected": _("Channel account connected"),
    "channel.created": _("Channel added"),
    "channel.disconnected": _("Channel account disconnected"),
    "channel.health_changed": _("Channel health changed"),
    "channel.reconnected": _("Channel account reconnected"),
    "channel.updated": _("Channel settings changed"),
    "department.created": _("Department created"),
    "department.updated": _("Department changed"),
    "encryption.keys_rotated": _("Encryption keys rotated"),
    "login.failed": _("Sign-in failed"),
    "login.succeeded": _("Signed in"),
    "login.throttled": _("Sign-in refused: too many attempts"),
    "logout": _("Signed out"),
    "membership.changed": _("Member's role changed"),
    "membership.created": _("Member added"),
    "membership.removed": _("Member removed"),
    "news_item.withdrawn": _("News item withdrawn"),
    "organisation.created": _("Organisation created"),
    "organisation.updated": _("Organisation settings changed"),
    "password.changed": _("Password changed"),
    "password.reset_completed": _("Password reset"),
    "password.reset_requested": _("Password reset requested"),
    "person.created": _("Person created"),
    "person.invited": _("Person invited"),
    "person.password_set": _("Password set by an administrator"),
    "person.updated": _("Profile changed"),
    "post.approved": _("Post approved"),
    "post.autosaved": _("Post autosaved"),
    "post.check_override_confirmed": _("Override of a check confirmed by a second approver"),
    "post.check_override_requested": _("Override of a check requested"),
    "post.created": _("Post created"),
    "post.media_added": _("Media added to a post"),
    "post.media_changed": _("Post media changed"),
    "post.media_removed": _("Media removed from a post"),
    "post.publish_now": _("Post sent for immediate publication"),
    "post.rejected": _("Post rejected"),
    "post.saved": _("Post saved"),
    "post.scheduled": _("Post scheduled"),
    "post.submitted": _("Post submitted for review"),
    "post.translated": _("Post text drafted by machine translation"),
    "post.translation_confirmed": _("Machine translation confirmed by a person"),
    "post.variant_edited": _("Channel version edited"),
    "post.variants_regenerated": _("Channel versions regenerated"),
    "post.withdrawn": _("Post withdrawn"),
    "publication.cancelled": _("Publication cancelled"),
    "publication.failed": _("Publication failed"),
    "publication.marked_sent": _("Publication marked as published by a person"),
    "publication.retried": _("Publication sent again by a person"),
    "publication.sent": _("Published"),
    "publication.unknown": _("Publication outcome unknown"),
    "publishing.paused": _("Emergency pause: publications held"),
    "publishing.policy_changed": _("Publishing policy changed"),
    "publishing.resumed": _("Publishing resumed"),
    "session.expired": _("Session expired"),
    "subscriber.confirmed": _("Subscription confirmed"),
    "subscriber.requested": _("Subscription requested"),
    "subscriber.unsubscribed": _("Unsubscribed"),
    "two_factor.disabled": _("Two-factor authentication turned off"),
    "two_factor.enabled": _("Two-factor authentication turned on"),
    "two_factor.recovery_codes_regenerated": _("New recovery codes created"),
}


def label(action: str) -> str:
    return str(LABELS.get(action, action))
