"""Cost sharing: one rule (`share`) for what an organisation pays, the current shares, and what the
event page, the emails and the registration page say about them."""

from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal

from events.models.records import CostRule, Registration

CENT = Decimal("0.01")


def share(total, part, whole, cap=None):
    """The cost rule: `part` of `whole` of `total`, never above `cap`, rounded half up to the cent
    (5.025 is 5.03). Shares per organisation, per seat, today's and the next one all come from here."""
    amount = total * part / whole
    if cap is not None:
        amount = min(amount, cap)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def participating(event):
    """Confirmed registrations grouped by organisation: {key: (name, seats, [registrations])}."""
    groups = OrderedDict()
    confirmed = Registration.objects.filter(event=event, state=Registration.State.CONFIRMED)
    for registration in confirmed.select_related("member_organisation").order_by("created_at", "pk"):
        # A linked organisation shows under its registry name, whatever the first person typed.
        linked = registration.member_organisation
        typed = linked.name if linked is not None else registration.organisation
        name, seats, members = groups.get(registration.organisation_key, (typed, 0, []))
        groups[registration.organisation_key] = (name, seats + registration.seats, [*members, registration])
    return groups


def cost_shares(event, groups=None):
    """[(organisation, seats, amount)] under the event's rule and cap."""
    if not event.shares_costs:
        return []
    groups = participating(event) if groups is None else groups
    if not groups:
        return []
    total, cap = event.total_cost, event.cost_cap
    if event.cost_rule == CostRule.PER_SEAT:
        all_seats = sum(seats for _name, seats, _members in groups.values())
        return [(name, seats, share(total, seats, all_seats, cap)) for name, seats, _m in groups.values()]
    return [(name, seats, share(total, 1, len(groups), cap)) for name, seats, _m in groups.values()]


def share_preview(event):
    """What the page shows: the current share per organisation (or per seat), and the next one."""
    if not event.shares_costs:
        return None
    groups = participating(event)
    total, cap = event.total_cost, event.cost_cap
    if event.cost_rule == CostRule.PER_SEAT:
        seats = sum(s for _n, s, _m in groups.values())
        # The price of one seat; the cap is per organisation, so it applies to the shares, not here.
        per_seat = share(total, 1, max(seats, 1))
        return {"rule": "per_seat", "current": per_seat, "organisations": len(groups), "seats": seats}
    count = len(groups)
    return {
        "rule": "per_organisation",
        "current": share(total, 1, max(count, 1), cap),
        "next": share(total, 1, count + 1, cap),
        "organisations": count,
    }


def registration_share(registration):
    """How the cost applies to one registration, for its page and its emails (None: nothing to pay).

    `amount` is its organisation's share today (confirmed registrations only); it can still go down
    until registration closes, unless the final shares are sent (`final`)."""
    event = registration.event
    if not event.shares_costs:
        return None
    amount = None
    if registration.state == Registration.State.CONFIRMED:
        groups = participating(event)
        for key, (_name, _seats, amount_due) in zip(groups, cost_shares(event, groups), strict=True):
            if key == registration.organisation_key:
                amount = amount_due
    return {
        **share_preview(event),
        "total": event.total_cost,
        "cap": event.cost_cap,
        "amount": amount,
        "final": bool(event.shares_sent_at),
    }
