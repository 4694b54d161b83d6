from django.urls import path

from . import respondent_views as views

urlpatterns = [
    path("<str:token>/", views.respondent_start_view, name="respondent_start"),
    path("<str:token>/<int:page>/", views.respondent_page_view, name="respondent_page"),
    path("<str:token>/autosave/", views.respondent_autosave_view, name="respondent_autosave"),
    path("<str:token>/review/", views.respondent_review_view, name="respondent_review"),
    path("<str:token>/submit/", views.respondent_submit_view, name="respondent_submit"),
    path("<str:token>/thanks/", views.respondent_thanks_view, name="respondent_thanks"),
    path("<str:token>/reopen/", views.respondent_reopen_view, name="respondent_reopen"),
    path("<str:token>/language/", views.respondent_language_view, name="respondent_language"),
    path("<str:token>/logo/", views.respondent_logo_view, name="respondent_logo"),
]
