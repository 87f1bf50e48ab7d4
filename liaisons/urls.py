from django.urls import path

from liaisons import views

urlpatterns = [
    path("liaisons/", views.liaison_list, name="liaison_list"),
    path("liaisons/new/", views.liaison_appoint, name="liaison_appoint"),
    path("liaisons/<int:pk>/", views.liaison_detail, name="liaison_detail"),
    path("liaisons/<int:pk>/end/", views.liaison_end, name="liaison_end"),
    path("liaisons/<int:pk>/keep/", views.liaison_keep, name="liaison_keep"),
]
