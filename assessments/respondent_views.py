"""The respondent's pages under /r/<token>/: no account, one dimension a page, autosaved."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services as service
from .display import respondent_summary
from .forms import answers_from_post, question_rows, versions_from_post
from .languages import LANGUAGE_CHOICES
from .models import Respondent
from .selectors import (
    questionnaire_minutes,
    respondent_for_token,
    respondent_pages,
    respondent_resume_page,
)
from .services import LinkUnknown, answers_autosave


def _unavailable(request: HttpRequest, status: int, reason: str) -> HttpResponse:
    # Says nothing about the assessment, its client or other respondents.
    return render(
        request, "assessments/respondent/unavailable.html", {"reason": reason}, status=status
    )


def respondent_view(*, answering: bool = False) -> Callable:
    """Resolve the token to its respondent, or a page that reveals nothing.

    `answering` views also need the assessment open and the respondent not yet submitted.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
            respondent = respondent_for_token(token=token)
            if respondent is None or respondent.revoked_at:
                return _unavailable(request, 404, service.LINK_UNKNOWN)
            if respondent.assessment.status != "open" and not respondent.submitted_at:
                return _unavailable(request, 410, service.ASSESSMENT_CLOSED)
            if answering and respondent.submitted_at:
                return redirect("respondent_thanks", token)
            request.respondent_token = token
            language = respondent.reading_language
            with translation.override(language):
                response = view(request, respondent, *args, **kwargs)
            response.headers.setdefault("Content-Language", language)
            return response

        return wrapper

    return decorator


def _context(respondent: Respondent, pages: list, **extra) -> dict:
    total = sum(len(p.items) for p in pages)
    answered = sum(1 for p in pages for item in p.items if item.value)
    assessment = respondent.assessment
    return {
        "respondent": respondent,
        "assessment": assessment,
        "client": assessment.client,
        "workspace": assessment.client.workspace,
        "pages": pages,
        "answered": answered,
        "total": total,
        "percent": round(100 * answered / total) if total else 0,
        "minutes": questionnaire_minutes(assessment.version_id, respondent.reading_language),
        **extra,
    }


