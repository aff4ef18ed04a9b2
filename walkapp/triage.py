"""The rules of a triage change, apart from Flask: what changed, and why a change is refused.

Messages are marked for translation; the view puts them beside the fields.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from .capture import parse_uuid

NEEDS_PARTNER = ("assigned", "planned")


def triage_changes(
    submitted: dict, current: dict, observation_id: str, today: date, exists
) -> tuple[dict, dict]:
    """(changes, errors). submitted: status, partner_id (0 = none), deadline (date|None),
    reason, duplicate_of, comment. current: the stored measure. exists(id) -> bool."""
    errors: dict = {}
    status = submitted["status"]
    partner_id = submitted["partner_id"] or None
    deadline = submitted["deadline"].isoformat() if submitted["deadline"] else None
    reason = (submitted.get("reason") or "").strip()
    duplicate_raw = (submitted.get("duplicate_of") or "").strip()
    duplicate_of = None
    if deadline and deadline != current["deadline"] and submitted["deadline"] < today:
        errors["deadline"] = _l("Sista dag kan inte ligga i det förflutna.")
    if status == "not_possible" and not reason:
        errors["reason"] = _l("Skriv varför det inte går att åtgärda.")
    if status in NEEDS_PARTNER and partner_id is None:
        errors["partner_id"] = _l("Välj vem som ansvarar för åtgärden.")
    # PRODUCT.md: planned means a deadline is set.
    if status == "planned" and not deadline:
        errors["deadline"] = _l("En planerad åtgärd behöver en sista dag.")
    if status == "duplicate":
        duplicate_of = parse_uuid(duplicate_raw)
        if not duplicate_raw:
            errors["duplicate_of"] = _l("Ange vilken observation detta är en dubblett av.")
        elif duplicate_of is None or not exists(duplicate_of):
            errors["duplicate_of"] = _l("Det finns ingen observation med det id:t.")
        elif duplicate_of == observation_id:
            errors["duplicate_of"] = _l("En observation kan inte vara dubblett av sig själv.")
    if errors:
        return {}, errors
    changes = {
        "status": status,
        "partner_id": partner_id,
        "deadline": deadline,
        "reason": reason if status == "not_possible" else "",
        "duplicate_of": duplicate_of,
        "comment": (submitted.get("comment") or "").strip(),
    }
    return changes, {}
