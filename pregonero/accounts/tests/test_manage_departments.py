from __future__ import annotations

from django.urls import reverse

from pregonero.accounts.models import Department
from pregonero.audit.models import AuditEntry


def departments_url(organisation) -> str:
    return reverse("manage:departments", args=[organisation.slug])


def test_every_member_sees_the_list(client_for, vera, vilanova, urbanismo):
    response = client_for(vera).get(departments_url(vilanova))
    assert response.status_code == 200
    assert list(response.context["departments"]) == [urbanismo]


def test_non_admins_get_no_creation_form(client_for, ana, vilanova):
    response = client_for(ana).get(departments_url(vilanova))
    assert response.context["form"] is None
    assert "new-department-heading" not in response.text


def test_an_admin_creates_a_department(client_for, alba, vilanova):
    response = client_for(alba).post(
        departments_url(vilanova), {"name": "Festes", "email": "festes@v.example"}
    )
    assert response.status_code == 302
    assert Department.objects.get(organisation=vilanova, name="Festes").email == "festes@v.example"


def test_creating_a_department_is_audited(client_for, alba, vilanova):
    client_for(alba).post(departments_url(vilanova), {"name": "Festes"})
    entry = AuditEntry.objects.get(action="department.created")
    assert (entry.organisation, entry.actor) == (vilanova, alba)


def test_a_duplicate_name_is_a_field_error(client_for, alba, vilanova, urbanismo):
    response = client_for(alba).post(departments_url(vilanova), {"name": "urbanismo"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert 'aria-invalid="true"' in response.text


def test_with_htmx_only_the_panel_comes_back(client_for, alba, vilanova):
    response = client_for(alba).post(
        departments_url(vilanova), {"name": "Festes"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.startswith('<div id="departments-panel">')
    assert "Festes" in response.text
    assert "<html" not in response.text


def test_an_admin_edits_and_deactivates_a_department(client_for, alba, vilanova, urbanismo):
    url = reverse("manage:department_edit", args=[vilanova.slug, urbanismo.pk])
    response = client_for(alba).post(url, {"name": "Urbanisme", "email": ""})
    assert response.status_code == 302
    urbanismo.refresh_from_db()
    assert (urbanismo.name, urbanismo.is_active) == ("Urbanisme", False)


def test_a_non_admin_cannot_edit_a_department(client_for, pau, vilanova, urbanismo):
    url = reverse("manage:department_edit", args=[vilanova.slug, urbanismo.pk])
    assert client_for(pau).get(url).status_code == 403
