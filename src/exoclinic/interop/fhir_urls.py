"""/fhir/r4/ (stable contract): included by exoclinic/urls.py under the "fhir" namespace."""

from django.urls import path

from . import fhir_views

app_name = "fhir"
urlpatterns = [
    path("metadata", fhir_views.metadata, name="metadata"),
    path("Patient/<str:patient_id>/$everything", fhir_views.everything, name="everything"),
    path("<str:kind>", fhir_views.search, name="search"),
    path("<str:kind>/<str:resource_id>", fhir_views.read, name="read"),
]
