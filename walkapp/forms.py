"""Flask-WTF forms (CSRF on), with Swedish messages beside each field."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class Form(FlaskForm):
    """Base of every form: a JSON body is not form data (Flask-WTF would crash on `[]` or `true`)."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            if request.is_json:
                return ImmutableMultiDict()
            return super().wrap_formdata(form, formdata)


class LoginForm(Form):
    username = StringField(
        _l("Användarnamn"),
        validators=[DataRequired(_l("Skriv ditt användarnamn.")), Length(max=80)],
    )
    password = PasswordField(
        _l("Lösenord"), validators=[DataRequired(_l("Skriv ditt lösenord.")), Length(max=200)]
    )
