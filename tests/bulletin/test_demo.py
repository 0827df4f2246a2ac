"""The demo babillard reads like a real one."""

import os

import pytest
from django.core.management import call_command

from bulletin import demo
from bulletin.models import Post

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=open(os.devnull, "w"))


def test_demo_posts_have_real_looking_contact_people():
    seed()
    names = list(Post.objects.values_list("contact_name", flat=True))
    assert len(names) == len(demo.POSTS)
    assert "Personne-ressource" not in names
    assert len(set(names)) == len(names) and all(" " in name for name in names)
    assert all(
        email.endswith("@example.org") for email in Post.objects.values_list("contact_email", flat=True)
    )


def test_seeding_again_replaces_the_old_placeholder_contact():
    seed()
    Post.objects.update(contact_name="Personne-ressource")
    seed()
    assert not Post.objects.filter(contact_name="Personne-ressource").exists()
