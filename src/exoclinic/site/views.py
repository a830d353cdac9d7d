from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .models import ConditionPage, TherapyPage

TOPICS = {
    "apply": {
        "title": _("Apply for treatment"),
        "coming": _(
            "The online treatment application is being built: a form that asks about your condition, "
            "your current function and, most of all, your goals, and that you can save and finish later."
        ),
    },
    "book": {
        "title": _("Book a visit"),
        "coming": _(
            "Online booking of consultations, treatment sessions and follow-up visits is being built."
        ),
    },
}


@require_safe
def home(request):
    return render(
        request,
        "site/home.html",
        {
            "therapies": TherapyPage.objects.filter(published=True),
            "conditions": ConditionPage.objects.filter(published=True),
        },
    )


@require_safe
def emergency(request):
    return render(request, "site/emergency.html")


@require_safe
def condition_list(request):
    return render(
        request, "site/condition_list.html", {"conditions": ConditionPage.objects.filter(published=True)}
    )


@require_safe
def condition_detail(request, slug: str):
    page = get_object_or_404(ConditionPage, slug=slug, published=True)
    return render(request, "site/condition_detail.html", {"page": page})


@require_safe
def therapy_list(request):
    return render(
        request, "site/therapy_list.html", {"therapies": TherapyPage.objects.filter(published=True)}
    )


@require_safe
def therapy_detail(request, slug: str):
    page = get_object_or_404(TherapyPage, slug=slug, published=True)
    return render(request, "site/therapy_detail.html", {"page": page})


@require_safe
def coming_soon(request, topic: str):
    return render(request, "site/coming_soon.html", {"topic": TOPICS[topic]})
