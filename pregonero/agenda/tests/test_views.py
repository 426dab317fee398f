"""Month, week and list pages: who sees them, what they show, on which local day."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pregonero.agenda.models import LocalHoliday
from pregonero.agenda.tests.conftest import AUTUMN, MADRID, NEXT_YEAR, at
from pregonero.publishing import scheduling
from pregonero.publishing.models import PostState

pytestmark = pytest.mark.django_db

PAGES = ["agenda:month", "agenda:week", "agenda:list"]


def page(client, name, organisation, day: date, **query):
    return client.get(reverse(name, args=[organisation.slug]), {"date": day.isoformat(), **query})


@pytest.mark.parametrize("name", PAGES)
def test_a_reader_sees_every_calendar_page(client_for, vera, vilanova, name):
    response = page(client_for(vera), name, vilanova, date(NEXT_YEAR, 6, 10))
    assert response.status_code == 200
    assert b"Editorial calendar" in response.content


@pytest.mark.parametrize("name", PAGES)
def test_an_admin_of_another_town_gets_404(client_for, oscar, vilanova, name):
    assert page(client_for(oscar), name, vilanova, date(NEXT_YEAR, 6, 10)).status_code == 404


def test_a_post_appears_on_its_local_day_linked_to_its_detail(client_for, vera, vilanova, scheduled):
    # 00:30 in Madrid on 11 June is 22:30 UTC on 10 June: the calendar shows the 11th.
    post = scheduled(at(date(NEXT_YEAR, 6, 11), 0, 30), title="Concierto en la plaza")
    response = page(client_for(vera), "agenda:list", vilanova, date(NEXT_YEAR, 6, 1))
    html = response.content.decode()
    detail = reverse("publishing:detail", args=[vilanova.slug, post.pk])
    assert f'href="{detail}"' in html
    day_section = html.split(f'id="day-{NEXT_YEAR}-06-11"')[1].split("</section>")[0]
    assert "Concierto en la plaza" in day_section
    assert f'datetime="{NEXT_YEAR}-06-11T00:30:00+02:00"' in day_section


def test_the_month_grid_starts_on_monday_and_marks_holidays(client_for, vera, vilanova):
    LocalHoliday.objects.create(organisation=vilanova, date=date(NEXT_YEAR, 10, 20), name="Fira de Tardor")
    html = page(client_for(vera), "agenda:month", vilanova, date(NEXT_YEAR, 10, 1)).content.decode()
    headers = html.split("<thead>")[1].split("</thead>")[0]
    assert headers.index("Monday") < headers.index("Sunday")
    assert "Fira de Tardor" in html
    assert "Local holiday" in html
    assert "Regional holiday" in html  # 9 October, Valencian Community
    assert "National holiday" in html  # 12 October


def test_draft_with_a_planned_time_shows_and_withdrawn_posts_do_not(
    client_for, vera, vilanova, make_post, ana
):
    draft = make_post(ana, title="Borrador con hora")
    gone = make_post(ana, title="Retirado")
    when = datetime(NEXT_YEAR, 6, 12, 10, tzinfo=MADRID)
    for post in (draft, gone):
        post.scheduled_at = when
        post.save()
    gone.state = PostState.WITHDRAWN
    gone.save()
    html = page(client_for(vera), "agenda:month", vilanova, date(NEXT_YEAR, 6, 1)).content.decode()
    assert "Borrador con hora" in html
    assert "Retirado" not in html
    only_withdrawn = page(
        client_for(vera), "agenda:month", vilanova, date(NEXT_YEAR, 6, 1), state="withdrawn"
    )
    assert "Retirado" in only_withdrawn.content.decode()


def test_filters_keep_only_the_matching_posts(client_for, vera, vilanova, scheduled, plain, threads):
    scheduled(at(date(NEXT_YEAR, 6, 15), 10), title="En el hilo", tags=["fiestas"])
    scheduled(at(date(NEXT_YEAR, 6, 16), 10), title="En el plano", channels=[plain])
    client = client_for(vera)
    by_channel = page(
        client, "agenda:month", vilanova, date(NEXT_YEAR, 6, 1), channel=plain.pk
    ).content.decode()
    assert "En el plano" in by_channel and "En el hilo" not in by_channel
    by_tag = page(client, "agenda:month", vilanova, date(NEXT_YEAR, 6, 1), tag="fiestas").content.decode()
    assert "En el hilo" in by_tag and "En el plano" not in by_tag


def test_navigation_links_keep_the_filters_and_step_a_month(client_for, vera, vilanova, threads):
    html = page(
        client_for(vera), "agenda:month", vilanova, date(NEXT_YEAR, 1, 15), channel=threads.pk
    ).content
    html = html.decode()
    assert f"channel={threads.pk}&amp;date={NEXT_YEAR - 1}-12-01" in html
    assert f"channel={threads.pk}&amp;date={NEXT_YEAR}-02-01" in html


def test_a_reader_sees_no_move_controls_and_an_editor_does(client_for, vera, ana, vilanova, scheduled):
    post = scheduled(at(date(NEXT_YEAR, 6, 15), 10))
    move = reverse("agenda:move", args=[vilanova.slug, post.pk])
    as_reader = page(client_for(vera), "agenda:month", vilanova, date(NEXT_YEAR, 6, 1)).content.decode()
    assert move not in as_reader
    as_editor = page(client_for(ana), "agenda:month", vilanova, date(NEXT_YEAR, 6, 1)).content.decode()
    assert f'data-move-url="{move}"' in as_editor


def test_the_organisation_navigation_links_the_calendar(client_for, vera, vilanova):
    response = client_for(vera).get(reverse("publishing:list", args=[vilanova.slug]))
    assert reverse("agenda:month", args=[vilanova.slug]).encode() in response.content


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "not-a-date"])
def test_an_unusable_date_shows_the_current_month(client_for, vera, vilanova, value):
    response = client_for(vera).get(reverse("agenda:month", args=[vilanova.slug]), {"date": value})
    assert response.status_code == 200
    assert response.context["period"].in_focus(timezone.now().astimezone(MADRID).date())


def test_both_half_past_twos_of_the_night_clocks_go_back_show_on_that_day(
    client_for, vera, vilanova, approved, ana
):
    first = scheduling.schedule(approved(title="Primera"), actor=ana, local=at(AUTUMN, 2, 30), fold=0)
    second = scheduling.schedule(approved(title="Segunda"), actor=ana, local=at(AUTUMN, 2, 30), fold=1)
    assert second.scheduled_at - first.scheduled_at == timedelta(hours=1)
    html = page(client_for(vera), "agenda:list", vilanova, AUTUMN).content.decode()
    day = html.split(f'id="day-{AUTUMN.isoformat()}"')[1].split("</section>")[0]
    assert f'datetime="{AUTUMN.isoformat()}T02:30:00+02:00"' in day
    assert f'datetime="{AUTUMN.isoformat()}T02:30:00+01:00"' in day
    assert day.index("Primera") < day.index("Segunda")
