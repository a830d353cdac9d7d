from django.urls import path

from . import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("emergency/", views.emergency, name="emergency"),
    path("conditions/", views.condition_list, name="conditions"),
    path("conditions/<slug:slug>/", views.condition_detail, name="condition"),
    path("therapies/", views.therapy_list, name="therapies"),
    path("therapies/<slug:slug>/", views.therapy_detail, name="therapy"),
]
