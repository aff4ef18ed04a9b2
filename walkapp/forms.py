"""Flask-WTF forms (CSRF on), with Swedish messages beside each field."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from .languages import DEFAULT as SWEDISH
from .languages import NAMES as LANGUAGE_NAMES
from .vocabulary import PARTNER_KINDS


class BaseForm(FlaskForm):
    """Base of every form: a JSON body is not form data (Flask-WTF would crash on `[]` or `true`)."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            if request.is_json:
                return ImmutableMultiDict()
            return super().wrap_formdata(form, formdata)


class LoginForm(BaseForm):
    username = StringField(
        _l("Användarnamn"),
        validators=[DataRequired(_l("Skriv ditt användarnamn.")), Length(max=80)],
    )
    password = PasswordField(
        _l("Lösenord"), validators=[DataRequired(_l("Skriv ditt lösenord.")), Length(max=200)]
    )


class _NewPasswordFields:
    new_password = PasswordField(
        _l("Nytt lösenord"),
        validators=[DataRequired(_l("Skriv det nya lösenordet.")), Length(max=200)],
    )
    repeat = PasswordField(
        _l("Nytt lösenord igen"),
        validators=[DataRequired(_l("Skriv det nya lösenordet en gång till.")), Length(max=200)],
    )

    def validate_repeat(self, field):
        if field.data != self.new_password.data:
            raise ValidationError(_l("Lösenorden är inte lika. Skriv samma lösenord två gånger."))


class ChangePasswordForm(_NewPasswordFields, BaseForm):
    current = PasswordField(
        _l("Nuvarande lösenord"),
        validators=[DataRequired(_l("Skriv ditt nuvarande lösenord.")), Length(max=200)],
    )


class ResetPasswordForm(_NewPasswordFields, BaseForm):
    pass



# --- Citizen promise (the public feature): activities and the admin's promise editor ---


class _OwnParseMessage:
    """Input that cannot be read gets our translatable message, and no further messages."""

    parse_message = ""

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None  # empty: left to DataRequired/InputRequired and their message
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(self.parse_message)) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class WholeNumberField(_OwnParseMessage, IntegerField):
    parse_message = _l("Skriv ett heltal, till exempel 8.")


# One translated sentence per length a field allows (pybabel finds each).
_AT_MOST = {
    80: _l("Högst 80 tecken."),
    120: _l("Högst 120 tecken."),
    200: _l("Högst 200 tecken."),
    400: _l("Högst 400 tecken."),
    1000: _l("Högst 1000 tecken."),
    2000: _l("Högst 2000 tecken."),
}


def text_field(field, label, max_chars: int, required=None, message=None, **options):
    """A text field of at most max_chars (said in words), required when `required` (the message
    an empty field gets) is given."""
    validators = [DataRequired(required)] if required else []
    validators.append(Length(max=max_chars, message=message or _AT_MOST[max_chars]))
    return field(label, validators=validators, **options)


def whole_number(label, bounds: tuple[int, int], required, out_of_range):
    """A whole number within bounds (low, high): `required` for an empty field, `out_of_range`
    outside them."""
    low, high = bounds
    return WholeNumberField(
        label,
        validators=[InputRequired(required), NumberRange(min=low, max=high, message=out_of_range)],
    )


class DayField(_OwnParseMessage, DateField):
    parse_message = _l("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-12.")


class ActivityForm(BaseForm):
    """A coordinator logs one activity that counts towards a commitment."""

    commitment_id = SelectField(
        _l("Åtagande"),
        coerce=int,
        validators=[DataRequired(_l("Välj vilket åtagande insatsen hör till."))],
    )
    happened_on = DayField(
        _l("Datum"),
        validators=[DataRequired(_l("Skriv datumet då insatsen gjordes (ÅÅÅÅ-MM-DD)."))],
    )
    description = text_field(
        TextAreaField,
        _l("Kort beskrivning (visas för alla)"),
        200,
        _l("Skriv en kort beskrivning av insatsen."),
    )
    place_id = SelectField(_l("Plats (frivilligt)"), coerce=int, default=0)


