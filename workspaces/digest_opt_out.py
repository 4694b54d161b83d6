"""The weekly roadmap digest's opt-out: an address that asked for no digest, set from the
account page or from the email's signed unsubscribe link (no sign-in needed)."""

from django.core import signing

from .models import DigestOptOut

_DIGEST_SALT = "workspaces.roadmap-digest-unsubscribe"


def digest_opt_out_set(*, email: str, opted_out: bool) -> None:
    """Stop (or resume) the weekly roadmap digest to this address, in every workspace."""
    email = email.strip().lower()
    if opted_out:
        DigestOptOut.objects.get_or_create(email=email)
    else:
        DigestOptOut.objects.filter(email=email).delete()


def digest_unsubscribe_token(email: str) -> str:
    """A signed token naming the address, for the digest's unsubscribe link: no sign-in
    needed, and a changed token names nobody."""
    # No timestamp: the link of an old email keeps working.
    return signing.Signer(salt=_DIGEST_SALT).sign_object(email.strip().lower())


def digest_unsubscribe_email(token: str) -> str | None:
    """The address a genuine unsubscribe token names; None for a tampered one."""
    try:
        return signing.Signer(salt=_DIGEST_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
