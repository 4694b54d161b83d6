"""Writes to the signed-in person's own account settings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import User


def user_language_set(*, user: User, language: str) -> User:
    """Save the language the person reads the site in; the next sign-in, on any browser,
    starts in it (UserLanguageMiddleware)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose a language: en, de or fr.")})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
