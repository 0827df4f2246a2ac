"""The demo editor's login."""

from django.contrib.auth import get_user_model

from website.permissions import ensure_groups

DEMO_EDITOR = ("editeur", "maillon-demo")


def seed_editor():
    """The demo login: in every named group (so the demo shows every screen), never a superuser."""
    User = get_user_model()
    username, password = DEMO_EDITOR
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": "editeur@example.org", "first_name": "Éditrice", "last_name": "Démo"},
    )
    if created:
        user.set_password(password)
    # An older demo made this login a superuser: it holds exactly the named groups' rights now.
    user.is_staff = False
    user.is_superuser = False
    user.save()
    user.groups.add(*ensure_groups().values())
    return created
