"""What the home page shows from the other apps. Each app fills its slot when it lands;
until then the slot is empty and the template shows its empty state."""


def latest_posts(request, limit=3):
    from bulletin.services import latest_published

    return latest_published(limit)


def upcoming_events(request, limit=3):
    from events.services import upcoming_events as upcoming

    return upcoming(limit)


def newsletter_form(request):
    from newsletter.forms import SignupForm

    return SignupForm()


def context(request):
    return {
        "latest_posts": latest_posts(request),
        "upcoming_events": upcoming_events(request),
        "newsletter_form": newsletter_form(request),
    }
