from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from workspaces.account_views import RateLimitedPasswordResetView, SignInView

from . import views
from .forms import EmailAuthenticationForm, QueuedPasswordResetForm

auth_patterns = [
    path(
        "login/",
        SignInView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        RateLimitedPasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
]

urlpatterns = [
    # Respondents' pages first: their autosaves are the most frequent requests.
    path("r/", include("assessments.respondent_urls")),
    path("", include("workspaces.urls")),
    path("", include("cxmaturity.portal_urls")),
    path("", include("assessments.urls")),
    path("", include("kpis.urls")),
    path("", include("playbooks.urls")),
    path("", include("insights.urls")),
    path("", include("audit.urls")),
    path("accounts/", include(auth_patterns)),
    path("api/v1/", include("workspaces.api_urls")),
    path("api/v1/", include("assessments.api_urls")),
    path("api/v1/", include("kpis.api_urls")),
    path("api/v1/", include("playbooks.api_urls")),
    path("api/v1/", include("insights.api_urls")),
    path("api/v1/", include("audit.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view loads its start-up script from a URL, so no inline script is needed;
    # Swagger UI does set inline styles.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api_schema")
        ),
        name="api_docs",
    ),
    path("healthz/", views.healthz_view, name="healthz"),
    path("livez/", views.livez_view, name="livez"),
    # The admin signs in through our sign-in, so two-factor sign-in cannot be skipped.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "cxmaturity.views.bad_request"
handler403 = "cxmaturity.views.permission_denied"
handler404 = "cxmaturity.views.page_not_found"
handler500 = "cxmaturity.views.server_error"
