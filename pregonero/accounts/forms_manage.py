"""Forms of the management screens. They parse and validate input; services apply it."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES, Department, Organisation, OrganisationKind
from pregonero.accounts.roles import Role

# ISO 3166-2:ES codes of the autonomous communities and the two autonomous cities.
REGION_CHOICES = [
    ("", _("— none —")),
    ("ES-AN", _("Andalusia")),
    ("ES-AR", _("Aragon")),
    ("ES-AS", _("Asturias")),
    ("ES-IB", _("Balearic Islands")),
    ("ES-PV", _("Basque Country")),
    ("ES-CN", _("Canary Islands")),
    ("ES-CB", _("Cantabria")),
    ("ES-CL", _("Castile and León")),
    ("ES-CM", _("Castilla–La Mancha")),
    ("ES-CT", _("Catalonia")),
    ("ES-CE", _("Ceuta")),
    ("ES-EX", _("Extremadura")),
    ("ES-GA", _("Galicia")),
    ("ES-RI", _("La Rioja")),
    ("ES-MD", _("Community of Madrid")),
    ("ES-ML", _("Melilla")),
    ("ES-MC", _("Region of Murcia")),
    ("ES-NC", _("Navarre")),
    ("ES-VC", _("Valencian Community")),
]

# Spain's own zones first: they are what almost every organisation needs.
SPANISH_TIME_ZONES = ["Europe/Madrid", "Atlantic/Canary"]


def time_zone_choices() -> list[tuple[str, str]]:
    others = sorted(
        name
        for name in zoneinfo.available_timezones()
        if name not in SPANISH_TIME_ZONES and not name.startswith(("posix/", "right/", "SystemV/"))
    )
    return [(name, name) for name in [*SPANISH_TIME_ZONES, *others]]


province_code_validator = RegexValidator(r"^\d{2}$", _("Enter the two digits of the INE province code."))
municipality_code_validator = RegexValidator(
    r"^\d{5}$", _("Enter the five digits of the INE municipality code.")
)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form, next to the field it names when it has one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


class OrganisationSettingsForm(forms.Form):
    """What an admin may change about their organisation. The parent is not changed here."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    default_language = forms.ChoiceField(label=_("Default language"), choices=LANGUAGE_CHOICES)
    official_languages = forms.MultipleChoiceField(
        label=_("Official languages"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Posts are written in these languages."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))
    region = forms.ChoiceField(label=_("Autonomous community"), choices=REGION_CHOICES, required=False)
    province_code = forms.CharField(
        label=_("Province code"),
        max_length=2,
        required=False,
        validators=[province_code_validator],
        help_text=_("INE code, two digits, e.g. 46."),
    )
    municipality_code = forms.CharField(
        label=_("Municipality code"),
        max_length=5,
        required=False,
        validators=[municipality_code_validator],
        help_text=_("INE code, five digits, e.g. 46250."),
    )
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication"),
        required=False,
        help_text=_("Every member must use a second factor to sign in (ENS op.acc.6)."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()

    def clean(self) -> dict:
        cleaned = super().clean()
        default = cleaned.get("default_language")
        official = cleaned.get("official_languages")
        if default and official and default not in official:
            self.add_error(
                "default_language", _("The default language must be one of the official languages.")
            )
        province = cleaned.get("province_code")
        municipality = cleaned.get("municipality_code")
        # INE municipality codes begin with the code of their province.
        if province and municipality and not municipality.startswith(province):
            self.add_error("municipality_code", _("The municipality code must begin with the province code."))
        return cleaned

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict:
        return {name: getattr(organisation, name) for name in cls.base_fields}


class SubOrganisationForm(OrganisationSettingsForm):
    """A new organisation below the current one."""

    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Used in addresses: lowercase letters, digits and hyphens."),
    )
    field_order = ["name", "slug"]


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Contact e-mail"), required=False)


class DepartmentEditForm(DepartmentForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Inactive departments are kept for the record but no longer offered."),
    )


class _DepartmentsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    departments = _DepartmentsField(
        label=_("Departments"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Contributors work on drafts for these departments."),
    )

    def __init__(self, *args, organisation: Organisation, current: list[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only this organisation's departments can be chosen, so an id from elsewhere is invalid.
        # Inactive ones stay on offer where already held, or saving would silently drop them.
        self.fields["departments"].queryset = Department.objects.filter(
            Q(is_active=True) | Q(pk__in=current or []), organisation=organisation
        )


class InviteForm(MembershipForm):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        help_text=_("Needed only for people who have no account yet: they will receive an invitation."),
    )
    field_order = ["email", "full_name", "role", "departments"]


class RemoveMembershipForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, remove this person from the organisation"), required=True)
