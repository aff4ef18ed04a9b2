"""Flask extensions, created here and bound in create_app()."""

from functools import cached_property

from babel import support
from flask import has_request_context, request, session
from flask_babel import Babel, Domain, get_locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

from . import languages


class _Domain(Domain):
    """Flask-Babel merges one catalogue per feature domain and keeps the plural rule of the last
    one it tried. For Finnish, Arabic, Persian and Somali only `residents` exists, and a missing
    domain's stand-in counts like Swedish (n != 1): Persian showed the Swedish text for every
    count but 1 and Arabic picked the wrong form. The rule comes from a catalogue that exists."""

    def get_translations(self):
        translations = super().get_translations()
        if not isinstance(translations, support.Translations) or hasattr(
            translations, "_plural_from"
        ):
            return translations
        translations._plural_from = None
        # create_app pairs one folder with each domain (see _translation_domains).
        for folder, domain in zip(self.translation_directories, self.domain):
            catalogue = support.Translations.load(folder, [get_locale()], domain)
            if isinstance(catalogue, support.Translations):
                translations.plural = catalogue.plural
                translations._plural_from = domain
                break
        return translations


class _Babel(Babel):
    @cached_property
    def domain_instance(self):
        return _Domain(domain=self.domain)


csrf = CSRFProtect()
babel = _Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def screen_family() -> str:
    if not has_request_context():
        return languages.STAFF
    return languages.family(request.blueprint, request.endpoint)


def select_locale() -> str:
    """The kept choice (cookie) when this screen speaks it; walkers' and the public's screens
    then follow the phone (Accept-Language); else Swedish."""
    if not has_request_context():
        return languages.DEFAULT  # the CLI
    screens = screen_family()
    chosen = request.cookies.get("lang") or session.get("lang")
    follows_phone = screens == languages.RESIDENTS
    return languages.choose(
        languages.FAMILIES[screens],
        chosen,
        request.accept_languages.best_match if follows_phone else None,
    )
