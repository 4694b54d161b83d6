from django.urls import path

from . import account_views, client_team_views, trash_views, views

T = "w/<uuid:workspace_id>/clients/<uuid:client_id>/team/"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("account/", account_views.account_view, name="account"),
    path("language/", account_views.language_view, name="set_language"),
    path("account/digest/", account_views.digest_preference_view, name="digest_preference"),
    path(
        "digest/unsubscribe/<str:token>/",
        account_views.digest_unsubscribe_view,
        name="digest_unsubscribe",
    ),
    path("account/tokens/revoke/", account_views.api_token_revoke_view, name="api_token_revoke"),
    path("account/two-factor/", account_views.two_factor_setup_view, name="two_factor_setup"),
    path(
        "account/two-factor/recovery-codes/",
        account_views.recovery_codes_view,
        name="two_factor_recovery_codes",
    ),
    path(
        "account/two-factor/off/", account_views.two_factor_disable_view, name="two_factor_disable"
    ),
    path(
        "account/two-factor/code/", account_views.two_factor_verify_view, name="two_factor_verify"
    ),
    path("w/new/", views.workspace_create_view, name="workspace_create"),
    path("w/<uuid:workspace_id>/clients/", views.client_list_view, name="client_list"),
    path("w/<uuid:workspace_id>/clients/new/", views.client_create_view, name="client_create"),
    path(
        "w/<uuid:workspace_id>/clients/<uuid:client_id>/edit/",
        views.client_edit_view,
        name="client_edit",
    ),
    path(
        "w/<uuid:workspace_id>/clients/<uuid:client_id>/archive/",
        views.client_archive_view,
        name="client_archive",
    ),
    path(
        "w/<uuid:workspace_id>/clients/<uuid:client_id>/delete/",
        views.client_delete_view,
        name="client_delete",
    ),
    path("w/<uuid:workspace_id>/trash/", trash_views.client_trash_view, name="client_trash"),
    path(
        "w/<uuid:workspace_id>/trash/<uuid:client_id>/restore/",
        trash_views.client_restore_view,
        name="client_restore",
    ),
    path(
        "w/<uuid:workspace_id>/trash/<uuid:client_id>/delete/",
        trash_views.client_purge_view,
        name="client_purge",
    ),
    path(T, client_team_views.client_team_view, name="client_team"),
    path(
        T + "<uuid:access_id>/",
        client_team_views.client_access_edit_view,
        name="client_access_edit",
    ),
    path(
        T + "<uuid:access_id>/remove/",
        client_team_views.client_access_remove_view,
        name="client_access_remove",
    ),
    path(
        T + "invitations/<uuid:invitation_id>/revoke/",
        client_team_views.client_invitation_revoke_view,
        name="client_invitation_revoke",
    ),
    path(
        T + "invitations/<uuid:invitation_id>/resend/",
        client_team_views.client_invitation_resend_view,
        name="client_invitation_resend",
    ),
    path("w/<uuid:workspace_id>/members/", views.member_list_view, name="member_list"),
    path(
        "w/<uuid:workspace_id>/members/<uuid:membership_id>/",
        views.member_edit_view,
        name="member_edit",
    ),
    path(
        "w/<uuid:workspace_id>/members/<uuid:membership_id>/remove/",
        views.member_remove_view,
        name="member_remove",
    ),
    path(
        "w/<uuid:workspace_id>/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        "w/<uuid:workspace_id>/invitations/<uuid:invitation_id>/resend/",
        views.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "w/<uuid:workspace_id>/settings/", views.workspace_settings_view, name="workspace_settings"
    ),
    path("w/<uuid:workspace_id>/logo/", views.workspace_logo_view, name="workspace_logo"),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
]
