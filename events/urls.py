from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("<str:token>/", views.registration_manage, name="registration_manage"),
    path("<str:token>/annuler/", views.registration_cancel, name="registration_cancel"),
    path("<str:token>/accepter/", views.registration_accept, name="registration_accept"),
    path("<str:token>/presence/", views.registration_presence, name="registration_presence"),
]
