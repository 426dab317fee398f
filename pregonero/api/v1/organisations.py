"""Organisations and departments (read)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import Query, Router
from pydantic import Field

from pregonero.accounts.models import Department
from pregonero.api import pagination
from pregonero.api.access import reach
from pregonero.api.models import Access, Resource
from pregonero.api.schemas import DepartmentOut, DepartmentPage, OrganisationOut, OrganisationPage
from pregonero.api.v1 import answers

router = Router()


@router.get("", response=answers(s200=OrganisationPage), summary="Organisations this token reaches")
def list_organisations(request, page: Query[pagination.PageParams]):
    """A token reaches exactly the organisation it was created in."""
    token = request.auth
    if not token.allows(Resource.ORGANISATION, Access.READ):
        raise PermissionDenied
    return OrganisationPage(items=[OrganisationOut.of(token.organisation)], next_cursor=None)


@router.get("/{organisation}", response=answers(s200=OrganisationOut), summary="One organisation")
def get_organisation(request, organisation: str):
    return OrganisationOut.of(reach(request, organisation, Resource.ORGANISATION))


class DepartmentFilters(pagination.PageParams):
    is_active: bool | None = Field(None, description="Only active (true) or inactive (false) departments.")


@router.get("/{organisation}/departments", response=answers(s200=DepartmentPage), summary="Departments")
def list_departments(request, organisation: str, filters: Query[DepartmentFilters]):
    found = reach(request, organisation, Resource.ORGANISATION)
    queryset = Department.objects.filter(organisation=found)
    if filters.is_active is not None:
        queryset = queryset.filter(is_active=filters.is_active)
    rows, following = pagination.page(queryset, filters.cursor, filters.limit, newest_first=False)
    return DepartmentPage(
        items=[
            DepartmentOut(id=row.pk, name=row.name, email=row.email, is_active=row.is_active) for row in rows
        ],
        next_cursor=following,
    )
