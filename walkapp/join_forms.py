"""The walker's join forms: a walk's code, then an optional name.

Apart from walkapp/forms.py (staff forms, Swedish and English) because walkers' screens speak six
languages and their strings are extracted with babel-residents.cfg.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .forms import BaseForm


class CodeForm(BaseForm):
    code = StringField(
        _l("Kod"),
        validators=[
            DataRequired(_l("Skriv vandringens kod, sex tecken.")),
            Length(max=20, message=_l("Koden har sex tecken.")),
        ],
    )


class JoinForm(BaseForm):
    name = StringField(
        _l("Ditt namn (frivilligt)"),
        validators=[Length(max=80, message=_l("Högst 80 tecken."))],
    )
