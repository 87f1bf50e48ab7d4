"""factory_boy factories for the organisation."""

from __future__ import annotations

import datetime as dt

import factory

from portal.models import Person, PoliticalStatus, Unit, User


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Unit.Kind.DEPARTMENT


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    unit = factory.SubFactory(UnitFactory)
    gender = Person.Gender.MALE
    birth_date = dt.date(1980, 5, 1)
    political_status = PoliticalStatus.CPC


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-test-2026")
    person = factory.SubFactory(PersonFactory)
