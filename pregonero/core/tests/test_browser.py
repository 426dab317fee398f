"""End to end in headless Chromium: what a new administrator does on the first day."""

import pyotp
import pytest

from pregonero.accounts.models import Department, Membership, Person, TOTPDevice
from pregonero.accounts.roles import Role
from pregonero.conftest import PASSWORD, make_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def spanish_by_default(settings):
    settings.LANGUAGE_CODE = "es"


@pytest.fixture
def town_hall():
    return make_organisation(
        "vilanova-de-mar", "Ajuntament de Vilanova de Mar", official_languages=["ca", "es"],
        default_language="ca", require_two_factor=True,
    )  # fmt: skip


@pytest.fixture
def new_admin(town_hall):
    person = Person.objects.create_user("admin@vilanova.example", PASSWORD, full_name="Marta Admin")
    Membership.objects.create(person=person, organisation=town_hall, role=Role.ADMIN)
    return person


def authenticator_of(person) -> TOTPDevice:
    device = TOTPDevice.objects.create(person=person, secret=pyotp.random_base32())
    device.confirmed_at = device.created_at
    device.save()
    return device


def sign_in_with_password(page, email):
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


def sign_in_with_an_authenticator(visit, person, organisation) -> None:
    """Give ``person`` an authenticator and sign in with password and code, landing on ``organisation``."""
    device = authenticator_of(person)
    page = visit.go("/accounts/login/")
    sign_in_with_password(page, person.email)
    page.wait_for_url("**/accounts/login/verify/")
    page.fill("input[name=code]", pyotp.TOTP(device.secret).now())
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/o/{organisation.slug}/")


def test_a_new_admin_sets_up_two_factor_switches_language_and_creates_a_department(
    visit, town_hall, new_admin
):
    page = visit.go("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert visit.accessibility_violations() == []
    sign_in_with_password(page, new_admin.email)

    # The organisation requires a second factor, so setting it up comes first.
    page.wait_for_url("**/accounts/two-factor/")
    assert visit.accessibility_violations() == []
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("main form button[type=submit]")
    codes = page.locator("ul.codes li")
    codes.first.wait_for()
    assert codes.count() == 10
    page.click("main a.button")
    page.wait_for_url(f"**/o/{town_hall.slug}/")
    assert page.locator("h1").inner_text() == town_hall.name

    page = visit.go("/accounts/profile/")
    page.select_option("select[name=language]", "en")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert Person.objects.get(pk=new_admin.pk).language == "en"

    page = visit.go(f"/o/{town_hall.slug}/departments/")
    page.fill("input[name=name]", "Urbanisme i Habitatge")
    page.click("form[hx-post] button[type=submit]")
    page.locator("#departments-panel th[scope=row]", has_text="Urbanisme i Habitatge").wait_for()
    assert Department.objects.filter(organisation=town_hall, name="Urbanisme i Habitatge").exists()
    assert visit.accessibility_violations() == []
    visit.screenshot("new-admin-created-a-department")

    page = visit.go(f"/o/{town_hall.slug}/audit/")
    assert page.locator("td", has_text="Department created").count() >= 1
    assert visit.foreign_requests == []


def test_a_person_with_an_authenticator_signs_in_with_a_code(visit, town_hall, new_admin):
    device = authenticator_of(new_admin)
    page = visit.go("/accounts/login/")
    sign_in_with_password(page, new_admin.email)
    page.wait_for_url("**/accounts/login/verify/")
    assert visit.accessibility_violations() == []
    page.fill("input[name=code]", pyotp.TOTP(device.secret).now())
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/o/{town_hall.slug}/")
    assert page.get_by_role("status").first.is_visible()
    visit.screenshot("signed-in-with-two-factor")
    assert visit.foreign_requests == []


def test_a_wrong_code_keeps_the_person_out(visit, town_hall, new_admin):
    device = authenticator_of(new_admin)
    page = visit.go("/accounts/login/")
    sign_in_with_password(page, new_admin.email)
    page.wait_for_url("**/accounts/login/verify/")
    code = pyotp.TOTP(device.secret).now()
    page.fill("input[name=code]", f"{(int(code) + 1) % 1_000_000:06d}")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("input[name=code][aria-invalid=true]").count() == 1
    assert visit.go(f"/o/{town_hall.slug}/").url.endswith(f"/accounts/login/?next=/o/{town_hall.slug}/")


def test_the_accessibility_audit_reports_a_field_without_label(visit):
    """The harness itself: axe-core really runs and reports what it finds."""
    visit.page.set_content(
        "<!DOCTYPE html><html lang='es'><title>t</title><main><input type='text'></main></html>"
    )
    assert any(violation.startswith("label:") for violation in visit.accessibility_violations())


@pytest.mark.parametrize(
    "path",
    [
        "/o/{slug}/",
        "/o/{slug}/departments/",
        "/o/{slug}/members/",
        "/o/{slug}/organisations/",
        "/o/{slug}/settings/",
        "/o/{slug}/audit/",
        "/accounts/profile/",
        "/accounts/password/change/",
        "/accounts/two-factor/recovery-codes/",
    ],
)
def test_every_administration_page_passes_the_wcag_audit(visit, town_hall, new_admin, path):
    sign_in_with_an_authenticator(visit, new_admin, town_hall)
    visit.go(path.format(slug=town_hall.slug))
    assert visit.accessibility_violations() == []
    assert visit.foreign_requests == []