class _CommitmentFields:
    """A commitment's heading, text and target (WTForms collects fields from mixins too)."""

    heading = text_field(StringField, _l("Rubrik"), 80)
    text = text_field(TextAreaField, _l("Åtagande"), 400, _l("Skriv vad polisen lovar."))
    target = whole_number(
        _l("Mål (antal)"), (1, 1000), _l("Skriv målet som ett heltal."),
        _l("Målet ska vara mellan 1 och 1000."),
    )  # fmt: skip


class CommitmentEntry(_CommitmentFields, Form):
    """One commitment's editable texts and target, inside PromiseEditForm."""

    commitment_id = HiddenField()


class PromiseEditForm(BaseForm):
    title = text_field(StringField, _l("Rubrik"), 120, _l("Skriv en rubrik."))
    commitments = FieldList(FormField(CommitmentEntry))


class CommitmentTextEntry(Form):
    """One commitment's heading and text in another language, inside PromiseTextsForm; both may
    stay empty (then the Swedish shows)."""

    commitment_id = HiddenField()
    heading = text_field(StringField, _l("Rubrik"), 80)
    text = text_field(TextAreaField, _l("Åtagande"), 400)


class PromiseTextsForm(BaseForm):
    commitments = FieldList(FormField(CommitmentTextEntry))


class NewCommitmentForm(_CommitmentFields, BaseForm):
    counting = SelectField(
        _l("Räknas från"),
        choices=[
            SelectChoice("activities", _l("Loggade insatser")),
            SelectChoice("walks", _l("Genomförda trygghetsvandringar")),
        ],
        default="activities",
    )


class PromiseCreateForm(BaseForm):
    year = whole_number(
        _l("År"), (2000, 2100), _l("Skriv året, till exempel 2026."),
        _l("Året ska vara mellan 2000 och 2100."),
    )  # fmt: skip
    title = text_field(StringField, _l("Rubrik"), 120, _l("Skriv en rubrik."))
    copy_from = SelectField(_l("Börja med åtagandena från"), coerce=int, default=0)


# The walker's join forms are in walkapp/join_forms.py (six languages).


# --- Coordinators: walks, triage, partners ---


