"""Passwords: hashing (scrypt through werkzeug), a check that costs the same whether or not the
user exists, and the rule for new passwords.

The rule: at least 10 characters, and not guessable by zxcvbn's offline lists of common
passwords, names and words, keyboard patterns, repeats and sequences (score 3 of 4, "safely
unguessable" — about 10^10 guesses). No network call.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from . import settings

METHOD = "scrypt"
MIN_LENGTH = 10
MAX_LENGTH = 200
MIN_SCORE = 3
# Words of this service and Swedish password favourites zxcvbn's English lists lack.
_OWN_WORDS = (
    "walkapp",
    "trygghetsvandring",
    "trygghet",
    "vandring",
    "polisen",
    "norrmalm",
    "lidingö",
    "stockholm",
    "lösenord",
    "losenord",
    "hemligt",
    "sommar",
    "vinter",
    "välkommen",
    "valkommen",
)
# Words anyone guessing at this service tries first, beside _OWN_WORDS: seasons and months (with a
# year they make the most common "strong" password), the police area's short names and its places.
_GUESSED_WORDS = (
    *_OWN_WORDS,
    "lpo",
    "polis",
    "var",
    "vår",
    "host",
    "höst",
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
    "plattan",
    "sergels",
    "sergel",
    "torg",
    "odenplan",
    "stureplan",
    "karlaplan",
    "centralen",
    "kungsträdgården",
    "humlegården",
    "larsberg",
    "vasaparken",
    "östermalm",
    "ostermalm",
    "vasastan",
    "city",
)
# What may stand beside such words and still leave the password guessable: a year, a day, "!!".
_MAX_SUFFIX = 6
# Compared against when the user does not exist, so timing does not tell names apart. Made at
# the first unknown name, not at import: a full scrypt hash was a third of a second of every start.
_DUMMY: str | None = None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=METHOD)


def check_password(password_hash: str | None, password: str) -> bool:
    """One full scrypt run whether or not there is a hash (an unknown user name): checked against
    the dummy hash, and the first unknown name of a process makes that hash, which costs the same
    one scrypt run as a check."""
    global _DUMMY
    if password_hash is not None:
        return check_password_hash(password_hash, password)
    if _DUMMY is None:
        _DUMMY = generate_password_hash("not-a-password", method=METHOD)
    else:
        check_password_hash(_DUMMY, password)
    return False


def _words_of(texts) -> set[str]:
    return {word for text in texts for word in re.findall(r"[^\W\d_]{3,}", text.casefold())}


def _made_of(letters: str, words: set[str]) -> bool:
    """Whether `letters` is nothing but words of `words` run together."""
    ends = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        ends[end] = any(ends[start] and letters[start:end] in words for start in range(end))
    return ends[-1]


def _only_guessed_words(password: str, words: set[str]) -> bool:
    """`Sommar2026!!`, `LPONorrmalm1`, `Plattan2026!`: our own words with a year or a sign."""
    folded = password.casefold()
    letters = "".join(re.findall(r"[^\W\d_]", folded))
    rest = len(folded) - len(letters)
    return bool(letters) and rest <= _MAX_SUFFIX and _made_of(letters, words)


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` may not be used (a Swedish sentence), or None when it may."""
    if len(password) < MIN_LENGTH:
        return str(_l("Lösenordet måste ha minst %(n)d tecken.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Lösenordet får ha högst %(n)d tecken.", n=MAX_LENGTH))
    own_words = (settings.current().organisation,)  # this instance's own name is guessed too
    words = _words_of((*_GUESSED_WORDS, username, *own_words))
    if _only_guessed_words(password, words):
        return str(
            _l(
                "Lösenordet består av ord som hör till tjänsten, en årstid eller ett årtal. "
                "Välj något svårare att gissa, till exempel tre eller fyra ord."
            )
        )
    from zxcvbn import zxcvbn  # its word lists load only when a password is set

    result = zxcvbn(password[:100], user_inputs=[username, *_OWN_WORDS, *own_words])
    if result["score"] >= MIN_SCORE:
        return None
    longest = max(result["sequence"], key=lambda match: len(match["token"]))
    if longest["pattern"] in {"repeat", "sequence", "spatial"}:
        return str(
            _l(
                "Lösenordet upprepar tecken eller följer en rad på tangentbordet. "
                "Välj något svårare att gissa, till exempel tre eller fyra ord."
            )
        )
    return str(
        _l(
            "Lösenordet är för vanligt eller för lätt att gissa. "
            "Välj något svårare, till exempel tre eller fyra ord."
        )
    )
