"""The old path of the roadmap's reads and writes, kept for importers outside the app
(tests); writes live in `assessments.services`, reads in `assessments.selectors`."""

from .selectors import action_list
from .services.roadmap import (
    action_accept,
    action_create,
    action_move,
    action_update,
    roadmap_suggest,
)

__all__ = [
    "action_accept",
    "action_create",
    "action_list",
    "action_move",
    "action_update",
    "roadmap_suggest",
]
