"""The signed-in person's own account: API tokens, two-factor sign-in, and the sign-in
steps that two-factor adds."""

from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from cxmaturity.client_ip import client_ip
from cxmaturity.forms import form_error
from cxmaturity.rate_limits import rate_limit_exceeded

from . import account_services, digest_opt_out, selectors, tokens, two_factor
from .account_forms import ApiTokenForm, CodeForm


def _next_url(request: HttpRequest, default: str = "account") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    """Tokens (each key shown once, when made) and two-factor sign-in."""
    memberships = list(selectors.membership_list_for_user(user=request.user))
    form = ApiTokenForm(request.POST or None, memberships=memberships)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = tokens.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                workspace_id=form.cleaned_data["workspace"] or None,
                read_only=form.cleaned_data["read_only"],
                two_factor_verified=two_factor.session_verified(request.user),
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            form = ApiTokenForm(memberships=memberships)
    context = {
        "form": form,
        "new_key": new_key,
        "api_tokens": tokens.api_token_list(user=request.user),
        "two_factor_on": two_factor.two_factor_enabled(user=request.user),
        "session_verified": two_factor.session_verified(request.user),
        "recovery_codes_left": len(two_factor.recovery_codes_list(user=request.user)),
        "digest_on": not selectors.digest_opted_out(email=request.user.email),
    }
    return render(request, "workspaces/account.html", context)


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest) -> HttpResponse:
    if request.POST.get("token") == "all":
        count = tokens.api_tokens_revoke_all(user=request.user)
        messages.success(request, _("%(count)d API tokens revoked.") % {"count": count})
        return redirect("account")
    try:
        tokens.api_token_revoke(user=request.user, token_id=request.POST.get("token", ""))
    except ValidationError:  # not a UUID
        messages.error(request, _("No such token."))
    else:
        messages.success(request, _("API token revoked. Scripts using it get 401 from now on."))
    return redirect("account")


@login_required
def two_factor_setup_view(request: HttpRequest) -> HttpResponse:
    if two_factor.two_factor_enabled(user=request.user):
        return redirect("account")
    device = two_factor.totp_device_pending(user=request.user)
    if device is None or request.method == "GET":
        device = two_factor.totp_device_start(user=request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = two_factor.totp_device_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            two_factor.otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on."))
            return render(
                request,
                "workspaces/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": two_factor.qr_code_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "otpauth_uri": device.config_url,
        "next": request.GET.get("next") or request.POST.get("next", ""),
    }
    return render(request, "workspaces/two_factor_setup.html", context)


@login_required
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    if not two_factor.two_factor_enabled(user=request.user):
        return redirect("account")
    if not two_factor.session_verified(request.user):
        return redirect_to_verify(request)
    if request.method == "POST":
        codes = two_factor.recovery_codes_regenerate(user=request.user)
        messages.success(request, _("New recovery codes made; the old ones no longer work."))
    else:
        codes = two_factor.recovery_codes_list(user=request.user)
    return render(request, "workspaces/two_factor_codes.html", {"codes": codes, "next": ""})


def redirect_to_verify(request: HttpRequest) -> HttpResponse:
    from django.utils.http import urlencode

    return redirect(f"{resolve_url('two_factor_verify')}?{urlencode({'next': request.path})}")


@login_required
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    if not two_factor.two_factor_enabled(user=request.user):
        return redirect("account")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            two_factor.two_factor_disable(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("account")
    return render(request, "workspaces/two_factor_disable.html", {"form": form})


def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    """The second sign-in step, after the password; also confirms a signed-in session."""
    signed_in = request.user.is_authenticated
    user = request.user if signed_in else two_factor.sign_in_pending_user(request)
    if user is None:
        messages.info(request, _("Sign in again: that took too long."))
        return redirect("login")
    if not two_factor.two_factor_enabled(user=user):
        return redirect("two_factor_setup" if signed_in else "login")
    credentials = {"username": user.email}
    form = CodeForm(request.POST or None)
    if request.method == "POST" and not AxesProxyHandler.is_allowed(request, credentials):
        two_factor.sign_in_pending_clear(request)
        return get_lockout_response(request, None, credentials)
    if form.is_valid():
        device = two_factor.code_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            if signed_in:
                two_factor.otp_login(request, device)
            else:
                two_factor.sign_in_finish(request, user, device)
            return redirect(_next_url(request, default="home"))
        two_factor.sign_in_code_failed(request, user)
        form.add_error("code", _("That code is not right."))
    return render(
        request,
        "workspaces/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next") or request.POST.get("next", "")},
    )


