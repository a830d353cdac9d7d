"""One rule for "which patient": a person who has their own record and also cares for another patient acts
for their own record on every portal page until they choose the other one, and the choice holds everywhere."""

import pytest

from exoclinic.core.errors import NotFound
from exoclinic.core.policy import acting_patient, portal_patients
from tests.factories import PatientFactory, UserFactory

# Every portal page that acts for one patient.
ACTING_PAGES = [
    "/book/types/",
    "/portal/profile/",
    "/portal/symptoms/",
    "/portal/treatment/",
    "/portal/progress/",
    "/portal/diary/",
    "/portal/aftercare/",
    "/portal/isncsci/",
]


@pytest.fixture
def family(clinic):
    """Marta has her own record and is the named caregiver of her father Luis; Sara is a stranger."""
    marta = UserFactory(email="marta@example.org")
    own = PatientFactory(clinic=clinic, user=marta, first_name="Marta", last_name="Ruiz")
    father = PatientFactory(
        clinic=clinic, user=UserFactory(), caregiver=marta, first_name="Luis", last_name="Ruiz"
    )
    stranger = PatientFactory(clinic=clinic, user=UserFactory(), first_name="Sara", last_name="Vidal")
    return marta, own, father, stranger


def test_own_record_comes_first_and_a_cared_for_patient_only_by_choice(family):
    marta, own, father, stranger = family
    assert list(portal_patients(marta)) == [own, father]
    assert acting_patient(user=marta) == own
    assert acting_patient(user=marta, choice=str(father.pk)) == father
    for bad in (stranger.pk, "nonsense", 2**63, -1):
        with pytest.raises(NotFound):
            acting_patient(user=marta, choice=bad)


def test_a_caregiver_without_a_record_acts_for_the_patient_who_named_them(clinic):
    carer = UserFactory()
    first = PatientFactory(clinic=clinic, caregiver=carer)
    PatientFactory(clinic=clinic, caregiver=carer)
    assert acting_patient(user=carer) == first
    assert acting_patient(user=UserFactory()) is None


@pytest.mark.parametrize("url", ACTING_PAGES)
def test_every_portal_page_acts_for_the_own_record_then_keeps_the_explicit_choice(client, family, url):
    marta, own, father, stranger = family
    client.force_login(marta)

    first = client.get(url)
    assert first.status_code == 200, url
    assert "You are acting for your own record (Marta Ruiz)" in first.content.decode()

    chosen = client.get(url, {"patient": father.pk})
    assert chosen.status_code == 200
    assert "You are acting for Luis Ruiz, as their caregiver." in chosen.content.decode()

    # The choice holds on every other page, without ?patient= in the link.
    for other in ACTING_PAGES:
        page = client.get(other).content.decode()
        assert "You are acting for Luis Ruiz, as their caregiver." in page, other

    back = client.get(url, {"patient": own.pk}).content.decode()
    assert "You are acting for your own record (Marta Ruiz)" in back
    assert client.get(url, {"patient": stranger.pk}).status_code == 404


def test_a_patient_with_only_their_own_record_sees_no_switch(client, clinic):
    user = UserFactory()
    PatientFactory(clinic=clinic, user=user)
    client.force_login(user)
    page = client.get("/portal/profile/").content.decode()
    assert 'data-testid="acting-for"' not in page
