from django.urls import path

from exoclinic.site.views import coming_soon

app_name = "intake"
urlpatterns = [
    path("apply/", coming_soon, {"topic": "apply"}, name="apply"),
]
