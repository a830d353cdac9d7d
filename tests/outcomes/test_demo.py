"""The demo seeding gives several patients baseline, follow-ups and a diary, and is safe to run twice."""

import pytest
from django.core.management import call_command

from exoclinic.outcomes.models import Assessment, DiaryEntry, FollowUpSchedule

pytestmark = pytest.mark.django_db


def test_demo_outcomes_are_seeded_once(client):
    call_command("seed_demo", quiet=True)
    counts = (Assessment.objects.count(), DiaryEntry.objects.count(), FollowUpSchedule.objects.count())
    call_command("seed_demo", quiet=True)
    assert (
        Assessment.objects.count(),
        DiaryEntry.objects.count(),
        FollowUpSchedule.objects.count(),
    ) == counts
    assert counts[2] >= 5 and counts[1] >= 40
    assert Assessment.objects.filter(follow_up_months=0).values("patient").distinct().count() >= 5
    assert Assessment.objects.filter(follow_up_months__gt=0).exists()
    client.login(email="patient@example.org", password="exoclinic-demo-2026")
    page = client.get("/portal/progress/").content.decode()
    assert 'role="img"' in page and "SCIM III total" in page
