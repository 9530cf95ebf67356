"""factory_boy factories for the core and plan models."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from goldenthread.core.models import Organisation, Period, Post, RoleGrant, Service
from goldenthread.plans.models import Action, Milestone, Plan, Section


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pw-for-tests-0")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.LazyAttribute(lambda o: f"Council {o.code}")
    kind = Organisation.Kind.PARTNER


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.LazyAttribute(lambda o: f"Service {o.code}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"Director {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    code = factory.Sequence(lambda n: f"PLAN{n}")
    title = factory.Sequence(lambda n: f"Plan {n}")
    kind = Plan.Kind.IMPROVEMENT
    owner = factory.SubFactory(OrganisationFactory, code="OS", kind="shared_service")
    status_scale = Plan.Scale.RAG
    reporting_period = factory.LazyFunction(lambda: Period.objects.for_code("2019/20 Q2"))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(int)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    plan = factory.SelfAttribute("section.plan")
    ref = factory.Sequence(lambda n: f"IP{n:02d}")
    title = factory.Sequence(lambda n: f"Deliver improvement {n}")
    lead = "Director of ICT"
    order = factory.Sequence(int)

    @factory.post_generation
    def lead_posts(self, create, extracted, **kwargs):
        if create and extracted:
            self.lead_posts.set(extracted)

    @factory.post_generation
    def partner_list(self, create, extracted, **kwargs):
        if create and extracted:
            self.all_partners = False
            self.save(update_fields=["all_partners"])
            self.partners.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    order = factory.Sequence(int)


def grant(user, role: str, partner: Organisation | None = None) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, partner=partner)
