"""The named groups exist after `migrate` and after a flush (Django re-sends post_migrate), before any
demo content: a fresh installation has them. (Apart from test_permissions.py, whose module-wide demo
transaction would block a flush.)"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from website.permissions import EVENTS, GROUPS


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_named_groups_back_with_their_permissions():
    call_command("flush", interactive=False, verbosity=0)
    names = set(Group.objects.values_list("name", flat=True))
    assert {spec.name for spec in GROUPS} <= names
    events = Group.objects.get(name=EVENTS)
    assert events.permissions.filter(codename="email_registrants").exists()
    assert events.permissions.filter(codename="access_admin").exists()
