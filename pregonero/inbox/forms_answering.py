"""Forms for answering: the reply editor with its saved-reply picker, saved replies, and the
organisation's answering settings (approval, DATA-4 notice)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pregonero.accounts.models import LANGUAGE_CHOICES, Department
from pregonero.accounts.roles import Role
from pregonero.inbox import notice, saved_replies
from pregonero.inbox.forms import ReplyForm
from pregonero.inbox.variables import REPLY_VARIABLES, braced, variables_in

_LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


class ReplyEditorForm(ReplyForm):
    """The reply form, remembering the newest message seen and offering saved replies."""

    seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    saved_search = forms.CharField(label=_("Find a saved reply"), required=False, max_length=200)
    saved_reply = forms.TypedChoiceField(label=_("Saved reply"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, saved, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty text is the service's to refuse ("Write the reply."), so inserting works on it.
        self.fields["text"].required = False
        query = self.data.get(self.add_prefix("saved_search"), "") if self.is_bound else ""
        self.saved = list(saved_replies.search(saved, query).prefetch_related("texts")[:200])
        groups: dict[str, list] = {}
        for item in self.saved:
            groups.setdefault(item.category or str(_("No category")), []).append((item.pk, item.title))
        self.fields["saved_reply"].choices = [("", _("Choose one"))] + list(groups.items())

    def chosen(self):
        wanted = self.cleaned_data.get("saved_reply")
        return next((item for item in self.saved if item.pk == wanted), None)


class SavedReplyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.CharField(label=_("Category"), required=False, max_length=100)
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=400, help_text=_("Separated by commas.")
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Every department"),
        help_text=_("Offered only in that department's conversations."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            organisation=organisation, is_active=True
        )
        self.languages = saved_replies.languages_of(organisation)
        for language in self.languages:
            self.fields[f"text_{language}"] = forms.CharField(
                label=_("Text in %(language)s") % {"language": _LANGUAGE_NAMES.get(language, language)},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 5, "lang": language}),
                help_text=_("Variables: %(names)s.") % {"names": braced(REPLY_VARIABLES)},
            )

    def texts(self) -> dict[str, str]:
        return {language: self.cleaned_data.get(f"text_{language}", "") for language in self.languages}

    def tag_list(self) -> list[str]:
        return [tag for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ApproveForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason to send personal data anyway"),
        required=False,
        max_length=500,
        help_text=_("Only if the reply must contain personal data; the reason is recorded in the audit log."),
    )


APPROVAL_ROLE_CHOICES = [
    (Role.CONTRIBUTOR.value, Role.CONTRIBUTOR.label),
    (Role.EDITOR.value, Role.EDITOR.label),
]


class AnsweringSettingsForm(forms.Form):
    approval_roles = forms.MultipleChoiceField(
        label=_("Replies that need an approval before they are sent"),
        choices=APPROVAL_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Approvers, administrators and editors not ticked here approve them."),
    )
    electronic_office_url = forms.URLField(
        label=_("Electronic office address"),
        required=False,
        max_length=500,
        help_text=_("Where citizens file formal applications (Ley 39/2015 art. 16.4)."),
    )
    privacy_url = forms.URLField(
        label=_("Data protection information address"),
        required=False,
        max_length=500,
        help_text=_("The second layer: the full data-protection information."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = saved_replies.languages_of(organisation)
        known = braced(notice.NOTICE_VARIABLES)
        for language in self.languages:
            self.fields[f"notice_{language}"] = forms.CharField(
                label=_("Notice in %(language)s") % {"language": _LANGUAGE_NAMES.get(language, language)},
                required=False,
                max_length=3000,
                widget=forms.Textarea(
                    attrs={
                        "rows": 5,
                        "lang": language,
                        "placeholder": notice.default_notice(
                            language, has_privacy_url=True, has_office_url=True
                        ),
                    }
                ),
                help_text=_("Leave it empty to use the default shown. Variables: %(names)s.")
                % {"names": known},
            )

    def clean(self):
        cleaned = super().clean()
        for language in self.languages:
            name = f"notice_{language}"
            unknown = [v for v in variables_in(cleaned.get(name, "")) if v not in notice.NOTICE_VARIABLES]
            if unknown:
                self.add_error(name, _("Unknown variable: %(names)s.") % {"names": braced(unknown)})
        return cleaned

    def notices(self) -> dict[str, str]:
        return {
            language: self.cleaned_data[f"notice_{language}"].strip()
            for language in self.languages
            if self.cleaned_data.get(f"notice_{language}", "").strip()
        }
