"""The capture screen's words for its JavaScript, in the page's language (no blueprint here)."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import get_translations
from flask_babel import gettext as _

# A count's form is looked up in a table for every count below this; beyond it, the entry for
# 100 + count % 100: every plural rule of our languages reads only n and n % 100 (Arabic's
# 3–10 and 11–99 forms repeat each hundred), static/js/capture/page.js `counted`.
COUNTED_UP_TO = 200


def counted(pick: Callable) -> dict:
    """A count's text for the phone in the screen's language: every plural form of its catalogue
    (`forms`, with `%(n)s` for the number) and which one each count takes (`index`). `pick(t, n)`
    is `t.ngettext(singular, plural, n)`, written out so that pybabel extracts the two."""
    translations = get_translations()
    forms: list[str] = []
    index = []
    for n in range(COUNTED_UP_TO):
        # The catalogue's own rule picks the form (gettext's ngettext: unformatted).
        form = pick(translations, n).replace("%(num)d", "%(n)s")
        if form not in forms:
            forms.append(form)
        index.append(forms.index(form))
    return {"forms": forms, "index": index}


def capture_texts() -> dict:
    return {
        "inside": _("%(place)s — på platsen"),
        "near": _("nära %(place)s, %(m)s m"),
        "none": _("utanför prioriterade platser"),
        "queued": _("sparad på telefonen, skickas när nätet är tillbaka"),
        "waiting": counted(
            lambda t, n: t.ngettext(
                "%(num)d väntar på att skickas", "%(num)d väntar på att skickas", n
            )
        ),
        "all_sent": _("Allt är skickat"),
        "failed": counted(
            lambda t, n: t.ngettext(
                "%(num)d kunde inte tas emot – se listan",
                "%(num)d kunde inte tas emot – se listan",
                n,
            )
        ),
        "clock_skew": _(
            "Telefonens klocka går %(minutes)s minuter fel jämfört med serverns. "
            "Det du sparar tas emot, men kontrollera telefonens tid."
        ),
        "clock_held": _(
            "Telefonens klocka och serverns skiljer sig med mer än två dygn. Det du sparat "
            "finns kvar på telefonen och skickas igen; kontrollera telefonens tid."
        ),
        "gps_wait": _("Väntar på GPS … du kan också trycka på kartan där du står."),
        "gps_start": _("Tryck på ”Använd GPS” eller på kartan där du står."),
        "gps_ok": _("GPS ±%(m)s m"),
        "gps_poor": _("Osäker position (±%(m)s m) – kontrollera nålen."),
        "gps_manual": _("Nålen är flyttad för hand – gäller bara den här observationen."),
        "gps_denied": _("Ingen GPS – tryck på kartan där du står."),
        "gps_better": _("Väntar några sekunder på bättre GPS (nu ±%(m)s m) …"),
        "gps_wait_save": _("Väntar några sekunder på GPS …"),
        "tap_map": _("Ingen position: tryck på kartan där du står, sedan Spara."),
        "pin_stored": _("Nålen visar var observationen är sparad; flytta den om den ska flyttas."),
        "pin_mark": _("nål satt för hand"),
        "choose_category": _("Välj en kategori."),
        "choose_rating": _("Välj Åtgärda, Bevaka eller Bra."),
        "note_count": _("%(n)s av %(max)s tecken"),
        "note_too_long": _("Anteckningen är %(n)s tecken, högst %(max)s – korta den."),
        "save": _("Spara"),
        "editing": _("Du ändrar %(what)s"),
        "nothing_changed": _("Inget ändrat."),
        "saving": _("Sparar …"),
        "edit_saved": _("Ändringen är sparad."),
        "deleted": _("Observationen är borttagen."),
        "confirm_delete": _("Ta bort observationen?"),
        "edit": _("Ändra"),
        "delete": _("Ta bort"),
        "waiting_mark": _("väntar"),
        "late": _("sen"),
        "photo": _("foto"),
        "photo_n": _("Bild %(n)s"),
        "remove_photo": _("Ta bort bilden"),
        "confirm_remove_photo": _("Ta bort bilden?"),
        "no_observations": _("Inga observationer ännu."),
        "closed": _("Vandringen är avslutad. Det du har sparat på telefonen skickas ändå."),
        "closed_saved": _("Vandringen är avslutad – den sparades ändå, markerad som sen."),
        "refused": _("Inte mottagen: %(reason)s"),
        "language_offline": _("Språket kan bytas när nätet är tillbaka."),
        "theme_dark": _("Mörkt tema"),
        "theme_light": _("Ljust tema"),
        "offline_preparing": _("Förbereder för offline …"),
        "offline_ready": _("Redo för offline ✓"),
        "offline_missing": _("Inte redo för offline: %(n)s saknas – öppna sidan igen med nät."),
        # A re-walk's checks (static/js/capture/checks.js).
        "check_fixed": _("Åtgärdat"),
        "check_still_there": _("Finns kvar"),
        "check_found": _("Hittades %(day)s · %(status)s"),
        "check_answered": _("Ditt svar: %(answer)s"),
        "check_show": _("Visa på kartan"),
    }