class SignInView(auth_views.LoginView):
    """Email and password; a user with two-factor sign-in then gives a code before the
    session is signed in at all."""

    def form_valid(self, form) -> HttpResponse:
        user = form.get_user()
        if not two_factor.two_factor_enabled(user=user):
            return super().form_valid(form)
        two_factor.sign_in_pending_start(self.request, user)
        query = self.request.POST.get(self.redirect_field_name, "")
        url = resolve_url("two_factor_verify")
        if query:
            from django.utils.http import urlencode

            url += "?" + urlencode({"next": query})
        return redirect(url)


def workspace_two_factor_post(request: HttpRequest, workspace) -> HttpResponse:
    """The workspace settings page's two-factor rule (owners; the caller checked)."""
    required = request.POST.get("require_two_factor") == "on"
    try:
        two_factor.workspace_two_factor_set(
            workspace=workspace,
            required=required,
            owner_verified=two_factor.session_verified(request.user),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Owners and consultants now sign in with two-factor sign-in.")
            if required
            else _("Two-factor sign-in is no longer required."),
        )
    return redirect("workspace_settings", workspace.id)


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    """Password reset, limited per client address (429 with a message) and per email
    address (the usual "sent" page, but nothing is sent), so that it neither floods a
    mailbox nor tells whether an account exists."""

    def form_valid(self, form) -> HttpResponse:
        per_address = rate_limit_exceeded(
            scope="password-reset-address",
            key=client_ip(self.request),
            limit=settings.PASSWORD_RESET_PER_ADDRESS,
            window=3600,
        )
        if per_address:
            context = self.get_context_data(form=form, rate_limited=True)
            return self.render_to_response(context, status=429)
        per_account = rate_limit_exceeded(
            scope="password-reset-email",
            key=form.cleaned_data["email"].strip().lower(),
            limit=settings.PASSWORD_RESET_PER_ACCOUNT,
            window=3600,
        )
        if per_account:
            return redirect(self.get_success_url())
        return super().form_valid(form)


@login_required
@require_POST
def digest_preference_view(request: HttpRequest) -> HttpResponse:
    """The account page's choice to receive the weekly roadmap digest."""
    wanted = request.POST.get("roadmap_digest") == "on"
    digest_opt_out.digest_opt_out_set(email=request.user.email, opted_out=not wanted)
    messages.success(
        request,
        _("You will get the weekly digest of your roadmap actions.")
        if wanted
        else _("You will get no weekly digest of your roadmap actions."),
    )
    return redirect(resolve_url("account") + "#roadmap-digest")


def digest_unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """The digest's unsubscribe link, no sign-in needed: the page asks, a POST stops the
    emails (a mail scanner following the link changes nothing)."""
    email = digest_opt_out.digest_unsubscribe_email(token)
    if email is None:
        return render(request, "workspaces/digest_unsubscribe.html", {"invalid": True}, status=400)
    done = request.method == "POST"
    if done:
        digest_opt_out.digest_opt_out_set(email=email, opted_out=True)
    return render(request, "workspaces/digest_unsubscribe.html", {"email": email, "done": done})


@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    """The header's language menu: Django's set_language (the cookie, then back to the
    page), and for a signed-in person the choice saved on their account as well."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        account_services.user_language_set(user=request.user, language=language)
    return response
