from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth.models import Group

from people.models import HR_GROUP, Department, Language, Skill, User

PASSWORD = "correct-horse-battery"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Skill {n}")


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = "es"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name", locale="es_ES")
    last_name = factory.Faker("last_name", locale="es_ES")
    job_title = "Analyst"
    department = factory.SubFactory(DepartmentFactory)
    language = "es"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            from people.services import email_address_sync

            email_address_sync(self)

    @factory.post_generation
    def hr(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])


class ProgramFactory(factory.django.DjangoModelFactory):
    """A recruiting program open today, with one objective and the default questionnaire."""

    class Meta:
        model = "programs.Program"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programa {n}")
    slug = factory.Sequence(lambda n: f"programa-{n}")
    summary = "Aprende de quien más sabe."
    description = "Un programa de **desarrollo profesional**."
    focus = "career"
    matching_mode = "mentee_choice"
    status = "recruiting"
    recruitment_opens = factory.LazyFunction(lambda: _today() - timedelta(days=7))
    recruitment_closes = factory.LazyFunction(lambda: _today() + timedelta(days=21))
    matching_deadline = factory.LazyFunction(lambda: _today() + timedelta(days=35))
    starts_on = factory.LazyFunction(lambda: _today() + timedelta(days=42))
    ends_on = factory.LazyFunction(lambda: _today() + timedelta(days=42 + 182))
    created_by = factory.SubFactory(UserFactory, hr=True)

    @factory.post_generation
    def questionnaire(self, create, extracted, **kwargs):
        if create and extracted is not False:
            from programs.questionnaire.services import questions_add_defaults

            questions_add_defaults(program=self, language="es")

    @factory.post_generation
    def objective(self, create, extracted, **kwargs):
        if create and extracted is not False:
            from programs.models import Objective

            Objective.objects.create(
                program=self,
                title="Formar 10 parejas",
                indicator="pairs_formed",
                target=10,
                target_date=self.ends_on,
            )


def _today():
    from django.utils import timezone

    return timezone.localdate()


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application (answers left empty unless given)."""

    class Meta:
        model = "programs.Application"

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(UserFactory)
    role = "mentee"
    status = "submitted"


class InfoSessionFactory(factory.django.DjangoModelFactory):
    """An information session a week from now, by video call."""

    class Meta:
        model = "programs.InfoSession"

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Sesión informativa {n}")
    starts_at = factory.LazyFunction(lambda: _now() + timedelta(days=7))
    duration_minutes = 60
    video_url = "https://meet.example.com/sesion"
    capacity = 20


def _now():
    from django.utils import timezone

    return timezone.now()
