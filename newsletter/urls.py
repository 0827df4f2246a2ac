from django.urls import path

from newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/merci/", views.signup_done, name="signup_done"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("preferences/<str:token>/donnees.json", views.download, name="download"),
    path("preferences/<str:token>/effacer/", views.erase, name="erase"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("renouveler/<str:token>/", views.renew, name="renew"),
    path("en-attente/<str:token>/renvoyer/", views.resend, name="resend"),
    path("en-attente/<str:token>/annuler/", views.cancel, name="cancel"),
    path("lien-exemple/", views.sample_link, name="sample_link"),
]
