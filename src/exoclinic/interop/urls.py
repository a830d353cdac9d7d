from django.urls import path

from . import staff_views, views

app_name = "interop"
urlpatterns = [
    path("portal/my-record/", views.my_record, name="my-record"),
    path("portal/my-record/record.json", views.my_record_json, name="my-record-json"),
    path("portal/my-record/summary.pdf", views.my_record_pdf, name="my-record-pdf"),
    path("staff/referrals/import/", staff_views.referral_upload, name="referral-upload"),
    path("staff/referrals/<int:import_id>/", staff_views.referral_review, name="referral-review"),
]
