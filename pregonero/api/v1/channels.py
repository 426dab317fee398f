"""Channels and their health (read)."""

from __future__ import annotations

from ninja import Path, Query, Router
from pydantic import Field

from pregonero.accounts.scoping import object_in
from pregonero.api import pagination
from pregonero.api.access import reach
from pregonero.api.models import Resource
from pregonero.api.schemas import ChannelOut, ChannelPage, HealthCode
from pregonero.api.v1 import ID, answers
from pregonero.channels.models import Channel

router = Router()


class ChannelFilters(pagination.PageParams):
    health: HealthCode | None = Field(None, description="Only channels in this health.")
    is_active: bool | None = None


@router.get(
    "/{organisation}/channels", response=answers(s200=ChannelPage), summary="Channels with their health"
)
def list_channels(request, organisation: str, filters: Query[ChannelFilters]):
    found = reach(request, organisation, Resource.CHANNELS)
    queryset = Channel.objects.filter(organisation=found)
    if filters.health:
        queryset = queryset.filter(health=filters.health)
    if filters.is_active is not None:
        queryset = queryset.filter(is_active=filters.is_active)
    rows, following = pagination.page(queryset, filters.cursor, filters.limit, newest_first=False)
    return ChannelPage(items=[ChannelOut.of(row) for row in rows], next_cursor=following)


@router.get("/{organisation}/channels/{channel_id}", response=answers(s200=ChannelOut), summary="One channel")
def get_channel(request, organisation: str, channel_id: int = Path(..., **ID)):
    found = reach(request, organisation, Resource.CHANNELS)
    return ChannelOut.of(object_in(Channel.objects.all(), found, pk=channel_id))
