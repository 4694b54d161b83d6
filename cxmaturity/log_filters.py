"""Respondents' links carry their credential in the path (/r/<token>/…), so no log line may
show it: Django's 4xx warnings ("Not Found: /r/…"), runserver's request lines and anything
else that logs a path get the token replaced by [redacted]."""

import logging
import re

_TOKEN_IN_PATH = re.compile(r"(/r/|/api/v1/respondent/)[^/\s?#\"']+")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(REDACTED, text)


def _redacted_arg(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int | float) or value is None:
        return value  # numbers keep their type for %d and friends
    text = str(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned


class RedactRespondentTokens(logging.Filter):
    """Rewrites the record in place, so every handler after it sees only the redacted text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redacted_arg(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted_arg(value) for value in record.args)
        return True
