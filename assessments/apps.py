from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self) -> None:
        from workspaces.scope import register_client_owned

        # URL ids of this app's client-owned rows, for the client wall's 404s.
        register_client_owned("assessment_id", "assessments.Assessment", "client")
        register_client_owned("respondent_id", "assessments.Respondent", "assessment__client")
        register_client_owned("action_id", "assessments.Action", "assessment__client")
