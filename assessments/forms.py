from collections.abc import Iterable
from typing import IO

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cxmaturity.forms import RevisedFormMixin

from .display import level_choices, target_choices
from .inputs import ACTION_INPUT_FIELDS, ASSESSMENT_INPUT_FIELDS, AssessmentInput
from .languages import DEFAULT_LANGUAGE, LANGUAGE_CHOICES
from .models import MAX_REMINDER_INTERVAL_DAYS, Action, Assessment, Respondent, max_length
from .selectors import DimensionPage

ANSWER_FIELDS = ("value", "comment", "evidence")


def answers_from_post(post: QueryDict, questions: list) -> dict:
    """The answer changes posted for these questions (keys, or a page's items), by key;
    only the fields present count.

    Autosave names the questions it sends in `questions`, so the rest of the page is left
    alone (another tab may be editing it); a listed key that is not a question is passed
    on, to be refused by name.
    """
    changes = {}
    for question in questions:
        key = question if isinstance(question, str) else question.question.key
        change = {f: post[f"{key}-{f}"] for f in ANSWER_FIELDS if f"{key}-{f}" in post}
        if change or isinstance(question, str):
            changes[key] = change
    return changes


def versions_from_post(post: QueryDict, keys: Iterable[str]) -> dict[str, int]:
    """The answer version the page saw for each of these questions that sent one
    (`<key>-version`); ValidationError naming the field when one is not a whole number."""
    versions = {}
    for key in keys:
        raw = post.get(f"{key}-version")
        if raw is None:
            continue
        if not raw.isdigit() or len(raw) > 9:
            raise ValidationError(
                {key: _("%(field)s must be a whole number.") % {"field": f"{key}-version"}}
            )
        versions[key] = int(raw)
    return versions


def question_rows(
    page: DimensionPage, post: QueryDict, errors: dict, conflicts: Iterable[str] = ()
) -> list[dict]:
    """What each question shows: what was just posted when saving failed, else what is saved,
    so a refused save loses nothing the person typed; a question another window changed
    since this page was shown (`conflicts`) shows the newer, saved answer, marked so."""
    rows = []
    for number, item in enumerate(page.items, start=1):
        key = item.question.key
        saved = {
            "value": item.value,
            "comment": item.answer.comment if item.answer else "",
            "evidence": item.answer.evidence if item.answer else "",
        }
        shown = {f: post.get(f"{key}-{f}", saved[f]) if errors else saved[f] for f in saved}
        version = item.answer.version if item.answer else 0
        rows.append(
            {
                "number": number,
                "question": item.question,
                "errors": errors.get(key, []),
                "levels": list(item.question.levels.items()),
                "choices": level_choices(item.question.levels),
                # After a refused save, the version the posted values were based on.
                "version": post.get(f"{key}-version", version) if errors else version,
                "conflict": key in conflicts,
                **shown,
            }
        )
    return rows


class AssessmentForm(RevisedFormMixin, forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "title",
            "version",
            "purpose",
            "due_date",
            "mode",
            "anonymity",
            "respondents_may_revise",
            "reminder_interval_days",
            "language",
            "previous",
        ]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "mode": forms.RadioSelect,
            "anonymity": forms.RadioSelect,
        }

    def __init__(self, *args, versions, previous_choices, targets_for=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: f"{v.title} (v{v.number})"
        self.fields["previous"].queryset = previous_choices
        self.fields["previous"].required = False
        self.fields["previous"].help_text = _(
            "To compare with an earlier assessment of the client."
        )
        # Left out (an older client of the form): the questionnaire's usual language.
        self.fields["language"].required = False
        self.fields["reminder_interval_days"].min_value = 1
        self.fields["reminder_interval_days"].widget.attrs["min"] = 1
        self.fields["reminder_interval_days"].widget.attrs["max"] = MAX_REMINDER_INTERVAL_DAYS
        self.dimension_fields = []
        for dimension in targets_for or []:
            name = f"target_{dimension.key}"
            self.fields[name] = forms.TypedChoiceField(
                label=dimension.title,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("Next stage")), *target_choices()],
                initial=(self.instance.targets or {}).get(dimension.key),
            )
            self.dimension_fields.append((dimension.key, name))

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.instance.language or DEFAULT_LANGUAGE

    def targets(self) -> dict:
        return {
            key: self.cleaned_data.get(name)
            for key, name in self.dimension_fields
            if self.cleaned_data.get(name)
        }

    def assessment_input(self) -> AssessmentInput:
        """The settings as assessment_create/assessment_update take them."""
        values = {k: v for k, v in self.cleaned_data.items() if k in ASSESSMENT_INPUT_FIELDS}
        return AssessmentInput.from_values(values | {"targets": self.targets()})


