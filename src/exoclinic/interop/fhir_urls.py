"""/fhir/r4/ (stable contract): included by exoclinic/urls.py under the "fhir" namespace."""

from django.urls import path, re_path

from . import export_views, fhir_views

app_name = "fhir"
urlpatterns = [
    path("metadata", fhir_views.metadata, name="metadata"),
    path("Patient/$export", export_views.kickoff_patients, name="export-patients"),
    path("Group/<str:group_id>/$export", export_views.kickoff_group, name="export-group"),
    path("$export-status/<str:export_id>", export_views.status, name="export-status"),
    path("$export-file/<str:export_id>/<str:kind>.ndjson", export_views.file, name="export-file"),
    path("Patient/<str:patient_id>/$everything", fhir_views.everything, name="everything"),
    path("<str:kind>", fhir_views.search, name="search"),
    path("<str:kind>/<str:resource_id>", fhir_views.read, name="read"),
    re_path(r"^.*$", fhir_views.unknown),  # any other path: a 404 OperationOutcome, not the HTML page
]
