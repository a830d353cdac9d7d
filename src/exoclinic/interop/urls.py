from django.urls import path

from . import views

app_name = "interop"
urlpatterns = [
    path("portal/my-record/", views.my_record, name="my-record"),
    path("portal/my-record/record.json", views.my_record_json, name="my-record-json"),
    path("portal/my-record/summary.pdf", views.my_record_pdf, name="my-record-pdf"),
]