@respondent_view()
def respondent_start_view(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    service.respondent_open_link(respondent=respondent)
    if respondent.submitted_at:
        return redirect("respondent_thanks", request.respondent_token)
    pages = respondent_pages(respondent=respondent)
    context = _context(
        respondent,
        pages,
        resume_page=respondent_resume_page(respondent=respondent),
        languages=LANGUAGE_CHOICES,
    )
    return render(request, "assessments/respondent/welcome.html", context)


@require_POST
@respondent_view()
def respondent_language_view(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    """The language the respondent reads, chosen on the welcome page."""
    try:
        service.respondent_language_set(
            respondent=respondent, language=request.POST.get("language")
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("respondent_start", request.respondent_token)


@respondent_view(answering=True)
def respondent_page_view(request: HttpRequest, respondent: Respondent, page: int):
    pages = respondent_pages(respondent=respondent)
    if not 1 <= page <= len(pages):
        raise Http404
    current = pages[page - 1]
    token = request.respondent_token
    errors: dict[str, list[str]] = {}
    conflicts: list[str] = []
    if request.method == "POST":
        changes = answers_from_post(request.POST, current.items)
        try:
            versions = versions_from_post(request.POST, changes)
            outcome = answers_autosave(token=token, changes=changes, versions=versions)
        except LinkUnknown:
            return _unavailable(request, 404, service.LINK_UNKNOWN)
        except service.RespondentClosed as exc:
            return _unavailable(request, 409, exc.messages[0])
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            conflicts = _conflicts(outcome)
            if not conflicts:
                return _after_save(request, token, page, len(pages))
        pages = respondent_pages(respondent=respondent)
        current = pages[page - 1]
    rows = question_rows(current, request.POST, errors, conflicts)
    context = _context(respondent, pages, page=current, rows=rows, conflicts=conflicts)
    status = 400 if errors else 409 if conflicts else 200
    return render(request, "assessments/respondent/page.html", context, status=status)


def _conflicts(outcome: dict) -> list[str]:
    return [key for key, result in outcome["results"].items() if result["status"] == "conflict"]


def _after_save(request: HttpRequest, token: str, page: int, last: int) -> HttpResponse:
    go = request.POST.get("go", "next")
    if go == "previous" and page > 1:
        return redirect("respondent_page", token, page - 1)
    if go == "stay":
        return redirect("respondent_page", token, page)
    if go == "review" or page >= last:
        return redirect("respondent_review", token)
    return redirect("respondent_page", token, page + 1)


@csrf_exempt
@require_POST
def respondent_autosave_view(request: HttpRequest, token: str) -> JsonResponse:
    """One debounced change from the page's script, naming only the questions it sends,
    each with the version of the answer the page last saw (`<key>-version`).
    Every respondent sends many of these, so it takes the short path (autosave.py).

    The reply carries the progress and `results`, what became of each answer (saved, with
    its new version, or a conflict, with the newer answer). It is 409 when the one answer
    sent was refused as stale, 200 otherwise, even when some answers of several were: the
    page reads each result. A 409 without `results` means answering is over (`detail`).

    No CSRF check: the secret token in the URL is the only authority here (respondents
    have no session or cookie), so a forged request would already have to know it.
    """
    keys = request.POST.getlist("questions")
    changes = answers_from_post(request.POST, keys)
    try:
        versions = versions_from_post(request.POST, keys)
        outcome = answers_autosave(token=token, changes=changes, versions=versions)
    except LinkUnknown:
        return JsonResponse({"detail": str(service.LINK_UNKNOWN)}, status=404)
    except service.RespondentClosed as exc:
        return JsonResponse({"detail": exc.messages[0]}, status=409)
    except ValidationError as exc:
        return JsonResponse(exc.message_dict, status=400)
    refused = len(changes) == 1 and _conflicts(outcome)
    return JsonResponse(outcome, status=409 if refused else 200)


@respondent_view(answering=True)
def respondent_review_view(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    pages = respondent_pages(respondent=respondent)
    unanswered = [(p, item) for p in pages for item in p.items if not item.value]
    error = request.session.pop("respondent_submit_error", None)
    context = _context(respondent, pages, unanswered=unanswered, error=error)
    return render(request, "assessments/respondent/review.html", context)


@require_POST
@respondent_view(answering=True)
def respondent_submit_view(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    try:
        service.respondent_submit(respondent=respondent)
    except service.RespondentClosed as exc:
        return _unavailable(request, 409, exc.messages[0])
    except ValidationError as exc:
        request.session["respondent_submit_error"] = exc.messages[0]
        return redirect("respondent_review", request.respondent_token)
    return redirect("respondent_thanks", request.respondent_token)


@respondent_view()
def respondent_thanks_view(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    if not respondent.submitted_at:
        return redirect("respondent_start", request.respondent_token)
    pages = respondent_pages(respondent=respondent)
    can_reopen = (
        respondent.assessment.status == "open" and respondent.assessment.respondents_may_revise
    )
    context = _context(respondent, pages, can_reopen=can_reopen, **respondent_summary(pages))
    return render(request, "assessments/respondent/thanks.html", context)


@require_POST
@respondent_view()
def respondent_reopen_view(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    try:
        service.respondent_reopen(respondent=respondent)
    except service.RespondentClosed as exc:
        return _unavailable(request, 409, exc.messages[0])
    messages.info(
        request,
        _("Your submission is withdrawn: your answers count again once you submit them."),
    )
    return redirect("respondent_review", request.respondent_token)


@respondent_view()
def respondent_logo_view(request: HttpRequest, respondent: Respondent) -> FileResponse:
    from workspaces.views import logo_response

    return logo_response(respondent.assessment.client.workspace)
