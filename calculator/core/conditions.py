"""The facts one member brings to the rules on the payment day; the condition language is in facts.py."""
from .facts import holds
from .values import age_on, parse_date, period_end_exclusive

__all__ = ["Facts", "holds", "newborn_status"]


class Facts:
    """What the rules may ask about one member on the payment day."""

    def __init__(self, member, paid_on, window_id, policy):
        self.member = member
        self.paid_on = paid_on
        self.window_id = window_id
        self.age = age_on(member.birth_date, paid_on)
        self.newborn = newborn_status(member, paid_on, policy.get("newborn"))


def newborn_status(member, paid_on, newborn_rule):
    """`within_window`, `after_window`, `no_window` (the notice sets none), or None: not a newborn here."""
    if not newborn_rule:
        return None
    who = newborn_rule["who"]
    if "born_on_or_after" in who and member.birth_date < parse_date(who["born_on_or_after"]):
        return None
    if "younger_than_years" in who and age_on(member.birth_date, paid_on) >= who["younger_than_years"]:
        return None
    if "window" not in newborn_rule:
        return "no_window"
    # The day of birth is day 1 of the window, as the waiting period counts the payment day as day 1.
    window_end = period_end_exclusive(member.birth_date, newborn_rule["window"])
    return "within_window" if paid_on < window_end else "after_window"
