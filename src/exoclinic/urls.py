from django.contrib import admin
from django.urls import include, path

from .api import api
from .core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # liveness and readiness for a load balancer
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("fhir/r4/", include("exoclinic.interop.fhir_urls")),  # FHIR R4 (stable contract)
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the footer's language choice
    path("", include("exoclinic.accounts.urls")),
    path("", include("exoclinic.site.urls")),
    path("", include("exoclinic.portal.urls")),
    path("", include("exoclinic.staff.urls")),
    path("", include("exoclinic.intake.urls")),
    path("", include("exoclinic.scheduling.urls")),
    path("", include("exoclinic.triage.urls")),
    path("", include("exoclinic.treatment.urls")),
    path("", include("exoclinic.aftercare.urls")),
    path("", include("exoclinic.exams.urls")),
    path("", include("exoclinic.outcomes.urls")),
    path("", include("exoclinic.products.urls")),
    path("", include("exoclinic.interop.urls")),
]

handler400 = "exoclinic.core.views.bad_request"
handler403 = "exoclinic.core.views.permission_denied"
handler404 = "exoclinic.core.views.page_not_found"
handler500 = "exoclinic.core.views.server_error"
