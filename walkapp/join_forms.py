"""The walker's join forms: a walk's code, then an optional name.

Apart from walkapp/forms.py (staff forms, Swedish and English) because walkers' screens speak six
languages and their strings are extracted with babel-residents.cfg.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, ValidationError

from . import mail
from .forms import BaseForm, text_field

# A mistyped address, on the join form and in the join API.
ADDRESS_MESSAGE = _l("Skriv en e-postadress som namn@exempel.se, eller lämna rutan tom.")


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
    email = text_field(
        EmailField,
        _l("Din e-post (frivilligt)"),
        mail.MAX_ADDRESS,
        message=_l("Adressen är för lång."),
    )

    def validate_email(self, field) -> None:
        field.data = (field.data or "").strip()
        if field.data and not mail.is_address(field.data):
            raise ValidationError(ADDRESS_MESSAGE)
