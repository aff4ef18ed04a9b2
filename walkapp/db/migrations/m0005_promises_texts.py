"""A commitment's heading and text in the public's other languages (Swedish stays in
`commitments`, the fallback wherever a language has no text of its own)."""

from __future__ import annotations

import sqlite_utils

from . import migration, run_script


@migration("0005_promises_texts")
def promises_texts(db: sqlite_utils.Database) -> None:
    run_script(
        db,
        """
        create table commitment_texts (
            commitment_id integer not null references commitments(id) on delete cascade,
            language text not null,
            heading text not null default '',
            text text not null default '',
            primary key (commitment_id, language)
        )
        """,
    )


# The shipped 2022 promise (0002_public_seed_promise_2022) in the public's other languages, by
# the commitment's position: (heading, text). A first version by the development team, like the
# residents' catalogues; written only where the Swedish is still as shipped.
PROMISE_2022_TEXTS = {
    "en": [
        (
            "Young people",
            "At least six police operations focused on robbery, violent crime and drug offences"
            " among young people.",
        ),
        (
            "Particularly vulnerable victims of crime",
            "At least six crime-prevention information efforts aimed at particularly vulnerable"
            " victims of crime, for example older people and people abused by a partner.",
        ),
        (
            "Unsafe and crime-exposed places",
            "At least eight safety walks at unsafe and crime-exposed places during the year.",
        ),
        (
            "Criminal networks",
            "At least four operations focused on organised crime and the proceeds of crime,"
            " together with other authorities.",
        ),
    ],
    "fi": [
        (
            "Nuoret",
            "Vähintään kuusi poliisin toimea, joissa keskitytään erityisesti nuorten ryöstöihin,"
            " väkivaltarikoksiin ja huumerikoksiin.",
        ),
        (
            "Erityisen haavoittuvat rikoksen uhrit",
            "Vähintään kuusi rikoksia ennalta ehkäisevää tiedotustoimea, jotka on suunnattu"
            " erityisen haavoittuville rikoksen uhreille, esimerkiksi ikääntyneille ja"
            " lähisuhdeväkivallan uhreille.",
        ),
        (
            "Turvattomat ja rikosalttiit paikat",
            "Vähintään kahdeksan turvallisuuskävelyä turvattomissa ja rikosalttiissa paikoissa"
            " vuoden aikana.",
        ),
        (
            "Rikolliset verkostot",
            "Vähintään neljä toimea, joissa keskitytään järjestäytyneeseen rikollisuuteen ja"
            " rikoshyötyihin yhteistyössä muiden viranomaisten kanssa.",
        ),
    ],
    "ar": [
        (
            "الشباب",
            "ست عمليات شرطية على الأقل تركز بشكل خاص على السرقة من الأشخاص وجرائم العنف وجرائم"
            " المخدرات بين الشباب.",
        ),
        (
            "ضحايا الجرائم الأكثر عرضة للخطر",
            "ست حملات توعية على الأقل لمنع الجريمة موجهة إلى ضحايا الجرائم الأكثر عرضة للخطر،"
            " مثل كبار السن ومن يتعرضون للعنف من الشريك.",
        ),
        (
            "الأماكن غير الآمنة والمعرضة للجريمة",
            "ثماني جولات أمان على الأقل في الأماكن غير الآمنة والمعرضة للجريمة خلال العام.",
        ),
        (
            "الشبكات الإجرامية",
            "أربع عمليات على الأقل تركز على الجريمة المنظمة وعائدات الجريمة، بالتعاون مع جهات"
            " حكومية أخرى.",
        ),
    ],
    "fa": [
        (
            "جوانان",
            "دست‌کم شش عملیات پلیس با تمرکز ویژه بر زورگیری، جرایم خشونت‌آمیز و جرایم مواد مخدر"
            " در میان جوانان.",
        ),
        (
            "قربانیان به‌ویژه آسیب‌پذیر جرم",
            "دست‌کم شش برنامهٔ اطلاع‌رسانی برای پیشگیری از جرم، ویژهٔ قربانیان به‌ویژه آسیب‌پذیر"
            " جرم، مانند سالمندان و کسانی که از سوی همسر یا شریک زندگی آسیب می‌بینند.",
        ),
        (
            "مکان‌های ناامن و جرم‌خیز",
            "دست‌کم هشت پیاده‌روی ایمنی در مکان‌های ناامن و جرم‌خیز در طول سال.",
        ),
        (
            "شبکه‌های تبهکار",
            "دست‌کم چهار عملیات با تمرکز بر جرایم سازمان‌یافته و درآمدهای حاصل از جرم، با همکاری"
            " نهادهای دیگر.",
        ),
    ],
    "so": [
        (
            "Dhallinyarada",
            "Ugu yaraan lix hawlgal oo booliis ah oo si gaar ah diiradda u saaraya dhaca,"
            " dembiyada rabshadaha iyo dembiyada daroogada ee dhallinyarada dhexdooda.",
        ),
        (
            "Dhibbanayaasha dembiyada ee aadka u nugul",
            "Ugu yaraan lix hawlgal oo macluumaad ah oo dembiyada looga hortago, loona"
            " jeediyo dhibbanayaasha aadka u nugul, tusaale ahaan dadka waayeelka ah iyo"
            " kuwa uu lammaanahoodu dhibaateeyo.",
        ),
        (
            "Meelaha aan nabadda ahayn ee dembiyadu ku badan yihiin",
            "Ugu yaraan siddeed socod nabadgelyo oo lagu sameeyo meelaha aan nabadda ahayn ee"
            " dembiyadu ku badan yihiin sannadka gudihiisa.",
        ),
        (
            "Shabakadaha dembiyada",
            "Ugu yaraan afar hawlgal oo diiradda saaraya dembiyada abaabulan iyo faa'iidada"
            " dembiyada, iyadoo lala kaashanayo hay'adaha kale.",
        ),
    ],
}
# The Swedish texts as 0002_public_seed_promise_2022 shipped them, by position (not imported:
# a migration stands alone and keeps what was true when it was written).
PROMISE_2022_HEADINGS = (
    "Ungdomar",
    "Särskilt utsatta brottsoffer",
    "Otrygga och brottsutsatta platser",
    "Kriminella nätverk",
)


@migration("0005_promises_texts_2022")
def promises_texts_2022(db: sqlite_utils.Database) -> None:
    rows = db.execute(
        "select c.id, c.position, c.heading from commitments c join promises p on p.id = c.promise_id"
        " where p.year = 2022 and p.area = 'Lokalpolisområde Norrmalm' order by c.position"
    ).fetchall()
    for commitment_id, position, heading in rows:
        if position >= len(PROMISE_2022_HEADINGS) or heading != PROMISE_2022_HEADINGS[position]:
            continue
        for language, texts in PROMISE_2022_TEXTS.items():
            db.execute(
                "insert or ignore into commitment_texts (commitment_id, language, heading, text)"
                " values (?, ?, ?, ?)",
                [commitment_id, language, *texts[position]],
            )
