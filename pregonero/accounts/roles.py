"""Roles a person can hold in an organisation, from least to most powerful."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    READER = "reader", _("Reader")
    CONTRIBUTOR = "contributor", _("Contributor")
    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Approver")
    ADMIN = "admin", _("Administrator")

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: "Role") -> bool:
        return self.rank >= Role(other).rank


_RANK = {role: index for index, role in enumerate(Role)}

# Who may read the audit log of an organisation (RULES.md GOV-3).
AUDITOR_ROLES = frozenset({Role.APPROVER, Role.ADMIN})
