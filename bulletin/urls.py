from django.urls import path

from bulletin import feeds, views

app_name = "bulletin"

urlpatterns = [
    path("", views.post_list, name="post_list"),
    path("publier/", views.post_submit, name="post_submit"),
    path("publier/merci/", views.post_submitted, name="post_submitted"),
    path("confirmer/<str:token>/", views.post_confirm, name="post_confirm"),
    path("gerer/<str:token>/", views.post_manage, name="post_manage"),
    path("gerer/<str:token>/renouveler/", views.post_renew, name="post_renew"),
    path("gerer/<str:token>/fermer/", views.post_close, name="post_close"),
    path("signalements/confirmer/<str:token>/", views.report_confirm, name="report_confirm"),
    path("alertes/", views.alert_subscribe, name="alert_subscribe"),
    path("alertes/confirmer/<str:token>/", views.alert_confirm, name="alert_confirm"),
    path("alertes/desabonnement/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("rss/", feeds.PostFeed(), name="feed"),
    path("<int:pk>/contact/", views.post_contact, name="post_contact"),
    path("<int:pk>/signaler/", views.post_report, name="post_report"),
    path("<int:pk>-<str:slug>/", views.post_detail, name="post_detail"),
]
