from pregonero.accounts.scoping import accessible_organisations


def navigation(request) -> dict:
    """The organisations a signed-in person can switch between, for the header."""
    person = getattr(request, "user", None)
    if person is None or not person.is_authenticated:
        return {}
    return {"my_organisations": accessible_organisations(person)}
