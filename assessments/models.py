"""Questionnaires, assessments, respondents and answers arrive with the questionnaire issue."""
