from django.http import HttpRequest


def current_workspace(request: HttpRequest) -> dict:
    """The workspace a page is about (set by workspace_view), for navigation and branding."""
    membership = getattr(request, "membership", None)
    return {
        "current_membership": membership,
        "current_workspace": membership.workspace if membership else None,
    }
