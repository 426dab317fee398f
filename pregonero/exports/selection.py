"""Which records an export holds: the records of a search, always within one organisation.

An export job keeps the search's parameters (not the records), and the background task asks
here for the queryset when it runs. When the archive's search service is installed its own
filtering is used, so an export holds exactly what the search page listed; otherwise the
plain filters below apply. Blocked records (DATA-5) are never exported.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from pregonero.accounts.models import Organisation
from pregonero.archive.models import ArchiveRecord
from pregonero.archive.search_text import fold
from pregonero.archive.services import visible_records


def _day(value, end: bool = False) -> datetime | None:
    if not value:
        return None
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def plain_filter(queryset: QuerySet[ArchiveRecord], parameters: Mapping) -> QuerySet[ArchiveRecord]:
    """Filters by text, kind, channel, direction, author, language, dates or explicit numbers."""
    if parameters.get("q"):
        for word in fold(str(parameters["q"])).split():
            queryset = queryset.filter(search_text__contains=word)
    if parameters.get("seqs"):
        queryset = queryset.filter(seq__in=[int(seq) for seq in parameters["seqs"]])
    kinds = parameters.get("kind")
    if kinds:
        queryset = queryset.filter(kind__in=[kinds] if isinstance(kinds, str) else list(kinds))
    if parameters.get("channel"):
        queryset = queryset.filter(channel_ref=int(parameters["channel"]))
    if parameters.get("direction"):
        queryset = queryset.filter(direction=parameters["direction"])
    if parameters.get("author"):
        queryset = queryset.filter(author__icontains=parameters["author"])
    if parameters.get("language"):
        queryset = queryset.filter(language=parameters["language"])
    if parameters.get("department"):
        queryset = queryset.filter(department_ref=int(parameters["department"]))
    start, end = _day(parameters.get("date_from")), _day(parameters.get("date_to"), end=True)
    if start:
        queryset = queryset.filter(captured_at__gte=start)
    if end:
        queryset = queryset.filter(captured_at__lte=end)
    return queryset


def _search_filter():
    """The archive search page's own parsing and filtering (pregonero.archive.search), so an
    export holds exactly the records the search listed; None when that module is absent."""
    try:
        search = importlib.import_module("pregonero.archive.search")
        forms = importlib.import_module("pregonero.archive.search_forms")
    except ImportError:
        return None

    def records(organisation: Organisation, parameters: Mapping) -> QuerySet[ArchiveRecord]:
        form = forms.ArchiveSearchForm(
            {k: v for k, v in parameters.items() if k != "seqs"}, organisation=organisation
        )
        if not form.is_valid():
            raise ValueError(f"Invalid search parameters: {form.errors.as_json()}")
        queryset = search.search(organisation, form.cleaned_data.get("q") or "", form.filters())
        if parameters.get("seqs"):
            queryset = queryset.filter(seq__in=[int(seq) for seq in parameters["seqs"]])
        return queryset

    return records


def records_for(organisation: Organisation, parameters: Mapping) -> QuerySet[ArchiveRecord]:
    """The organisation's visible records matching ``parameters``, in chain order."""
    base = visible_records(organisation)
    search = _search_filter()
    queryset = search(organisation, parameters) if search else plain_filter(base, parameters)
    # Whatever the search returns, only this organisation's visible records leave.
    return base.filter(pk__in=queryset.values("pk")).order_by("seq") if search else queryset.order_by("seq")