class MomentField(_OwnParseMessage, DateTimeLocalField):
    parse_message = _l("Skriv datum och tid som ÅÅÅÅ-MM-DD TT:MM.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(*args, **kwargs)


class WalkForm(BaseForm):
    title = text_field(StringField, _l("Rubrik"), 120, _l("Skriv en rubrik för vandringen."))
    starts_at = MomentField(
        _l("Start"), validators=[DataRequired(_l("Skriv när vandringen börjar."))]
    )
    light = SelectField(
        _l("Ljusförhållande"),
        validators=[DataRequired(_l("Välj ljusförhållande."))],
    )
    meeting_point = text_field(StringField, _l("Samlingsplats"), 200)
    place_ids = SelectMultipleField(
        _l("Platser som vandringen går förbi"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    route_notes = text_field(TextAreaField, _l("Anteckningar om rutten"), 2000)
    pre_meeting_at = MomentField(_l("Förmöte (frivilligt)"), validators=[Optional()])
    follow_up_at = MomentField(_l("Uppföljningsmöte (frivilligt)"), validators=[Optional()])
    leader = text_field(StringField, _l("Vandringsledare"), 120)
    public = BooleanField(_l("Visa på den publika sidan"))
    # Other organisations holding the walk with its lead (offered when there are others).
    co_organiser_ids = SelectMultipleField(
        _l("Arrangeras tillsammans med"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def validate_place_ids(self, field):
        valid = {value for value, _label in field.choices}
        if any(value not in valid for value in field.data or []):
            raise ValidationError(_l("Välj platser ur listan."))

    def validate_co_organiser_ids(self, field):
        valid = {value for value, _label in field.choices}
        if any(value not in valid for value in field.data or []):
            raise ValidationError(_l("Välj arrangörer ur listan."))


class TriageForm(BaseForm):
    status = SelectField(_l("Status"), validators=[DataRequired(_l("Välj en status."))])
    partner_id = SelectField(_l("Ansvarig"), coerce=int, default=0)
    deadline = DayField(_l("Sista dag"), validators=[Optional()])
    reason = text_field(TextAreaField, _l("Skäl"), 1000)
    duplicate_of = StringField(
        _l("Dubblett av observation"),
        validators=[Length(max=64, message=_l("Ett observations-id har 36 tecken."))],
    )
    comment = text_field(TextAreaField, _l("Kommentar"), 1000)
    # The history row the form was opened at: a save from an older page changes nothing.
    seen = HiddenField()


class StatusForm(BaseForm):
    """The quick status change on the meeting's place view: partner, deadline and reason inline,
    each shown for the statuses that carry it (vocabulary.STATUS_FIELDS)."""

    status = SelectField(_l("Status"), validators=[DataRequired(_l("Välj en status."))])
    partner_id = SelectField(_l("Ansvarig"), coerce=int, default=0)
    deadline = DayField(_l("Sista dag"), validators=[Optional()])
    reason = text_field(StringField, _l("Skäl"), 1000)


class PartnerAnswerForm(BaseForm):
    """A partner's person answers for one of their measures (measures.PARTNER_ACTIONS)."""

    action = HiddenField(validators=[DataRequired(_l("Välj vad ni vill göra."))])
    deadline = DayField(_l("Sista dag"), validators=[Optional()])
    comment = text_field(TextAreaField, _l("Kommentar"), 1000)
    reason = text_field(TextAreaField, _l("Varför inte vår, eller varför det inte går"), 1000)
    seen = HiddenField()


class PartnerForm(BaseForm):
    name = text_field(StringField, _l("Namn"), 120, _l("Skriv partnerns namn."))
    kind = SelectField(
        _l("Slag"),
        choices=[SelectChoice(key, label) for key, label in PARTNER_KINDS.items()],
        default="other",
    )


class TokenForm(BaseForm):
    label = text_field(
        StringField,
        _l("Vad nyckeln är till (t.ex. QGIS på stadsbyggnadskontoret)"),
        80,
        _l("Skriv vad nyckeln ska användas till."),
    )


class PlacesUploadForm(BaseForm):
    file = FileField(
        _l("GeoJSON-fil med platser"),
        validators=[FileRequired(_l("Välj en GeoJSON-fil."))],
    )
    mode = SelectField(
        _l("Hur filen ska läsas in"),
        choices=[
            ("upsert", _l("Lägg till och uppdatera (platser som inte finns i filen behålls)")),
            ("replace", _l("Ersätt (platser som inte finns i filen inaktiveras)")),
        ],
        default="upsert",
    )


class PlaceForm(BaseForm):
    name = text_field(StringField, _l("Namn"), 120, _l("Skriv platsens namn."))
    priority = whole_number(
        _l("Prioritet (1 = högst)"), (1, 99), _l("Skriv en prioritet, 1 eller mer."),
        _l("Prioriteten ska vara mellan 1 och 99."),
    )  # fmt: skip
    description = text_field(TextAreaField, _l("Beskrivning"), 2000)
    partners = text_field(StringField, _l("Partner (kommaseparerade)"), 1000)


class InvitedAccountForm(_NewPasswordFields, BaseForm):
    """A partner's new person makes their account from an invitation."""

    username = text_field(StringField, _l("Användarnamn"), 80, _l("Välj ett användarnamn."))


class InvitationForm(BaseForm):
    email = text_field(StringField, _l("E-post (frivilligt)"), 200)


LANGUAGES_BESIDE_SWEDISH = tuple(code for code in LANGUAGE_NAMES if code != SWEDISH)


class OrganisationForm(BaseForm):
    """An organisation's name, logo, Open311 jurisdiction_id, areas and languages (the slug:
    when made)."""

    name = text_field(StringField, _l("Namn"), 120, _l("Skriv arrangörens namn."))
    slug = text_field(
        StringField,
        _l("Kortnamn i adressen (/o/kortnamn/)"),
        40,
        message=_l("Högst 40 tecken."),
    )
    logo = text_field(StringField, _l("Logotyp (sökväg på den här webbplatsen, frivilligt)"), 200)
    jurisdiction_id = text_field(StringField, _l("Open311 jurisdiction_id"), 80)
    areas = SelectMultipleField(_l("Områden som arrangören täcker"), coerce=int)
    # The languages its public page's switch offers residents (Swedish always: not a box, but
    # sent with every post as a hidden field, so a post without the field at all is told apart).
    ALWAYS = (SWEDISH, LANGUAGE_NAMES[SWEDISH])
    languages = SelectMultipleField(
        _l("Språk på den offentliga sidan"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in LANGUAGES_BESIDE_SWEDISH],
        default=list(LANGUAGES_BESIDE_SWEDISH),
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
