import factory
from django.utils import timezone

from workspaces.models import (
    Client,
    ClientAccess,
    ClientRole,
    Invitation,
    Membership,
    Role,
    User,
    Workspace,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Consultancy {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.OWNER


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Client organisation {n}")
    industry = "Retail"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    workspace = factory.SubFactory(WorkspaceFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.CONSULTANT
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))


def grant_client(
    membership: Membership, client: Client, role: str = ClientRole.VIEWER
) -> ClientAccess:
    """Give a client member (or a limited consultant) access to one client."""
    return ClientAccess.objects.create(membership=membership, client=client, role=role)