class RespondentForm(forms.ModelForm):
    class Meta:
        model = Respondent
        fields = ["name", "email", "role", "department", "weight", "language"]
        help_texts = {
            "weight": _("How much this view counts; 1 for everyone is usual."),
            "language": _("Their questionnaire, pages and emails; they can also change it."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("The assessment's language")),
            *LANGUAGE_CHOICES,
        ]


class RespondentImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name,email,role,department,weight,language (a header row first). "
            "Rows are numbered as in a spreadsheet: the header is row 1."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    rows = forms.CharField(
        label=_("…or paste rows"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "placeholder": "name,email,role\nAda Lee,ada@client.example,executive",
            }
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("rows") or "").strip():
            raise forms.ValidationError(_("Choose a CSV file or paste rows."))
        return cleaned

    def csv_data(self) -> IO[bytes] | str:
        """The uploaded file, read later line by line, or else the pasted rows."""
        return self.cleaned_data.get("file") or self.cleaned_data["rows"]


class QuestionnaireUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Questionnaire file"),
        help_text=_("YAML or JSON in the documented shape, at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json"}),
    )


def _progress_or_current(form: forms.ModelForm) -> int:
    # Left empty (or absent from an older form), the progress stays what it was.
    value = form.cleaned_data.get("progress")
    if value is None:
        return form.instance.progress if form.instance.pk else 0
    return value


class ActionForm(RevisedFormMixin, forms.ModelForm):
    class Meta:
        model = Action
        # Acceptance has its own button on the roadmap, not a field on this form.
        fields = [name for name in ACTION_INPUT_FIELDS if name != "accepted"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "description": _("The goal and what done looks like; the owner picks the steps.")
        }

    LINK_LABELS = {
        "strategic_objectives": _("Strategic objectives it serves"),
        "marketing_objectives": _("Marketing objectives it serves"),
        "digital_goals": _("Digital goals it serves"),
        "kpis": _("KPIs it should move"),
        "campaigns": _("Campaigns it belongs to"),
    }

    def __init__(self, *args, dimensions=(), links: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["progress"].required = False
        self.fields["dimension_key"] = forms.ChoiceField(
            label=_("Dimension"),
            required=False,
            choices=[("", _("(none)"))] + [(d.key, d.title) for d in dimensions],
        )
        # One multi-select per kind, grouped by plan; shown only for kinds the client has.
        for name, choices in (links or {}).items():
            if not choices:
                continue
            current = getattr(self.instance, name).all() if self.instance.pk else []
            self.fields[name] = forms.MultipleChoiceField(
                label=self.LINK_LABELS[name],
                required=False,
                choices=choices,
                initial=[str(row.pk) for row in current],
                widget=forms.SelectMultiple(attrs={"size": 6}),
                help_text=_("Hold Ctrl (or ⌘) to choose several."),
            )

    def clean_progress(self) -> int:
        return _progress_or_current(self)


class ActionProgressForm(RevisedFormMixin, forms.ModelForm):
    """What a client contributor updates between visits: status, progress and notes."""

    class Meta:
        model = Action
        fields = ["status", "progress", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["progress"].required = False

    def clean_progress(self) -> int:
        return _progress_or_current(self)


class InvitationForm(forms.Form):
    """The invitation email's wording, as previewed before everyone is invited; the limits
    are the assessment's columns that keep it."""

    subject = forms.CharField(
        label=_("Subject"), max_length=max_length(Assessment, "invitation_subject")
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=max_length(Assessment, "invitation_message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Sent after “Hello” and each person's name, and followed by their personal link."
        ),
    )
