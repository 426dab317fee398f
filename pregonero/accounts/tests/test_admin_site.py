"""The Django admin site stays usable for superusers with our own person model."""

import pytest
from django.urls import reverse

from pregonero.accounts.models import Person


@pytest.fixture
def root(db):
    return Person.objects.create_superuser("root@example.org", "a long root password", full_name="Root")


def test_a_superuser_can_add_a_person_in_the_admin_site(client, root):
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_person_add"),
        {
            "email": "new@example.org",
            "full_name": "New Person",
            "password1": "Xk2!long password",
            "password2": "Xk2!long password",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get(email="new@example.org").check_password("Xk2!long password")


@pytest.mark.parametrize("name", ["accounts_person", "accounts_organisation", "audit_auditentry"])
def test_the_admin_lists_render(client, root, name):
    client.force_login(root)
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_audit_entries_cannot_be_deleted_in_the_admin_site(client, root, vilanova):
    from pregonero.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(organisation=vilanova).first()
    client.force_login(root)
    assert client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
