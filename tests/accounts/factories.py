import factory

from accounts.models import Membership, Role, User
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ProgrammeFactory, SchemeFactory

PASSWORD = "correct horse battery staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)


class CoordinatorFactory(MembershipFactory):
    role = Role.COORDINATOR
    programme = factory.SubFactory(ProgrammeFactory)


class PartnerFactory(MembershipFactory):
    role = Role.PARTNER
    programme = factory.SubFactory(ProgrammeFactory)


class ExpertFactory(MembershipFactory):
    role = Role.EXPERT
    scheme = factory.SubFactory(SchemeFactory)


class CityOfficerFactory(MembershipFactory):
    role = Role.OFFICER
    city = factory.SubFactory(CityFactory)


class CitySupervisorFactory(MembershipFactory):
    role = Role.SUPERVISOR
    city = factory.SubFactory(CityFactory)
