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
    description = TextAreaField(
        _l("Kort beskrivning (visas för alla)"),
        validators=[
            DataRequired(_l("Skriv en kort beskrivning av insatsen.")),
            Length(max=200, message=_l("Högst 200 tecken.")),
        ],
    )
    place_id = SelectField(_l("Plats (frivilligt)"), coerce=int, default=0)


class _CommitmentFields:
    """A commitment's heading, text and target (WTForms collects fields from mixins too)."""

    heading = StringField(_l("Rubrik"), validators=[Length(max=80, message=_l("Högst 80 tecken."))])
    text = TextAreaField(
        _l("Åtagande"),
        validators=[
            DataRequired(_l("Skriv vad polisen lovar.")),
            Length(max=400, message=_l("Högst 400 tecken.")),
        ],
    )
    target = WholeNumberField(
        _l("Mål (antal)"),
        validators=[
            InputRequired(_l("Skriv målet som ett heltal.")),
            NumberRange(min=1, max=1000, message=_l("Målet ska vara mellan 1 och 1000.")),
        ],
    )


class CommitmentEntry(_CommitmentFields, Form):
    """One commitment's editable texts and target, inside PromiseEditForm."""

    commitment_id = HiddenField()


class PromiseEditForm(BaseForm):
    title = StringField(
        _l("Rubrik"),
        validators=[
            DataRequired(_l("Skriv en rubrik.")),
            Length(max=120, message=_l("Högst 120 tecken.")),
        ],
    )
    commitments = FieldList(FormField(CommitmentEntry))


class CommitmentTextEntry(Form):
    """One commitment's heading and text in another language, inside PromiseTextsForm; both may
    stay empty (then the Swedish shows)."""

    commitment_id = HiddenField()
    heading = StringField(_l("Rubrik"), validators=[Length(max=80, message=_l("Högst 80 tecken."))])
    text = TextAreaField(
        _l("Åtagande"), validators=[Length(max=400, message=_l("Högst 400 tecken."))]
    )


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
    year = WholeNumberField(
        _l("År"),
        validators=[
            InputRequired(_l("Skriv året, till exempel 2026.")),
            NumberRange(min=2000, max=2100, message=_l("Året ska vara mellan 2000 och 2100.")),
        ],
    )
    title = StringField(
        _l("Rubrik"),
        validators=[
            DataRequired(_l("Skriv en rubrik.")),
            Length(max=120, message=_l("Högst 120 tecken.")),
        ],
    )
    copy_from = SelectField(_l("Börja med åtagandena från"), coerce=int, default=0)


# The walker's join forms are in walkapp/join_forms.py (six languages).


# --- Coordinators: walks, triage, partners ---


class MomentField(_OwnParseMessage, DateTimeLocalField):
    parse_message = _l("Skriv datum och tid som ÅÅÅÅ-MM-DD TT:MM.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(*args, **kwargs)


class WalkForm(BaseForm):
    title = StringField(
        _l("Rubrik"),
        validators=[
            DataRequired(_l("Skriv en rubrik för vandringen.")),
            Length(max=120, message=_l("Högst 120 tecken.")),
        ],
    )
    starts_at = MomentField(
        _l("Start"), validators=[DataRequired(_l("Skriv när vandringen börjar."))]
    )
    light = SelectField(
        _l("Ljusförhållande"),
        validators=[DataRequired(_l("Välj ljusförhållande."))],
    )
    meeting_point = StringField(
        _l("Samlingsplats"), validators=[Length(max=200, message=_l("Högst 200 tecken."))]
    )
    place_ids = SelectMultipleField(
        _l("Platser som vandringen går förbi"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    route_notes = TextAreaField(
        _l("Anteckningar om rutten"),
        validators=[Length(max=2000, message=_l("Högst 2000 tecken."))],
    )
    pre_meeting_at = MomentField(_l("Förmöte (frivilligt)"), validators=[Optional()])
    follow_up_at = MomentField(_l("Uppföljningsmöte (frivilligt)"), validators=[Optional()])
    leader = StringField(
        _l("Vandringsledare"), validators=[Length(max=120, message=_l("Högst 120 tecken."))]
    )
    public = BooleanField(_l("Visa på den publika sidan"))

    def validate_place_ids(self, field):
        valid = {value for value, _label in field.choices}
        if any(value not in valid for value in field.data or []):
            raise ValidationError(_l("Välj platser ur listan."))


class TriageForm(BaseForm):
    status = SelectField(_l("Status"), validators=[DataRequired(_l("Välj en status."))])
    partner_id = SelectField(_l("Ansvarig"), coerce=int, default=0)
    deadline = DayField(_l("Sista dag"), validators=[Optional()])
    reason = TextAreaField(
        _l("Skäl"),
        validators=[Length(max=1000, message=_l("Högst 1000 tecken."))],
    )
    duplicate_of = StringField(
        _l("Dubblett av observation"),
        validators=[Length(max=64, message=_l("Ett observations-id har 36 tecken."))],
    )
    comment = TextAreaField(
        _l("Kommentar"), validators=[Length(max=1000, message=_l("Högst 1000 tecken."))]
    )
    # The history row the form was opened at: a save from an older page changes nothing.
    seen = HiddenField()


class StatusForm(BaseForm):
    """The quick status change on the meeting's place view: partner, deadline and reason inline,
    each shown for the statuses that carry it (vocabulary.STATUS_FIELDS)."""

    status = SelectField(_l("Status"), validators=[DataRequired(_l("Välj en status."))])
    partner_id = SelectField(_l("Ansvarig"), coerce=int, default=0)
    deadline = DayField(_l("Sista dag"), validators=[Optional()])
    reason = StringField(
        _l("Skäl"), validators=[Length(max=1000, message=_l("Högst 1000 tecken."))]
    )


class PartnerForm(BaseForm):
    name = StringField(
        _l("Namn"),
        validators=[
            DataRequired(_l("Skriv partnerns namn.")),
            Length(max=120, message=_l("Högst 120 tecken.")),
        ],
    )
    kind = SelectField(
        _l("Slag"),
        choices=[SelectChoice(key, label) for key, label in PARTNER_KINDS.items()],
        default="other",
    )


class TokenForm(BaseForm):
    label = StringField(
        _l("Vad nyckeln är till (t.ex. QGIS på stadsbyggnadskontoret)"),
        validators=[
            DataRequired(_l("Skriv vad nyckeln ska användas till.")),
            Length(max=80, message=_l("Högst 80 tecken.")),
        ],
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
    name = StringField(
        _l("Namn"),
        validators=[
            DataRequired(_l("Skriv platsens namn.")),
            Length(max=120, message=_l("Högst 120 tecken.")),
        ],
    )
    priority = WholeNumberField(
        _l("Prioritet (1 = högst)"),
        validators=[
            InputRequired(_l("Skriv en prioritet, 1 eller mer.")),
            NumberRange(min=1, max=99, message=_l("Prioriteten ska vara mellan 1 och 99.")),
        ],
    )
    description = TextAreaField(
        _l("Beskrivning"), validators=[Length(max=2000, message=_l("Högst 2000 tecken."))]
    )
    partners = StringField(
        _l("Partner (kommaseparerade)"),
        validators=[Length(max=1000, message=_l("Högst 1000 tecken."))],
    )
