import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mentoring.models import Pairing, PairingStatus
from mentoring.services import pairing_create, participation_add
from tests.cities.factories import CityFactory
from tests.mentoring.factories import PairingFactory, SchemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme():
    return SchemeFactory(mentor_capacity=2)


def taking_part(scheme, *cities):
    for city in cities:
        participation_add(programme=scheme.programme, city=city)
    return cities


class TestDatabaseConstraints:
    def test_a_city_cannot_be_paired_with_itself(self, scheme):
        city = CityFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Pairing.objects.create(scheme=scheme, mentor=city, implementing=city)

    def test_no_duplicate_pairing_in_a_scheme(self, scheme):
        pairing = PairingFactory(scheme=scheme)
        with pytest.raises(IntegrityError), transaction.atomic():
            Pairing.objects.create(
                scheme=scheme, mentor=pairing.mentor, implementing=pairing.implementing
            )

    def test_the_same_cities_may_pair_in_another_scheme(self, scheme):
        pairing = PairingFactory(scheme=scheme)
        other = SchemeFactory(programme=scheme.programme)
        Pairing.objects.create(
            scheme=other, mentor=pairing.mentor, implementing=pairing.implementing
        )

    def test_a_withdrawal_needs_a_reason(self, scheme):
        pairing = PairingFactory(scheme=scheme)
        pairing.status = PairingStatus.WITHDRAWN
        with pytest.raises(IntegrityError), transaction.atomic():
            pairing.save()


class TestPairingService:
    def test_creates_a_proposed_pairing(self, scheme):
        mentor, implementing = taking_part(scheme, CityFactory(), CityFactory())
        pairing = pairing_create(scheme=scheme, mentor=mentor, implementing=implementing)
        assert pairing.status == PairingStatus.PROPOSED

    def test_refuses_a_city_paired_with_itself(self, scheme):
        (city,) = taking_part(scheme, CityFactory())
        with pytest.raises(ValidationError) as error:
            pairing_create(scheme=scheme, mentor=city, implementing=city)
        assert error.value.message_dict["implementing"] == ["A city cannot be paired with itself."]

    def test_refuses_cities_outside_the_programme(self, scheme):
        (mentor,) = taking_part(scheme, CityFactory(name="Ghent"))
        outsider = CityFactory(name="Oslo")
        with pytest.raises(ValidationError) as error:
            pairing_create(scheme=scheme, mentor=mentor, implementing=outsider)
        assert "Oslo does not take part in" in error.value.message_dict["implementing"][0]

    def test_refuses_a_duplicate(self, scheme):
        mentor, implementing = taking_part(scheme, CityFactory(), CityFactory())
        pairing_create(scheme=scheme, mentor=mentor, implementing=implementing)
        with pytest.raises(ValidationError) as error:
            pairing_create(scheme=scheme, mentor=mentor, implementing=implementing)
        assert "already mentors" in error.value.message_dict["__all__"][0]
        assert Pairing.objects.count() == 1

    def test_holds_the_mentor_capacity(self, scheme):
        mentor, *others = taking_part(scheme, *CityFactory.create_batch(4))
        pairing_create(scheme=scheme, mentor=mentor, implementing=others[0])
        pairing_create(scheme=scheme, mentor=mentor, implementing=others[1])
        with pytest.raises(ValidationError) as error:
            pairing_create(scheme=scheme, mentor=mentor, implementing=others[2])
        assert "capacity" in error.value.message_dict["mentor"][0]

    def test_withdrawn_pairings_free_the_capacity(self, scheme):
        mentor, *others = taking_part(scheme, *CityFactory.create_batch(4))
        first = pairing_create(scheme=scheme, mentor=mentor, implementing=others[0])
        pairing_create(scheme=scheme, mentor=mentor, implementing=others[1])
        Pairing.objects.filter(pk=first.pk).update(
            status=PairingStatus.WITHDRAWN, withdrawal_reason="x"
        )
        pairing_create(scheme=scheme, mentor=mentor, implementing=others[2])

    def test_never_proposes_a_withdrawn_pair_again(self, scheme):
        """In any scheme of the programme, whichever city mentored: the service refuses it, so
        the matching page, the pairing form and the seeder are all held to it."""
        ghent, riga = taking_part(scheme, CityFactory(name="Ghent"), CityFactory(name="Riga"))
        first = pairing_create(scheme=scheme, mentor=ghent, implementing=riga)
        Pairing.objects.filter(pk=first.pk).update(
            status=PairingStatus.WITHDRAWN, withdrawal_reason="Ghent ran out of staff time."
        )
        other = SchemeFactory(programme=scheme.programme)
        for mentor, implementing in [(ghent, riga), (riga, ghent)]:
            with pytest.raises(ValidationError) as error:
                pairing_create(scheme=other, mentor=mentor, implementing=implementing)
            assert error.value.messages == [
                f"A pairing of {mentor} and {implementing} was withdrawn before in this "
                "programme; it is not proposed again."
            ]
        assert Pairing.objects.count() == 1

    def test_a_pair_withdrawn_in_another_programme_may_pair_here(self, scheme):
        ghent, riga = taking_part(scheme, CityFactory(), CityFactory())
        elsewhere = SchemeFactory()
        taking_part(elsewhere, ghent, riga)
        withdrawn = pairing_create(scheme=elsewhere, mentor=ghent, implementing=riga)
        Pairing.objects.filter(pk=withdrawn.pk).update(
            status=PairingStatus.WITHDRAWN, withdrawal_reason="x"
        )
        assert pairing_create(scheme=scheme, mentor=ghent, implementing=riga).pk
