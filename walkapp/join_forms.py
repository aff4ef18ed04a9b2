"""The walker's join forms: a walk's code, then an optional name.

Apart from walkapp/forms.py (staff forms, Swedish and English) because walkers' screens speak six
languages and their strings are extracted with babel-residents.cfg.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from .forms import BaseForm, text_field


class CodeForm(BaseForm):
    code = text_field(
        StringField,
        _l("Kod"),
        20,
        _l("Skriv vandringens kod, sex tecken."),
        message=_l("Koden har sex tecken."),
    )


class JoinForm(BaseForm):
    # The walkers' catalogue (babel-residents.cfg) needs the sentence here, not forms.py's.
    name = text_field(StringField, _l("Ditt namn (frivilligt)"), 80, message=_l("Högst 80 tecken."))
