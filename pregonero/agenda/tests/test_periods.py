"""Which days month, week and list pages show: weeks begin on Monday."""

from datetime import date

from pregonero.agenda.periods import LIST, MONTH, WEEK, add_months, period_for


def test_a_month_grid_runs_from_the_monday_before_the_first_to_the_sunday_after_the_last():
    period = period_for(MONTH, date(2026, 3, 17))
    assert period.start == date(2026, 2, 23)
    assert period.end == date(2026, 4, 5)
    assert all(len(week) == 7 and week[0].weekday() == 0 for week in period.weeks())
    assert (period.focus_start, period.focus_end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_a_month_that_begins_on_monday_starts_on_its_first_day():
    assert period_for(MONTH, date(2027, 2, 10)).start == date(2027, 2, 1)


def test_days_of_the_neighbouring_months_are_shown_but_not_in_focus():
    period = period_for(MONTH, date(2026, 3, 1))
    assert not period.in_focus(date(2026, 2, 28))
    assert period.in_focus(date(2026, 3, 31))


def test_a_week_is_monday_to_sunday_and_steps_by_seven_days():
    period = period_for(WEEK, date(2026, 1, 1))  # a Thursday
    assert (period.start, period.end) == (date(2025, 12, 29), date(2026, 1, 4))
    assert (period.previous, period.next) == (date(2025, 12, 22), date(2026, 1, 5))


def test_a_list_shows_the_days_of_its_month_only():
    period = period_for(LIST, date(2026, 2, 14))
    assert (period.start, period.end) == (date(2026, 2, 1), date(2026, 2, 28))


def test_previous_and_next_months_cross_the_year():
    period = period_for(MONTH, date(2026, 12, 31))
    assert (period.previous, period.next) == (date(2026, 11, 1), date(2027, 1, 1))
    assert add_months(date(2026, 1, 31), -1) == date(2025, 12, 1)
