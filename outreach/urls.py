from django.urls import path

from outreach.views import figures

urlpatterns = [
    # --- figures ---
    path("figures/", figures.figure_list, name="figure_list"),
    path("figures/<int:pk>/", figures.figure_detail, name="figure_detail"),
    # --- pairs ---
    # --- suggestions ---
    # --- learning ---
]
