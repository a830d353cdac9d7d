from django.urls import path

from exoclinic.site.views import coming_soon

app_name = "scheduling"
urlpatterns = [
    path("book/", coming_soon, {"topic": "book"}, name="book"),
]
