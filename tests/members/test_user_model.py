from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from members.models import User

pytestmark = pytest.mark.django_db


def test_the_user_model_has_no_username():
    field_names = {field.name for field in User._meta.get_fields()}

    assert "username" not in field_names
    assert User.USERNAME_FIELD == "email"


def test_emails_are_stored_lower_case():
    user = User.objects.create_user(email="  Carol@Example.ORG ", password=None)

    assert user.email == "carol@example.org"
    assert not user.has_usable_password()


def test_emails_are_unique_whatever_their_case():
    User.objects.create_user(email="carol@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        # bulk_create skips save(): the database constraint itself must refuse it.
        User.objects.bulk_create([User(email="CAROL@example.org")])
