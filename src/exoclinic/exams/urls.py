from django.urls import path

from . import views

app_name = "exams"
urlpatterns = [
    path("staff/isncsci/", views.index, name="index"),
    path("staff/patients/<int:patient_id>/isncsci/", views.patient_exams, name="patient-exams"),
    path("staff/patients/<int:patient_id>/isncsci/new/", views.exam_new, name="new"),
    path("staff/isncsci/<int:exam_id>/", views.exam_detail, name="detail"),
    path("staff/isncsci/<int:exam_id>/correct/", views.exam_correct, name="correct"),
    path("staff/isncsci/<int:exam_id>/worksheet.pdf", views.exam_pdf, name="pdf"),
    path("portal/isncsci/", views.portal_exams, name="portal-exams"),
    path("portal/isncsci/<int:exam_id>/worksheet.pdf", views.portal_exam_pdf, name="portal-pdf"),
]
